import { createHttpHandler } from "@tenantauth/core";
import { knexStorage } from "@tenantauth/knex";
import { redisRateLimitStore } from "@tenantauth/redis";
import { createTestAuth, givenUser, type TestAuth } from "@tenantauth/testing";
import { Redis } from "ioredis";
import knex from "knex";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { mysqlAvailability, mysqlTestDatabase } from "./support/mysql.js";
import { redisAvailability } from "./support/redis.js";
import { startTcpProxy, type TcpProxy } from "./support/tcp-proxy.js";

// Issue 14, items 4 and 8: a Redis outage or partition fails fast (503 STORAGE_UNAVAILABLE with Retry-After, within
// the store's command timeout) or, when the host chose so, lets requests through; and an outage is logged as a few
// lines (down, still down, back), not a stack trace per failed request. Each dependency is cut through a proxy
// that the test starts and stops; the shared services are never touched.

const redis = await redisAvailability();
const mysql = await mysqlAvailability();

/** Console lines written (console.error, .warn and .log: Knex logs with console.log), as text. */
function captureConsole(): { lines: string[]; restore(): void } {
  const lines: string[] = [];
  const keep = (...args: unknown[]): void => {
    lines.push(args.map((a) => (typeof a === "string" ? a : JSON.stringify(a))).join(" "));
  };
  const error = vi.spyOn(console, "error").mockImplementation(keep);
  const warn = vi.spyOn(console, "warn").mockImplementation(keep);
  const log = vi.spyOn(console, "log").mockImplementation(keep);
  return {
    lines,
    restore() {
      error.mockRestore();
      warn.mockRestore();
      log.mockRestore();
    },
  };
}

/** POST /signin through the stock HTTP handler; resolves with the status, the body's code and the elapsed ms. */
async function signinOver(
  handler: ReturnType<typeof createHttpHandler>,
  email: string,
  password: string,
): Promise<{ status: number; code: string | undefined; retryAfter: string | null; ms: number }> {
  const started = performance.now();
  const response = await handler(
    new Request("http://localhost/signin", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, password }),
    }),
  );
  const body = (await response.json()) as { error?: { code?: string } };
  return {
    status: response.status,
    code: body.error?.code,
    retryAfter: response.headers.get("retry-after"),
    ms: performance.now() - started,
  };
}

/** Three sign-ins during a cut: each answers 503 STORAGE_UNAVAILABLE with a Retry-After, within `maxMs`. */
async function expectUnavailableWithin(
  handler: ReturnType<typeof createHttpHandler>,
  email: string,
  password: string,
  maxMs: number,
): Promise<void> {
  for (const attempt of [1, 2, 3]) {
    const answer = await signinOver(handler, email, password);
    expect({ attempt, status: answer.status, code: answer.code }).toEqual({
      attempt,
      status: 503,
      code: "STORAGE_UNAVAILABLE",
    });
    expect(Number(answer.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(answer.ms).toBeLessThan(maxMs);
  }
}

/** Retries `probe` until it returns true, for at most `ms`. */
async function eventually(probe: () => Promise<boolean>, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await probe()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

describe.skipIf(!redis.available)("a Redis rate-limit store that goes away", () => {
  let proxy: TcpProxy;
  let client: Redis;
  let t: TestAuth;
  let handler: ReturnType<typeof createHttpHandler>;
  let email: string;
  let console_: ReturnType<typeof captureConsole>;
  const prefix = `tenantauth-test:outage:${Math.random().toString(36).slice(2)}:`;

  const setup = async (policy?: "fail-open" | "fail-closed"): Promise<void> => {
    const url = new URL(redis.available ? redis.url : "redis://127.0.0.1:6379");
    proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 6379) });
    // A client as a host would make it: ioredis's defaults (offline queue on, 20 retries per request).
    client = new Redis({ host: "127.0.0.1", port: proxy.port });
    t = createTestAuth({
      rateLimit: {
        store: redisRateLimitStore(client, { prefix }),
        ...(policy ? { onStoreUnavailable: policy } : {}),
      },
    });
    handler = createHttpHandler(t.auth);
    email = (await givenUser(t)).email;
    expect((await signinOver(handler, email, t.password)).status).toBe(200);
  };

  beforeEach(() => {
    console_ = captureConsole();
  });
  afterEach(async () => {
    console_.restore();
    client.disconnect();
    await proxy.close();
  });

  it("a partition answers 503 STORAGE_UNAVAILABLE with Retry-After within the 1 s command timeout, then heals by itself", async () => {
    await setup();
    proxy.cut("blackhole");
    // Bounded by the store's timeout (1 s), not by Redis: today's store waits for as long as the partition lasts.
    await expectUnavailableWithin(handler, email, t.password, 2_500);
    proxy.restore();
    // ioredis notices the dead socket and reconnects; sign-in works again with no restart.
    expect(await eventually(async () => (await signinOver(handler, email, t.password)).status === 200, 15_000)).toBe(
      true,
    );
  });

  it("a Redis that refuses connections answers 503 at once while the client reconnects (no offline queue wait)", async () => {
    await setup();
    proxy.cut("refuse");
    // Let the client see the reset and start reconnecting.
    await eventually(async () => client.status === "reconnecting" || client.status === "connecting", 3_000);
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await signinOver(handler, email, t.password));
    for (const answer of answers) {
      expect(answer.status).toBe(503);
      expect(answer.code).toBe("STORAGE_UNAVAILABLE");
      expect(answer.ms).toBeLessThan(2_500);
    }
    const signup = await handler(
      new Request("http://localhost/signup", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: "new@example.test", password: t.password }),
      }),
    );
    expect(signup.status).toBe(503);
    // Nothing was written by the refused sign-up.
    expect(await t.storage.findUserByEmail("new@example.test")).toBeNull();
    proxy.restore();
    expect(await eventually(async () => (await signinOver(handler, email, t.password)).status === 200, 15_000)).toBe(
      true,
    );
  });

  it('onStoreUnavailable "fail-open" lets sign-in through during the partition, and logs the outage once', async () => {
    await setup("fail-open");
    proxy.cut("blackhole");
    for (let i = 0; i < 4; i++) {
      const answer = await signinOver(handler, email, t.password);
      expect(answer.status).toBe(200);
      expect(answer.ms).toBeLessThan(5_000);
    }
    const down = console_.lines.filter((l) => l.includes("rate-limit store"));
    expect(down).toHaveLength(1);
    expect(down[0]).toContain("rate-limit store is down");
    expect(down[0]).toContain("REDIS_TIMEOUT");
    proxy.restore();
    expect(
      await eventually(async () => {
        await signinOver(handler, email, t.password);
        return console_.lines.some((l) => l.includes("rate-limit store is back"));
      }, 15_000),
    ).toBe(true);
  });

  it("a wrong password during the outage is still refused (fail-open drops the limits, never the password check)", async () => {
    await setup("fail-open");
    proxy.cut("blackhole");
    const answer = await signinOver(handler, email, "not the password at all");
    expect(answer.status).toBe(401);
    expect(answer.code).toBe("INVALID_CREDENTIALS");
  });
});

/** What {@link withProxiedMysql} gives a test: the proxy to cut, an app on it, a signed-up user, the console. */
interface ProxiedMysql {
  proxy: TcpProxy;
  t: TestAuth;
  handler: ReturnType<typeof createHttpHandler>;
  email: string;
  capture: ReturnType<typeof captureConsole>;
}

/**
 * Runs `fn` with an app whose storage reaches a fresh MySQL database through a proxy the test can cut, and a user
 * who has signed in once; cleans everything up afterwards.
 */
async function withProxiedMysql(
  options: { statementTimeoutMs?: number; acquireTimeoutMs?: number },
  fn: (setup: ProxiedMysql) => Promise<void>,
): Promise<void> {
  const db = await mysqlTestDatabase();
  const url = new URL(db.url);
  const proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 3306) });
  url.host = `127.0.0.1:${proxy.port}`;
  const storage = knexStorage(url.toString(), options);
  const capture = captureConsole();
  try {
    await storage.migrate();
    const t = createTestAuth({ storage });
    const handler = createHttpHandler(t.auth);
    const { email } = await givenUser(t);
    expect((await signinOver(handler, email, t.password)).status).toBe(200);
    await fn({ proxy, t, handler, email, capture });
  } finally {
    capture.restore();
    await storage.destroy();
    await proxy.close();
    await db.cleanup();
  }
}

describe("the Redis store's command timeout", () => {
  it("is a whole number of ms from 1 to 60000", () => {
    const unused = {} as Redis;
    for (const commandTimeoutMs of [0, -1, 1.5, 60_001, Number.NaN]) {
      expect(() => redisRateLimitStore(unused, { commandTimeoutMs })).toThrow(/commandTimeoutMs/);
    }
    expect(() => redisRateLimitStore(unused, { commandTimeoutMs: 250 })).not.toThrow();
  });
});

describe.skipIf(!mysql.available)("a database outage in the log", () => {
  it("40 failed requests during a MySQL outage are one line when it starts and one when it ends", async () => {
    await withProxiedMysql({}, async ({ proxy, t, handler, email, capture }) => {
      proxy.cut("refuse");
      for (let i = 0; i < 40; i++) {
        const answer = await signinOver(handler, email, t.password);
        expect(answer.status).toBe(503);
        expect(answer.retryAfter).not.toBeNull();
      }
      // Today: one "unexpected error" block per request (40 of them), and Knex's stack trace per connection attempt.
      expect(capture.lines.filter((l) => !l.includes("[tenantauth]"))).toEqual([]);
      const during = capture.lines.filter((l) => l.includes("[tenantauth]"));
      expect(during).toHaveLength(1);
      expect(during[0]).toContain("database is down");
      // The line carries the safe fields only: no SQL, no email.
      expect(during[0]).not.toContain(email);
      expect(during[0]).not.toMatch(/select|insert/i);
      proxy.restore();
      expect(await eventually(async () => (await signinOver(handler, email, t.password)).status === 200, 15_000)).toBe(
        true,
      );
      const after = capture.lines.filter((l) => l.includes("[tenantauth]"));
      expect(after).toHaveLength(2);
      expect(after[1]).toContain("database is back");
      expect(after[1]).toMatch(/"failures":\d+/);
    });
  });
});

describe.skipIf(!mysql.available)("a MySQL partition", () => {
  it("answers 503 with Retry-After within the statement and acquire timeouts, then recovers by itself", async () => {
    // Shorter than the defaults (5 s each) to keep the test short; the defaults are checked in packages/knex.
    await withProxiedMysql(
      { statementTimeoutMs: 1_000, acquireTimeoutMs: 1_500 },
      async ({ proxy, t, handler, email, capture }) => {
        proxy.cut("blackhole");
        // The first waits on a pooled connection's statement, the next ones on new connections that never greet.
        // Today a partition holds the request as long as it lasts (and a stuck pool 60 s).
        await expectUnavailableWithin(handler, email, t.password, 4_000);
        // No trace per discarded connection from Knex either.
        expect(capture.lines.filter((l) => !l.includes("[tenantauth]"))).toEqual([]);
        proxy.restore();
        expect(
          await eventually(async () => (await signinOver(handler, email, t.password)).status === 200, 15_000),
        ).toBe(true);
      },
    );
  });

  it("the timeout bounds the adapter's own Knex instance only: the host's instance in the same process is untouched", async () => {
    const db = await mysqlTestDatabase();
    const bounded = knexStorage(db.url, { statementTimeoutMs: 100 });
    const own = knex({ client: "mysql2", connection: db.url });
    try {
      // Both instances share Knex's mysql2 client class; only the adapter's carries the timeout.
      await expect(bounded.knex.raw("select sleep(0.5) as slept")).rejects.toThrow(/timeout/i);
      const [rows] = (await own.raw("select sleep(0.5) as slept")) as [Array<{ slept: number }>];
      expect(rows[0]?.slept).toBe(0);
      // And migrations through the adapter are not bounded (a fresh database takes longer than 100 ms).
      await expect(bounded.migrate()).resolves.toBeUndefined();
    } finally {
      await own.destroy();
      await bounded.destroy();
      await db.cleanup();
    }
  });
});
