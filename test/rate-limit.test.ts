import {
  type AuditEvent,
  type AuthError,
  type AuthOptions,
  argon2idHasher,
  ConfigError,
  createAuth,
  memoryRateLimitStore,
  type PasswordHasher,
  type RateLimitStore,
  SafeError,
  type StorageAdapter,
  safeErrorFields,
  storageRateLimitStore,
} from "@tenantauth/core";
import type { KnexStorage } from "@tenantauth/knex";
import { redisRateLimitStore } from "@tenantauth/redis";
import { fastHasher, memoryStorage } from "@tenantauth/testing";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { sqlBackends } from "./support/backends.js";
import { type ManualClock, manualClock } from "./support/clock.js";
import { authErrorOf, expectAuthError } from "./support/errors.js";
import { redisAvailability, redisTestClient } from "./support/redis.js";
import { statements } from "./support/sql-statements.js";

const SECRET = "test-secret-that-is-at-least-32-bytes-long";
const PASSWORD = "correct horse battery staple";
const WRONG = "not the password at all";
const MINUTE = 60_000;

/** Real argon2id at low cost (these tests make many sign-ins), counting verifications. */
function countingHasher(): PasswordHasher & { verifies: number } {
  const inner = argon2idHasher({ memoryCost: 1024, timeCost: 1 });
  const spy = {
    verifies: 0,
    hash: (p: string) => inner.hash(p),
    verify: (h: string, p: string) => {
      spy.verifies++;
      return inner.verify(h, p);
    },
    needsRehash: (h: string) => inner.needsRehash(h),
  };
  return spy;
}

/** Where the counters live in a run: the store option (undefined = the default SQL store) over a storage. */
interface Variant {
  name: string;
  create(): Promise<{ storage: StorageAdapter; store: RateLimitStore | undefined; cleanup(): Promise<void> }>;
}

const redis = await redisAvailability();
const variants: Variant[] = [
  {
    name: "memory store",
    create: async () => ({ storage: memoryStorage(), store: memoryRateLimitStore(), cleanup: async () => {} }),
  },
  ...sqlBackends.map(
    (backend): Variant => ({
      name: `SQL store (default) on ${backend.name}`,
      async create() {
        const { storage, cleanup } = await backend.create();
        return { storage, store: undefined, cleanup };
      },
    }),
  ),
  ...(redis.available
    ? [
        {
          name: "Redis store",
          async create() {
            const client = await redisTestClient();
            const store = redisRateLimitStore(client.redis, { prefix: client.prefix });
            return { storage: memoryStorage(), store, cleanup: client.cleanup };
          },
        },
      ]
    : []),
];
if (!redis.available) {
  describe(`throttling on the Redis store (skipped: ${redis.reason})`, () => {
    it.skip("needs Redis", () => {});
  });
}

describe.each(variants)("throttling on the $name", (variant) => {
  let clock: ManualClock;
  let hasher: ReturnType<typeof countingHasher>;
  let storage: StorageAdapter;
  let store: RateLimitStore | undefined;
  let cleanup: () => Promise<void>;
  let events: AuditEvent[];

  const make = (rateLimit: Omit<NonNullable<AuthOptions["rateLimit"]>, "store"> = {}) =>
    createAuth({
      secret: SECRET,
      storage,
      clock,
      passwordHasher: hasher,
      emailVerification: { required: false },
      rateLimit: { ...rateLimit, ...(store ? { store } : {}) },
      onEvent: (event) => void events.push(event),
    });
  /** The `signin.lockout` audit events so far: what the throttle reported for each lock. */
  const lockouts = () => events.filter((e) => e.type === "signin.lockout").map((e) => e.data);
  let auth: ReturnType<typeof make>;

  beforeEach(async () => {
    ({ storage, store, cleanup } = await variant.create());
    clock = manualClock();
    hasher = countingHasher();
    events = [];
    auth = make();
    await auth.signup({ email: "ada@example.com", password: PASSWORD });
  });
  afterEach(async () => {
    await cleanup();
  });

  /** `n` failed sign-ins, each answered INVALID_CREDENTIALS, one second apart. */
  const fail = async (email: string, n: number, meta = {}): Promise<void> => {
    for (let i = 0; i < n; i++) {
      await expectAuthError(auth.signin({ email, password: WRONG }, meta), "INVALID_CREDENTIALS");
      clock.advance(1000);
    }
  };

  it("refuses the 11th failed sign-in within 15 minutes with RATE_LIMITED, without checking the password", async () => {
    await fail("ada@example.com", 10);
    const verifies = hasher.verifies;
    const error = await expectAuthError(auth.signin({ email: "ADA@example.com ", password: PASSWORD }), "RATE_LIMITED");
    expect(error.status).toBe(429);
    // The window opened at the first failure, 10 s ago: the lock lasts until it ends.
    expect(error.details).toEqual({ retryAfterSeconds: 15 * 60 - 10 });
    expect(hasher.verifies, "no password verification while locked").toBe(verifies);
  });

  it("locks an unknown email exactly like a known one: same errors, same retry-after, at the same attempt", async () => {
    const seen = async (email: string): Promise<Array<Pick<AuthError, "code" | "message" | "status" | "details">>> => {
      const start = clock.now();
      const out = [];
      for (let i = 0; i < 12; i++) {
        const error = await expectAuthError(
          auth.signin({ email, password: WRONG }),
          i < 10 ? "INVALID_CREDENTIALS" : "RATE_LIMITED",
        );
        out.push({ code: error.code, message: error.message, status: error.status, details: error.details });
        clock.advance(1000);
      }
      clock.set(start);
      return out;
    };
    const known = await seen("ada@example.com");
    const unknown = await seen("nobody@example.com");
    expect(unknown).toEqual(known);
    expect(known[10]).toEqual({
      code: "RATE_LIMITED",
      status: 429,
      message: expect.any(String),
      details: { retryAfterSeconds: 15 * 60 - 10 },
    });
  });

  it("each next lock within a day lasts twice as long, up to maxLockSeconds (1 hour)", async () => {
    const lockAfterTenFailures = async (): Promise<number> => {
      await fail("ada@example.com", 10);
      const error = await expectAuthError(auth.signin({ email: "ada@example.com", password: WRONG }), "RATE_LIMITED");
      return error.details?.retryAfterSeconds as number;
    };
    expect(await lockAfterTenFailures()).toBe(15 * 60 - 10);
    clock.advance(15 * MINUTE);
    // Later locks start at the 10th failure, one second before the refused attempt.
    expect(await lockAfterTenFailures()).toBe(30 * 60 - 1);
    clock.advance(30 * MINUTE);
    expect(await lockAfterTenFailures()).toBe(60 * 60 - 1);
    clock.advance(60 * MINUTE);
    expect(await lockAfterTenFailures()).toBe(60 * 60 - 1);
    // Just before the lock ends it still holds; once it ended, the right password signs in.
    clock.advance(60 * MINUTE - 1000 - 1);
    await expectAuthError(auth.signin({ email: "ada@example.com", password: PASSWORD }), "RATE_LIMITED");
    clock.advance(1000);
    await expect(auth.signin({ email: "ada@example.com", password: PASSWORD })).resolves.toHaveProperty("accessToken");
  });

  it("the window ends: 15 minutes after the first failure the right password works again", async () => {
    await fail("ada@example.com", 10);
    clock.advance(15 * MINUTE - 10_000 - 1);
    await expectAuthError(auth.signin({ email: "ada@example.com", password: PASSWORD }), "RATE_LIMITED");
    clock.advance(1);
    const { user } = await auth.signin({ email: "ada@example.com", password: PASSWORD });
    expect(user.email).toBe("ada@example.com");
  });

  it("a successful sign-in clears the account's failures", async () => {
    await fail("ada@example.com", 9);
    await auth.signin({ email: "ada@example.com", password: PASSWORD });
    await fail("ada@example.com", 10);
    await expectAuthError(auth.signin({ email: "ada@example.com", password: PASSWORD }), "RATE_LIMITED");
  });

  it("caps failures per account per hour (maxPerHour), whatever the window", async () => {
    auth = make({ signin: { perAccountAndIp: { limit: 100, windowSeconds: 60 }, perAccount: { maxPerHour: 5 } } });
    await fail("ada@example.com", 3);
    clock.advance(MINUTE); // a new 60 s window; the hourly count goes on
    await fail("ada@example.com", 2);
    const error = await expectAuthError(auth.signin({ email: "ada@example.com", password: PASSWORD }), "RATE_LIMITED");
    expect(error.details).toEqual({ retryAfterSeconds: 60 * 60 - (3 + 60 + 2) });
  });

  it("limits failed sign-ins per IP across accounts; other IPs and the accounts themselves are not affected", async () => {
    auth = make({ signin: { perIp: { limit: 3, windowSeconds: 600 } } });
    const attacker = { ip: "203.0.113.9" };
    await fail("a@example.com", 1, attacker);
    await fail("b@example.com", 1, attacker);
    await fail("ada@example.com", 1, attacker);
    const error = await expectAuthError(
      auth.signin({ email: "ada@example.com", password: PASSWORD }, attacker),
      "RATE_LIMITED",
    );
    expect(error.details).toEqual({ retryAfterSeconds: 600 - 3 });
    await expect(
      auth.signin({ email: "ada@example.com", password: PASSWORD }, { ip: "198.51.100.1" }),
    ).resolves.toBeTruthy();
    clock.advance(600 * 1000);
    await expect(auth.signin({ email: "ada@example.com", password: PASSWORD }, attacker)).resolves.toBeTruthy();
  });

  it("limits sign-ups per email and per IP", async () => {
    auth = make({ signup: { perEmail: { limit: 2, windowSeconds: 3600 }, perIp: { limit: 3, windowSeconds: 3600 } } });
    const ip = { ip: "203.0.113.7" };
    await auth.signup({ email: "bob@example.com", password: PASSWORD }, ip);
    await expectAuthError(auth.signup({ email: "bob@example.com", password: PASSWORD }, ip), "EMAIL_TAKEN");
    const byEmail = await expectAuthError(
      auth.signup({ email: "Bob@example.com", password: PASSWORD }),
      "RATE_LIMITED",
    );
    expect(byEmail.details).toEqual({ retryAfterSeconds: 3600 });
    await auth.signup({ email: "new@example.com", password: PASSWORD }, ip);
    await expectAuthError(auth.signup({ email: "other@example.com", password: PASSWORD }, ip), "RATE_LIMITED");
    await auth.signup({ email: "other@example.com", password: PASSWORD }, { ip: "198.51.100.1" });
  });

  it.each([
    ["requestPasswordReset", "passwordReset", "password-reset"],
    ["resendVerification", "resendVerification", "verify-email"],
  ] as const)(
    "%s: over the per-email-and-IP, per-email and per-IP limits it answers alike and sends nothing more",
    async (method, option, template) => {
      auth = make({
        [option]: {
          perEmailAndIp: { limit: 2, windowSeconds: 3600 },
          perEmail: { limit: 3, windowSeconds: 3600 },
          perIp: { limit: 5, windowSeconds: 1800 },
        },
      });
      await auth.signup({ email: "bob@example.com", password: PASSWORD });
      const mails = async (email: string) =>
        (await storage.listMail({ recipient: email, limit: 50 })).filter((m) => m.template === template).length;
      const [a, b, c] = [{ ip: "203.0.113.8" }, { ip: "198.51.100.2" }, { ip: "192.0.2.3" }];
      const before = await mails("ada@example.com");
      for (const email of ["ada@example.com", "nobody@example.com"]) {
        await auth[method](email, a);
        await auth[method](email, a);
        await expect(
          auth[method](email, a),
          "over the per-email-and-IP limit: answered alike",
        ).resolves.toBeUndefined();
      }
      await auth.mail.idle();
      expect(await mails("ada@example.com")).toBe(before + 2);
      // Another IP may still ask for the same address, up to the per-email ceiling (3, counted only for requests
      // within the per-email-and-IP limit).
      await auth[method]("ada@example.com", b);
      await auth[method]("ada@example.com", c);
      await auth.mail.idle();
      expect(await mails("ada@example.com")).toBe(before + 3);
      // 6 requests from IP a so far: it is over its limit for any address, and still answered alike.
      await expect(auth[method]("bob@example.com", a)).resolves.toBeUndefined();
      await auth.mail.idle();
      const bobs = await mails("bob@example.com");
      await auth[method]("bob@example.com", b);
      await auth.mail.idle();
      expect(await mails("bob@example.com")).toBe(bobs + 1);
    },
  );

  it("audits every lock with its own retry-after: the first until the failure window ends, later ones their doubled length", async () => {
    const from = { ip: "203.0.113.5" };
    await fail("ada@example.com", 10, from);
    // The window opened at the first failure, 9 s before the 10th (the one that locked).
    expect(lockouts()).toEqual([{ scope: "account_ip", retryAfterSeconds: 15 * 60 - 9 }]);
    clock.advance(15 * MINUTE);
    await fail("ada@example.com", 10, from);
    // The second lock outlasts the failure window (which ends 15 min - 9 s after the 10th failure).
    expect(lockouts()[1]).toEqual({ scope: "account_ip", retryAfterSeconds: 30 * 60 });
    clock.advance(30 * MINUTE);
    await fail("ada@example.com", 10, from);
    expect(lockouts()[2]).toEqual({ scope: "account_ip", retryAfterSeconds: 60 * 60 });
    expect(lockouts()).toHaveLength(3);
  });

  it("the failure that reaches the hourly ceiling locks the account for everyone, audited until the hour ends", async () => {
    auth = make({ signin: { perAccountAndIp: { limit: 100, windowSeconds: 60 }, perAccount: { maxPerHour: 5 } } });
    await fail("ada@example.com", 3, { ip: "203.0.113.1" });
    clock.advance(MINUTE);
    await fail("ada@example.com", 1, { ip: "198.51.100.1" });
    expect(lockouts()).toEqual([]);
    await expectAuthError(
      auth.signin({ email: "ada@example.com", password: WRONG }, { ip: "192.0.2.1" }),
      "INVALID_CREDENTIALS",
    );
    // The hour opened at the first failure, 3 + 60 + 1 s before the 5th.
    expect(lockouts()).toEqual([{ scope: "account", retryAfterSeconds: 60 * 60 - 64 }]);
    const error = await expectAuthError(
      auth.signin({ email: "ada@example.com", password: PASSWORD }, { ip: "192.0.2.2" }),
      "RATE_LIMITED",
    );
    expect(error.details).toEqual({ retryAfterSeconds: 60 * 60 - 64 });
  });

  it("a good password clears failures still in their window after the hourly count has ended", async () => {
    // A failure window longer than the hour: the failures outlive the hourly count.
    auth = make({ signin: { perAccountAndIp: { limit: 3, windowSeconds: 7200 } } });
    await fail("ada@example.com", 2);
    clock.advance(61 * MINUTE);
    await auth.signin({ email: "ada@example.com", password: PASSWORD });
    // Cleared: two more failures stay under the limit of 3.
    await fail("ada@example.com", 2);
    await expect(auth.signin({ email: "ada@example.com", password: PASSWORD })).resolves.toHaveProperty("accessToken");
  });

  it("a good password from one IP clears the hourly ceiling counted from other IPs", async () => {
    auth = make({ signin: { perAccount: { maxPerHour: 5 } } });
    await fail("ada@example.com", 4, { ip: "203.0.113.1" });
    // This IP has no failures of its own; the account has 4 this hour.
    await auth.signin({ email: "ada@example.com", password: PASSWORD }, { ip: "198.51.100.1" });
    await fail("ada@example.com", 4, { ip: "192.0.2.1" });
    expect(lockouts()).toEqual([]);
    await expect(
      auth.signin({ email: "ada@example.com", password: PASSWORD }, { ip: "192.0.2.2" }),
    ).resolves.toHaveProperty("accessToken");
  });

  it("a sign-up over both its limits waits for the later window", async () => {
    auth = make({ signup: { perEmail: { limit: 1, windowSeconds: 3600 }, perIp: { limit: 1, windowSeconds: 600 } } });
    const ip = { ip: "203.0.113.7" };
    await auth.signup({ email: "bob@example.com", password: PASSWORD }, ip);
    clock.advance(100_000);
    const error = await expectAuthError(
      auth.signup({ email: "bob@example.com", password: PASSWORD }, ip),
      "RATE_LIMITED",
    );
    expect(error.details).toEqual({ retryAfterSeconds: 3600 - 100 });
  });

  it("reset mails: the per-email-and-IP limit holds for its whole window (seconds), then lets a request through", async () => {
    auth = make({ passwordReset: { perEmailAndIp: { limit: 2, windowSeconds: 3600 } } });
    const ip = { ip: "203.0.113.8" };
    const mails = async () =>
      (await storage.listMail({ recipient: "ada@example.com", limit: 50 })).filter(
        (m) => m.template === "password-reset",
      ).length;
    for (let i = 0; i < 3; i++) {
      await auth.requestPasswordReset("ada@example.com", ip);
      clock.advance(20 * MINUTE);
    }
    await auth.mail.idle();
    expect(await mails(), "the third request, 40 minutes into the hour, sends nothing").toBe(2);
    // The window opened at the first request, 60 minutes ago: it has ended.
    await auth.requestPasswordReset("ada@example.com", ip);
    await auth.mail.idle();
    expect(await mails()).toBe(3);
  });

  it("reset mails for a caller without an IP are limited by the per-email ceiling alone", async () => {
    auth = make({
      passwordReset: { perEmailAndIp: { limit: 1, windowSeconds: 3600 }, perEmail: { limit: 2, windowSeconds: 3600 } },
    });
    for (let i = 0; i < 3; i++) await expect(auth.requestPasswordReset("ada@example.com")).resolves.toBeUndefined();
    await auth.mail.idle();
    const mails = await storage.listMail({ recipient: "ada@example.com", limit: 50 });
    expect(mails.filter((m) => m.template === "password-reset")).toHaveLength(2);
  });

  it("enabled: false never holds back a reset mail", async () => {
    auth = make({ enabled: false });
    for (let i = 0; i < 5; i++) await auth.requestPasswordReset("ada@example.com", { ip: "203.0.113.8" });
    await auth.mail.idle();
    const mails = await storage.listMail({ recipient: "ada@example.com", limit: 50 });
    expect(mails.filter((m) => m.template === "password-reset")).toHaveLength(5);
  });

  it("enabled: false turns every limit off", async () => {
    auth = make({ enabled: false });
    await fail("ada@example.com", 25);
    await expect(auth.signin({ email: "ada@example.com", password: PASSWORD })).resolves.toBeTruthy();
  });
});

describe("rate-limit options", () => {
  it("the default SQL store needs a storage adapter with rate-limit counters: ConfigError names rateLimit.store", () => {
    const { hitRateLimit: _h, ...withoutCounters } = memoryStorage();
    const create = () => createAuth({ secret: SECRET, storage: withoutCounters as StorageAdapter });
    expect(create).toThrow(ConfigError);
    expect(create).toThrow(/rateLimit\.store/);
    expect(() =>
      createAuth({
        secret: SECRET,
        storage: withoutCounters as StorageAdapter,
        rateLimit: { store: memoryRateLimitStore() },
      }),
    ).not.toThrow();
  });

  it("refuses bad limits with ConfigError", () => {
    const storage = memoryStorage();
    expect(() =>
      createAuth({ secret: SECRET, storage, rateLimit: { signin: { perAccount: { maxPerHour: 101 } } } }),
    ).toThrow(/maxPerHour/);
    expect(() => createAuth({ secret: SECRET, storage, rateLimit: { signup: { perIp: { limit: 0 } } } })).toThrow(
      /limit/,
    );
    expect(() => createAuth({ secret: SECRET, storage, rateLimit: { store: {} as RateLimitStore } })).toThrow(/store/);
  });

  it("a failing store fails closed: STORAGE_UNAVAILABLE, never the store's own error", async () => {
    const broken: RateLimitStore = {
      hit: async () => {
        throw new Error("ECONNREFUSED 127.0.0.1:6379");
      },
      peek: async () => {
        throw new Error("ECONNREFUSED 127.0.0.1:6379");
      },
      reset: async () => {},
    };
    const auth = createAuth({ secret: SECRET, storage: memoryStorage(), rateLimit: { store: broken } });
    await expectAuthError(auth.signin({ email: "ada@example.com", password: PASSWORD }), "STORAGE_UNAVAILABLE");
    await expectAuthError(auth.requestPasswordReset("ada@example.com"), "STORAGE_UNAVAILABLE");
  });

  it("a failing store's error is kept only as a safe summary: the store and the driver's code, never its message", async () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 10.1.2.3:6379 (user ada@example.com)"), {
      code: "ECONNREFUSED",
    });
    const broken: RateLimitStore = {
      hit: async () => Promise.reject(refused),
      peek: async () => Promise.reject(refused),
      reset: async () => {},
    };
    const auth = createAuth({ secret: SECRET, storage: memoryStorage(), rateLimit: { store: broken } });
    const error = await expectAuthError(
      auth.signin({ email: "ada@example.com", password: PASSWORD }, { ip: "203.0.113.1" }),
      "STORAGE_UNAVAILABLE",
    );
    expect(error.status).toBe(503);
    expect(error.cause).toBeInstanceOf(SafeError);
    expect(safeErrorFields(error).cause).toEqual({
      name: "SafeError",
      code: "ECONNREFUSED",
      operation: "rateLimitStore",
    });
    expect(JSON.stringify(safeErrorFields(error))).not.toMatch(/10\.1\.2\.3|ada@example/);
  });

  it("an AuthError of the store (the default SQL store's adapter) passes through as it is", async () => {
    const [sqlite] = sqlBackends;
    if (!sqlite) throw new Error("the SQLite backend is always available");
    // Counters in a SQL database that has gone away: the Knex adapter reports it with its own AuthError.
    const counters = await sqlite.create();
    await counters.cleanup();
    const auth = createAuth({
      secret: SECRET,
      storage: memoryStorage(),
      rateLimit: { store: storageRateLimitStore(counters.storage) },
    });
    const error = await authErrorOf(auth.signin({ email: "ada@example.com", password: PASSWORD }));
    const direct = await authErrorOf(counters.storage.peekRateLimits(["ta:signin-failures:x"], Date.now()));
    expect({ code: error.code, cause: safeErrorFields(error).cause?.operation }).toEqual({
      code: direct.code,
      cause: "peekRateLimits",
    });
  });

  it('onStoreUnavailable "fail-open": a failing store lets requests through unthrottled; passwords are still checked', async () => {
    let hits = 0;
    const broken: RateLimitStore = {
      hit: async () => {
        hits += 1;
        throw new Error("ECONNREFUSED 127.0.0.1:6379");
      },
      peek: async () => {
        throw new Error("ECONNREFUSED 127.0.0.1:6379");
      },
      reset: async () => {
        throw new Error("ECONNREFUSED 127.0.0.1:6379");
      },
    };
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      const auth = createAuth({
        secret: SECRET,
        storage: memoryStorage(),
        passwordHasher: fastHasher(),
        emailVerification: { required: false },
        rateLimit: { store: broken, onStoreUnavailable: "fail-open", signin: { perAccountAndIp: { limit: 1 } } },
      });
      await auth.signup({ email: "ada@example.com", password: PASSWORD });
      // Far past the limit of 1: nothing is counted while the store is down, and nothing locks.
      for (let i = 0; i < 3; i++) {
        await expectAuthError(
          auth.signin({ email: "ada@example.com", password: "wrong password, really" }),
          "INVALID_CREDENTIALS",
        );
      }
      expect((await auth.signin({ email: "ada@example.com", password: PASSWORD })).accessToken).toEqual(
        expect.any(String),
      );
      expect(hits).toBeGreaterThan(0);
      // One line for the whole outage.
      const lines = errors.mock.calls.filter((c) => String(c[0]).includes("rate-limit store"));
      expect(lines).toHaveLength(1);
    } finally {
      errors.mockRestore();
    }
  });

  it("onStoreUnavailable accepts only fail-closed or fail-open", () => {
    expect(() =>
      createAuth({
        secret: SECRET,
        storage: memoryStorage(),
        rateLimit: { onStoreUnavailable: "ignore" as "fail-open" },
      }),
    ).toThrow(/onStoreUnavailable/);
  });
});

describe.each(sqlBackends)("cost of throttling on the default SQL store, on $name", (backend) => {
  it("a successful sign-in costs one more statement (a SELECT of the counters); a clean one writes none", async () => {
    const { storage, cleanup } = await backend.create();
    try {
      const knex = storage as KnexStorage;
      const options = {
        secret: SECRET,
        storage,
        passwordHasher: countingHasher(),
        emailVerification: { required: false },
      };
      const throttled = createAuth(options);
      const plain = createAuth({ ...options, rateLimit: { enabled: false } });
      await throttled.signup({ email: "ada@example.com", password: PASSWORD });
      const credentials = { email: "ada@example.com", password: PASSWORD };
      const base = await statements(knex, () => plain.signin(credentials, { ip: "203.0.113.1" }));
      const withLimits = await statements(knex, () => throttled.signin(credentials, { ip: "203.0.113.1" }));
      expect(withLimits.length).toBe(base.length + 1);
      const extra = withLimits.filter((sql) => sql.includes("rate_limits"));
      expect(extra).toHaveLength(1);
      expect(extra[0]).toMatch(/^select/i);
    } finally {
      await cleanup();
    }
  });
});
