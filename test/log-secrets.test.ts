import { createHash } from "node:crypto";
import { inspect } from "node:util";
import { type Auth, createAuth } from "@tenantauth/core";
import type { KnexStorage } from "@tenantauth/knex";
import { captureMailer } from "@tenantauth/testing";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { sqlBackends } from "./support/backends.js";
import { expressServer, honoServer, type RunningServer, type ServerFactory } from "./support/http-servers.js";
import { SECRET } from "./support/world.js";

/**
 * Storage failures forced on a real database (a column and tables renamed under the running app) while
 * everything that could reach a log is captured: console.*, process.stdout/stderr and the handler's onError hook
 * (printed as a host would print it). The capture must hold none of the secrets the failing statements carried.
 */

const VICTIM = "victim.secret@example.com";
const PASSWORD = "victim-password-Quokka-91";
const NEW_PASSWORD = "changed-password-Wombat-27";
const NEWCOMER = "newcomer.secret@example.com";
const NEWCOMER_PASSWORD = "newcomer-password-Numbat-53";

const SQL_TEXT = /\b(insert\s+into|update\s+\S+\s+set|delete\s+from|select\s+.*\s+from|alter\s+table)\b|bindings/i;

interface Hosted {
  name: string;
  start: ServerFactory;
  /** True: the host passes an onError hook that prints the whole error; false: the default (console.error). */
  hook: boolean;
}

const hosts: Hosted[] = [
  { name: "express, default onError", start: expressServer, hook: false },
  { name: "express, host's onError printing the error", start: expressServer, hook: true },
  { name: "hono, default onError", start: honoServer, hook: false },
  { name: "hono, host's onError printing the error", start: honoServer, hook: true },
];

describe.each(sqlBackends)("no secret in any log when storage fails on $name", (backend) => {
  describe.each(hosts)("$name", (host) => {
    let captured: string[];
    let hooked: unknown[];
    let storage: KnexStorage;
    let cleanup: () => Promise<void>;
    let server: RunningServer;
    let auth: Auth;

    const capture = (...args: unknown[]): void => {
      captured.push(args.map((a) => (typeof a === "string" ? a : inspect(a, { depth: null }))).join(" "));
    };

    beforeEach(async () => {
      captured = [];
      hooked = [];
      const created = await backend.create();
      storage = created.storage as KnexStorage;
      cleanup = created.cleanup;
      auth = createAuth({
        secret: SECRET,
        storage,
        mailer: captureMailer(),
        emailVerification: { required: false },
      });
      for (const method of ["log", "info", "warn", "error", "debug", "trace"] as const) {
        vi.spyOn(console, method).mockImplementation(capture);
      }
      for (const stream of [process.stdout, process.stderr]) {
        vi.spyOn(stream, "write").mockImplementation((chunk: unknown) => {
          captured.push(String(chunk));
          return true;
        });
      }
      const onError = (error: unknown): void => {
        hooked.push(error);
        // What a host's logger would print: the error with its cause chain and every field.
        capture("[host] unexpected error", error);
        captured.push(JSON.stringify(error));
      };
      server = await (host.hook ? startWithHook(host.start, auth, onError) : host.start(auth));
    });
    afterEach(async () => {
      vi.restoreAllMocks();
      await server?.close();
      await cleanup?.();
    });

    const call = async (path: string, body: unknown, token?: string): Promise<number> => {
      const response = await fetch(`${server.baseUrl}/auth${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      });
      await response.arrayBuffer();
      return response.status;
    };

    it("logs storage failures by operation, code and table only: no email, password, hash, token or SQL", async () => {
      expect(await call("/signup", { email: VICTIM, password: PASSWORD })).toBe(200);
      const signin = await fetch(`${server.baseUrl}/auth/signin`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: VICTIM, password: PASSWORD }),
      });
      const tokens = (await signin.json()) as { access_token: string; refresh_token: string };
      const [stored] = (await storage.knex("users").where({ email: VICTIM }).select("password")) as Array<{
        password: string;
      }>;
      const knex = storage.knex;

      // 1. users.updated_at is gone: signup's INSERT (email, argon2id hash) and the password change's UPDATE fail.
      await knex.raw("alter table ?? rename column ?? to ??", ["users", "updated_at", "updated_at_gone"]);
      expect(await call("/signup", { email: NEWCOMER, password: NEWCOMER_PASSWORD })).toBe(500);
      expect(
        await call("/password/change", { current_password: PASSWORD, new_password: NEW_PASSWORD }, tokens.access_token),
      ).toBe(500);

      // 2. The outbox is gone (renamed): a reset request answers 202, and its background work (token + mail) fails.
      await knex.schema.renameTable("mail_outbox", "mail_outbox_gone");
      expect(await call("/password/forgot", { email: VICTIM })).toBe(202);
      await auth.mail.idle();

      // 3. Sessions are gone (renamed): refresh (looked up by the token's hash) and sign-in (inserts a session) fail.
      await knex.schema.renameTable("sessions", "sessions_gone");
      expect(await call("/refresh", { refresh_token: tokens.refresh_token })).toBeGreaterThanOrEqual(500);
      expect(await call("/signin", { email: VICTIM, password: PASSWORD })).toBeGreaterThanOrEqual(500);

      // Nothing logged holds a secret or SQL …
      const log = captured.join("\n");
      const refreshHash = createHash("sha256").update(tokens.refresh_token).digest("hex");
      const secrets = {
        email: VICTIM,
        newcomerEmail: NEWCOMER,
        emailLocalPart: "secret@example",
        password: PASSWORD,
        newPassword: NEW_PASSWORD,
        newcomerPassword: NEWCOMER_PASSWORD,
        storedHash: stored?.password ?? "(no hash read)",
        accessToken: tokens.access_token,
        refreshToken: tokens.refresh_token,
        refreshTokenHash: refreshHash,
      };
      const leaked = Object.entries(secrets)
        .filter(([, secret]) => log.includes(secret))
        .map(([what]) => what);
      if (/\$argon2id\$/.test(log)) leaked.push("an argon2id hash");
      if (SQL_TEXT.test(log)) leaked.push("SQL text");
      expect(leaked).toEqual([]);
      // The failures were reported, by operation, code and table (so the scan above scanned something)
      const reported = captured.join("\n");
      expect(reported).toMatch(/createUserWithOrganization[\s\S]*STORAGE_ERROR/);
      expect(reported).toMatch(/createSession/);
      expect(reported).toMatch(/password reset request failed/);
      expect(reported).toMatch(/table: '(ta_)?users'/);
      if (host.hook) expect(hooked.length).toBeGreaterThanOrEqual(4);
    });
  });
});

/** Starts the host app with `onError` passed to tenantauth's router. */
async function startWithHook(
  start: ServerFactory,
  auth: Auth,
  onError: (error: unknown) => void,
): Promise<RunningServer> {
  const { authRouter } = await import("@tenantauth/express");
  const { authRoutes } = await import("@tenantauth/hono");
  if (start === expressServer) {
    const express = (await import("express")).default;
    const app = express();
    app.use("/auth", authRouter(auth, { onError }));
    return listen((port) => app.listen(port, "127.0.0.1"));
  }
  const { Hono } = await import("hono");
  const { serve } = await import("@hono/node-server");
  const app = new Hono();
  app.route("/auth", authRoutes(auth, { onError }));
  return listen((port) => serve({ fetch: app.fetch, hostname: "127.0.0.1", port }) as never);
}

async function listen(open: (port: number) => import("node:http").Server): Promise<RunningServer> {
  const server = open(0);
  await new Promise<void>((resolve) => (server.listening ? resolve() : server.once("listening", () => resolve())));
  const { port } = server.address() as import("node:net").AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
