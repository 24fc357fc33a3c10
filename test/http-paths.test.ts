import { request } from "node:http";
import { createAuth, routes } from "@tenantauth/core";
import { memoryStorage } from "@tenantauth/testing";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { normalise } from "./support/http-client.js";
import { type RunningServer, servers } from "./support/http-servers.js";

const SEED = 20_261_207;

/** Sends `method path` exactly as given (no client-side normalisation), and reads the answer. */
function raw(baseUrl: string, method: string, path: string, token?: string) {
  const { hostname, port } = new URL(baseUrl);
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(
      { hostname, port, method, path, headers: token ? { authorization: `Bearer ${token}` } : {} },
      (res) => {
        let body = "";
        res.setEncoding("latin1");
        res.on("data", (chunk: string) => {
          body += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: comparable(body) }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end();
  });
}

/** A body with its random values (ids, tokens) replaced by placeholders. */
function comparable(body: string): string {
  try {
    return JSON.stringify(normalise(JSON.parse(body)));
  } catch {
    return body;
  }
}

/** Percent-encodes one character the way a client could (upper or lower case hex). */
const encode = (ch: string, lower: boolean): string => {
  const hex = [...new TextEncoder().encode(ch)].map((b) => `%${b.toString(16).padStart(2, "0")}`).join("");
  return lower ? hex : hex.toUpperCase();
};

describe("one path rule on every adapter", () => {
  const running: Array<{ name: string; server: RunningServer; token: string }> = [];
  beforeAll(async () => {
    for (const { name, start } of servers) {
      const storage = memoryStorage();
      const auth = createAuth({
        secret: "paths-test-secret-of-at-least-32-bytes!!",
        storage,
        emailVerification: { required: false },
        platformAdmins: ["root@example.com"],
        clock: { now: () => 1_800_000_000_000 }, // the same timestamps in every adapter's answers
      });
      const root = await auth.signup({
        email: "root@example.com",
        password: "correct horse battery staple",
        organizationName: "Root",
      });
      // A platform admin is a verified account (docs/security.md), even where sign-in does not need verification.
      await storage.markEmailVerified(root.user.id, 1_800_000_000_000);
      const { accessToken } = await auth.signin({
        email: "root@example.com",
        password: "correct horse battery staple",
      });
      running.push({ name, server: await start(auth), token: accessToken });
    }
  });
  afterAll(async () => {
    for (const { server } of running) await server.close();
  });

  /** Each adapter's answer to one request, by adapter name. */
  const answers = async (
    method: string,
    path: string,
    withToken = false,
  ): Promise<Record<string, { status: number; body: string }>> =>
    Object.fromEntries(
      await Promise.all(
        running.map(async ({ name, server, token }) => [
          name,
          await raw(server.baseUrl, method, path, withToken ? token : undefined),
        ]),
      ),
    );

  it("a percent-encoded spelling of a route is not that route: /auth/%61dmin/users is the host's 404 on every adapter", async () => {
    const admin = await answers("GET", "/auth/admin/users", true);
    for (const a of Object.values(admin)) expect(a.status).toBe(200);
    for (const path of [
      "/auth/%61dmin/users",
      "/auth/admin/%75sers",
      "/%61uth/admin/users",
      "/auth/x/../admin/users",
      "/AUTH/admin/users",
    ]) {
      const got = await answers("GET", path, true);
      for (const [name, a] of Object.entries(got)) {
        expect({ name, path, status: a.status, body: a.body }).toEqual({
          name,
          path,
          status: 404,
          body: JSON.stringify({ host: "not found" }),
        });
      }
    }
  });

  it("every adapter gives the same answer to generated percent-encoded and dot-segment paths", async () => {
    const template = fc.constantFrom(...routes.map((r) => ({ method: r.method, path: `/auth${r.path}` })));
    const param = fc.constantFrom("1", "2", "abc", "%ZZ", "%31", "1%2F2", "%", "-1", "%C3%A9");
    const mutation = fc.array(
      fc.tuple(fc.nat(), fc.constantFrom("encode", "encode-lower", "dot", "dotdot", "%2e", "slash", "upper")),
      {
        maxLength: 3,
      },
    );
    const tried: string[] = [];
    await fc.assert(
      fc.asyncProperty(
        template,
        fc.array(param, { minLength: 4, maxLength: 4 }),
        mutation,
        fc.boolean(),
        async (route, values, edits, withToken) => {
          let i = 0;
          let path = route.path.replace(/\{[a-z_]+\}/g, () => values[i++ % values.length] ?? "1");
          for (const [at, kind] of edits) {
            const pos = at % path.length;
            if (kind === "upper") {
              path = `${path.slice(0, pos)}${path.slice(pos, pos + 1).toUpperCase()}${path.slice(pos + 1)}`;
            } else if (kind === "encode" || kind === "encode-lower") {
              const ch = path[pos] as string;
              if (ch === "%") continue;
              path = `${path.slice(0, pos)}${encode(ch, kind === "encode-lower")}${path.slice(pos + 1)}`;
            } else {
              const slash = path.indexOf("/", pos);
              if (slash === -1) continue;
              const piece = kind === "dot" ? "/." : kind === "dotdot" ? "/x/.." : kind === "%2e" ? "/%2e" : "/";
              path = `${path.slice(0, slash)}${piece}${path.slice(slash)}`;
            }
          }
          tried.push(path);
          const got = await answers(route.method === "GET" ? "GET" : route.method, path, withToken);
          const reference = got.express;
          for (const [name, a] of Object.entries(got)) {
            expect({ name, status: a.status, body: a.body }, `${route.method} ${path}`).toEqual({
              name,
              status: reference?.status,
              body: reference?.body,
            });
          }
        },
      ),
      { numRuns: 400, seed: SEED, endOnFailure: true },
    );
    expect(tried.some((p) => /%[0-9a-fA-F]{2}/.test(p))).toBe(true);
  }, 120_000);
});
