import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { knexStorage } from "@tenantauth/knex";
import knex from "knex";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mysqlTestDatabase } from "./support/mysql.js";
import { type RedisTestClient, redisAvailability, redisTestClient } from "./support/redis.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const tsx = `${root}node_modules/.bin/tsx`;
const SECRET = "multi-node-secret-that-is-at-least-32-bytes";
const PASSWORD = "correct horse battery staple";
/** `revocation.refreshSeconds` of both nodes: a revocation on one reaches the other within this interval. */
const REFRESH_SECONDS = 1;
/** `session.refreshReuseGraceSeconds` of both nodes (short, so the replay after it comes soon). */
const REUSE_GRACE_SECONDS = 1;

/** A running auth node: its own process, its own createAuth, the shared MySQL and Redis. */
interface AuthNode {
  name: string;
  url: string;
  child: ChildProcess;
}

/** Starts test/support/auth-node.ts with tsx and waits for it to listen. */
function startNode(name: string, env: Record<string, string>): Promise<AuthNode> {
  const child = spawn(tsx, ["--tsconfig", "test/tsconfig.json", "test/support/auth-node.ts"], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    let stdout = "";
    const timer = setTimeout(() => reject(new Error(`${name} did not start in 60 s: ${stderr}`)), 60_000);
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split("\n").find((l) => l.startsWith("{"));
      if (!line) return;
      clearTimeout(timer);
      const { port } = JSON.parse(line) as { port: number };
      resolve({ name, url: `http://127.0.0.1:${port}`, child });
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code}: ${stderr}`));
    });
  });
}

function stopNode(node: AuthNode): Promise<void> {
  if (node.child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    node.child.once("exit", () => resolve());
    node.child.kill("SIGTERM");
  });
}

/** A JSON request to a node. */
async function call(node: AuthNode, method: string, path: string, body?: unknown, token?: string) {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers["content-type"] = "application/json";
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(`${node.url}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  // biome-ignore lint/suspicious/noExplicitAny: tests read response bodies of many shapes.
  const json: any = text ? JSON.parse(text) : null;
  return { status: response.status, body: json, retryAfter: response.headers.get("retry-after") };
}

const mysql = await mysqlTestDatabase.available();
const redis = await redisAvailability();

describe.skipIf(!mysql || !redis.available)("two nodes sharing one MySQL and one Redis", () => {
  let db: Awaited<ReturnType<typeof mysqlTestDatabase>>;
  let shared: RedisTestClient;
  let a: AuthNode;
  let b: AuthNode;
  let adaOrgId: number;

  /** Direct SQL on the shared database, for what no route does (seed data, a verified address). */
  async function sql<T>(fn: (db: ReturnType<typeof knex>) => Promise<T>): Promise<T> {
    const db2 = knex({ client: "mysql2", connection: db.url });
    try {
      return await fn(db2);
    } finally {
      await db2.destroy();
    }
  }

  /**
   * Calls `request` on a node until it answers 401 (at most the revocation interval plus a second of slack) and
   * returns the answer and how long after `since` it came.
   */
  async function refusedWithin(since: number, request: () => ReturnType<typeof call>) {
    const deadline = since + REFRESH_SECONDS * 1000 + 1000;
    for (;;) {
      const answer = await request();
      if (answer.status === 401 || Date.now() > deadline) return { ...answer, afterMs: Date.now() - since };
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  const signin = async (node: AuthNode, email: string) => {
    const r = await call(node, "POST", "/signin", { email, password: PASSWORD });
    expect(r.status).toBe(200);
    return r.body as { access_token: string; refresh_token: string; user: { id: number } };
  };

  beforeAll(async () => {
    db = await mysqlTestDatabase();
    const storage = knexStorage(db.url);
    await storage.migrate();
    await storage.destroy();
    shared = await redisTestClient();
    const env = {
      NODE_DATABASE_URL: db.url,
      NODE_REDIS_URL: process.env.TENANTAUTH_TEST_REDIS_URL ?? "",
      NODE_REDIS_PREFIX: shared.prefix,
      NODE_SECRET: SECRET,
      NODE_REVOCATION_REFRESH_SECONDS: String(REFRESH_SECONDS),
      NODE_REFRESH_REUSE_GRACE_SECONDS: String(REUSE_GRACE_SECONDS),
      NODE_PLATFORM_ADMINS: "root@example.com",
    };
    [a, b] = await Promise.all([startNode("node A", env), startNode("node B", env)]);
    expect(a.child.pid).not.toBe(b.child.pid);
    const signup = await call(a, "POST", "/signup", { email: "ada@example.com", password: PASSWORD });
    expect(signup.status).toBe(200);
    adaOrgId = signup.body.org_id;
  }, 120_000);
  afterAll(async () => {
    await Promise.all([a, b].filter(Boolean).map(stopNode));
    await shared?.cleanup();
    await db?.cleanup();
  });

  it("an access token issued by node A is accepted by node B", async () => {
    const signin = await call(a, "POST", "/signin", { email: "ada@example.com", password: PASSWORD });
    expect(signin.status).toBe(200);
    const me = await call(b, "GET", "/me", undefined, signin.body.access_token);
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({ id: signin.body.user.id, email: "ada@example.com" });
  });

  it("a refresh token rotated on node A and reused on node B revokes the whole family", async () => {
    const signin = await call(b, "POST", "/signin", { email: "ada@example.com", password: PASSWORD });
    const first = signin.body.refresh_token as string;
    const rotated = await call(a, "POST", "/refresh", { refresh_token: first });
    expect(rotated.status).toBe(200);
    // After the reuse grace, a replay is theft.
    await new Promise((resolve) => setTimeout(resolve, REUSE_GRACE_SECONDS * 1000 + 200));
    const reuse = await call(b, "POST", "/refresh", { refresh_token: first });
    expect([reuse.status, reuse.body.error.code]).toEqual([401, "REFRESH_TOKEN_REUSED"]);
    // The token that rotation gave out is dead too, on either node.
    const successor = await call(a, "POST", "/refresh", { refresh_token: rotated.body.refresh_token });
    expect([successor.status, successor.body.error.code]).toEqual([401, "INVALID_REFRESH_TOKEN"]);
  });

  it("two tabs: one refresh token sent to node A and node B at once gets two working token pairs, not a sign-out", async () => {
    const { refresh_token: shared } = await signin(a, "ada@example.com");
    const [onA, onB] = await Promise.all([
      call(a, "POST", "/refresh", { refresh_token: shared }),
      call(b, "POST", "/refresh", { refresh_token: shared }),
    ]);
    // Today: one 200 and one REFRESH_TOKEN_REUSED, and the winner's new token is refused.
    expect([onA.status, onB.status]).toEqual([200, 200]);
    expect(onA.body.refresh_token).not.toBe(onB.body.refresh_token);
    for (const [node, pair] of [
      [b, onA],
      [a, onB],
    ] as const) {
      expect((await call(node, "GET", "/me", undefined, pair.body.access_token)).status).toBe(200);
      const next = await call(node, "POST", "/refresh", { refresh_token: pair.body.refresh_token });
      expect(next.status).toBe(200);
    }
  });

  it("sign-out on node A: node B refuses the access token within revocation.refreshSeconds", async () => {
    const tokens = await signin(a, "ada@example.com");
    expect((await call(b, "GET", "/me", undefined, tokens.access_token)).status).toBe(200);
    expect((await call(a, "POST", "/signout", { refresh_token: tokens.refresh_token })).status).toBe(204);
    const since = Date.now();
    const refused = await refusedWithin(since, () => call(b, "GET", "/me", undefined, tokens.access_token));
    expect([refused.status, refused.body.error?.code]).toEqual([401, "TOKEN_EXPIRED"]);
    expect(refused.afterMs).toBeLessThanOrEqual(REFRESH_SECONDS * 1000 + 1000);
    expect((await call(a, "GET", "/me", undefined, tokens.access_token)).status).toBe(401);
  });

  it("a user disabled on node A can no longer create an organization on node B", async () => {
    await call(a, "POST", "/signup", { email: "root@example.com", password: PASSWORD });
    await call(a, "POST", "/signup", { email: "eve@example.com", password: PASSWORD });
    // Platform admins are verified accounts.
    await sql((q) => q("users").where({ email: "root@example.com" }).update({ email_verified_at: Date.now() }));
    const root = await signin(a, "root@example.com");
    const eve = await signin(a, "eve@example.com");
    const create = (name: string) => call(b, "POST", "/organizations", { name, details: "" }, eve.access_token);
    expect((await create("Eve before")).status).toBe(200);
    const disabled = await call(a, "POST", `/admin/users/${eve.user.id}/disable`, undefined, root.access_token);
    expect(disabled.status).toBe(200);
    const since = Date.now();
    const refused = await refusedWithin(since, () => create(`Eve after ${Date.now()}`));
    expect([refused.status, refused.body.error?.code]).toEqual([401, "TOKEN_EXPIRED"]);
    expect((await create("Eve later")).status).toBe(401);
    const later = await sql((q) => q("organizations").where({ name: "Eve later" }));
    expect(later).toEqual([]);
  });

  it("demotion, then removal, on node A: node B refuses the active-organization claim within the interval", async () => {
    await call(a, "POST", "/signup", { email: "bob@example.com", password: PASSWORD });
    const bob = await signin(a, "bob@example.com");
    const roles = await sql((q) => q("roles").whereNull("org_id").select("id", "name"));
    const roleId = (name: string) => (roles as Array<{ id: number; name: string }>).find((r) => r.name === name)?.id;
    // Bob is an Admin of Acme (seed data: no invitation flow needed for this test).
    await sql((q) =>
      q("members").insert({
        org_id: adaOrgId,
        user_id: bob.user.id,
        role_id: roleId("Admin"),
        status: 1,
        settings: "{}",
        created_at: Date.now(),
        updated_at: Date.now(),
      }),
    );
    const switched = await call(b, "POST", "/switch-organization", {
      refresh_token: bob.refresh_token,
      org_id: adaOrgId,
    });
    expect(switched.status).toBe(200);
    const claim = switched.body.access_token as string;
    const invitations = (token: string) => call(b, "GET", `/organizations/${adaOrgId}/invitations`, undefined, token);
    expect((await invitations(claim)).status).toBe(200);

    const ada = await signin(a, "ada@example.com");
    const demoted = await call(
      a,
      "PATCH",
      `/organizations/${adaOrgId}/members/${bob.user.id}`,
      { role_id: roleId("Member") },
      ada.access_token,
    );
    expect(demoted.status).toBe(204);
    const refused = await refusedWithin(Date.now(), () => invitations(claim));
    expect([refused.status, refused.body.error?.code]).toEqual([401, "TOKEN_EXPIRED"]);
    expect(refused.afterMs).toBeLessThanOrEqual(REFRESH_SECONDS * 1000 + 1000);

    // The client refreshes (on either node) and gets a claim with the current role.
    const refreshed = await call(b, "POST", "/refresh", { refresh_token: switched.body.refresh_token });
    expect(refreshed.status).toBe(200);
    const member = refreshed.body.access_token as string;
    expect((await invitations(member)).body.error?.code).toBe("FORBIDDEN");
    const org = (token: string) => call(b, "GET", `/organizations/${adaOrgId}`, undefined, token);
    expect((await org(member)).status).toBe(200);

    const removed = await call(
      a,
      "DELETE",
      `/organizations/${adaOrgId}/members/${bob.user.id}`,
      undefined,
      ada.access_token,
    );
    expect(removed.status).toBe(204);
    const gone = await refusedWithin(Date.now(), () => org(member));
    expect([gone.status, gone.body.error?.code]).toEqual([401, "TOKEN_EXPIRED"]);
    expect(gone.afterMs).toBeLessThanOrEqual(REFRESH_SECONDS * 1000 + 1000);
  });

  it("failed sign-ins made alternately on both nodes add up to one limit: the 11th is refused", async () => {
    for (let i = 0; i < 10; i++) {
      const node = i % 2 === 0 ? a : b;
      const r = await call(node, "POST", "/signin", { email: "ada@example.com", password: "wrong password!" });
      expect({ attempt: i + 1, node: node.name, status: r.status }).toEqual({
        attempt: i + 1,
        node: node.name,
        status: 401,
      });
    }
    for (const node of [a, b]) {
      const r = await call(node, "POST", "/signin", { email: "ada@example.com", password: PASSWORD });
      expect({ node: node.name, status: r.status, code: r.body.error?.code }).toEqual({
        node: node.name,
        status: 429,
        code: "RATE_LIMITED",
      });
      expect(Number(r.retryAfter)).toBeGreaterThan(800);
      expect(Number(r.retryAfter)).toBeLessThanOrEqual(900);
    }
    // The counters are in the shared Redis (hashed keys: no email in clear), not in either process.
    const keys = await shared.redis.keys(`${shared.prefix}*`);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.join(" ")).not.toContain("ada@example.com");
  });
});

if (!mysql || !redis.available) {
  describe("two nodes sharing one MySQL and one Redis (skipped: needs MySQL and Redis)", () => {
    it.skip("needs MySQL and Redis", () => {});
  });
}
