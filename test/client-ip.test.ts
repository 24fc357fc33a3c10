import { type AuthOptions, createAuth } from "@tenantauth/core";
import { memoryStorage } from "@tenantauth/testing";
import { afterEach, describe, expect, it } from "vitest";
import { type RunningServer, servers } from "./support/http-servers.js";

const PW = "correct horse battery staple";
const SPOOFED = "203.0.113.9";

/** Auth on memory storage with one verified user, served by `start`. */
async function serve(start: (typeof servers)[number]["start"], options: Partial<AuthOptions> = {}) {
  const auth = createAuth({
    secret: "client-ip-test-secret-of-at-least-32-bytes",
    storage: memoryStorage(),
    emailVerification: { required: false },
    ...options,
  });
  await auth.signup({ email: "ada@example.com", password: PW, organizationName: "Acme" });
  const server = await start(auth);
  const call = async (method: string, path: string, init: { token?: string; json?: unknown; xff?: string } = {}) => {
    const headers: Record<string, string> = {};
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    if (init.json !== undefined) headers["content-type"] = "application/json";
    if (init.xff) headers["x-forwarded-for"] = init.xff;
    const response = await fetch(`${server.baseUrl}${path}`, {
      method,
      headers,
      body: init.json === undefined ? undefined : JSON.stringify(init.json),
    });
    // biome-ignore lint/suspicious/noExplicitAny: bodies of many shapes.
    return { status: response.status, body: (await response.json()) as any };
  };
  return { auth, server, call };
}

describe.each(servers)("the client IP on $name", ({ start }) => {
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it("sessions, audit rows and the middleware's principal record the client ip; a spoofed X-Forwarded-For is ignored by default", async () => {
    const t = await serve(start);
    server = t.server;
    const signin = await t.call("POST", "/auth/signin", {
      json: { email: "ada@example.com", password: PW },
      xff: SPOOFED,
    });
    expect(signin.status).toBe(200);
    const token: string = signin.body.access_token;
    const sessions = await t.call("GET", "/auth/sessions", { token });
    expect(sessions.body.map((s: { ip: string | null }) => s.ip)).toEqual(["127.0.0.1"]);
    const events = await t.call("GET", "/auth/me/audit-events", { token });
    const success = events.body.items.find((e: { type: string }) => e.type === "signin.success");
    expect(success.ip).toBe("127.0.0.1");
    // requireAuth and requirePermission attach the same address to the principal (audit events of host routes).
    expect((await t.call("GET", "/api/ip", { token, xff: SPOOFED })).body).toEqual({ ip: "127.0.0.1" });
    expect((await t.call("GET", "/api/orgs/1/ip", { token, xff: SPOOFED })).body).toEqual({ ip: "127.0.0.1" });
  });

  it("honours X-Forwarded-For only as far as trustProxy allows", async () => {
    const t = await serve(start, { trustProxy: 1 });
    server = t.server;
    const signin = await t.call("POST", "/auth/signin", {
      json: { email: "ada@example.com", password: PW },
      xff: `198.51.100.1, ${SPOOFED}`,
    });
    const token: string = signin.body.access_token;
    const sessions = await t.call("GET", "/auth/sessions", { token });
    expect(sessions.body.map((s: { ip: string | null }) => s.ip)).toEqual([SPOOFED]);
    const events = await t.call("GET", "/auth/me/audit-events", { token });
    expect(events.body.items.find((e: { type: string }) => e.type === "signin.success").ip).toBe(SPOOFED);
    expect((await t.call("GET", "/api/ip", { token, xff: SPOOFED })).body).toEqual({ ip: SPOOFED });
    expect((await t.call("GET", "/api/orgs/1/ip", { token, xff: SPOOFED })).body).toEqual({ ip: SPOOFED });
    // Not a trusted proxy's report: the loopback peer is not in the list, so its header is not believed.
    const listed = await serve(start, { trustProxy: ["10.0.0.1"] });
    try {
      const other = await listed.call("POST", "/auth/signin", {
        json: { email: "ada@example.com", password: PW },
        xff: SPOOFED,
      });
      const mine = await listed.call("GET", "/auth/sessions", { token: other.body.access_token });
      expect(mine.body.map((s: { ip: string | null }) => s.ip)).toEqual(["127.0.0.1"]);
    } finally {
      await listed.server.close();
    }
  });

  it("the per-IP sign-in limit fires, and a spoofed X-Forwarded-For does not escape it", async () => {
    const t = await serve(start, { rateLimit: { signin: { perIp: { limit: 3, windowSeconds: 900 } } } });
    server = t.server;
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await t.call("POST", "/auth/signin", {
        json: { email: `nobody${i}@example.com`, password: "wrong password here" },
        xff: `198.51.100.${i}`,
      });
      statuses.push(r.status);
    }
    expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
    expect(statuses.slice(3)).toEqual([429, 429]);
  });
});
