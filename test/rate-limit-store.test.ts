import { randomUUID } from "node:crypto";
import { memoryRateLimitStore, type RateLimitStore, storageRateLimitStore } from "@tenantauth/core";
import { redisRateLimitStore } from "@tenantauth/redis";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { backends } from "./support/backends.js";
import { redisAvailability, redisTestClient } from "./support/redis.js";

/** A store and how to dispose of it. */
interface StoreFactory {
  name: string;
  create(): Promise<{ store: RateLimitStore; cleanup(): Promise<void> }>;
}

const redis = await redisAvailability();
const factories: StoreFactory[] = [
  { name: "memoryRateLimitStore", create: async () => ({ store: memoryRateLimitStore(), cleanup: async () => {} }) },
  ...backends.map(
    (backend): StoreFactory => ({
      name: `storageRateLimitStore on ${backend.name}`,
      async create() {
        const { storage, cleanup } = await backend.create();
        return { store: storageRateLimitStore(storage), cleanup };
      },
    }),
  ),
  ...(redis.available
    ? [
        {
          name: "redisRateLimitStore",
          async create() {
            const client = await redisTestClient();
            return { store: redisRateLimitStore(client.redis, { prefix: client.prefix }), cleanup: client.cleanup };
          },
        },
      ]
    : []),
];
if (!redis.available) {
  describe(`RateLimitStore contract: redisRateLimitStore (skipped: ${redis.reason})`, () => {
    it.skip("needs Redis", () => {});
  });
}

const T0 = Date.UTC(2030, 0, 1);
const MINUTE = 60_000;
/** 2100-01-01: beyond 32 bits, and more than 13 digits would lose precision in Lua's default formatting. */
const FAR = 4_102_444_800_000;

describe.each(factories)("RateLimitStore contract: $name", (factory) => {
  let store: RateLimitStore;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ store, cleanup } = await factory.create());
  });
  afterEach(async () => {
    await cleanup();
  });
  const key = (): string => `k:${randomUUID()}`;

  it("hit counts up within a window, keeping resetAt; a new window starts once it ended", async () => {
    const k = key();
    expect(await store.hit(k, { windowMs: MINUTE, now: T0 })).toEqual({ count: 1, resetAt: T0 + MINUTE });
    expect(await store.hit(k, { windowMs: 5 * MINUTE, now: T0 + 1000 })).toEqual({ count: 2, resetAt: T0 + MINUTE });
    expect(await store.hit(k, { windowMs: 2 * MINUTE, now: T0 + MINUTE })).toEqual({
      count: 1,
      resetAt: T0 + 3 * MINUTE,
    });
  });

  it("epoch milliseconds in 2100 round-trip exactly", async () => {
    const k = key();
    expect(await store.hit(k, { windowMs: MINUTE, now: FAR + 7 })).toEqual({ count: 1, resetAt: FAR + MINUTE + 7 });
    expect(await store.peek([k], FAR + 7)).toEqual([{ count: 1, resetAt: FAR + MINUTE + 7 }]);
  });

  it("peek reads several keys in order without counting; null for unknown and ended windows", async () => {
    const [open, ended, unknown] = [key(), key(), key()];
    await store.hit(open, { windowMs: 10 * MINUTE, now: T0 });
    await store.hit(open, { windowMs: 10 * MINUTE, now: T0 });
    await store.hit(ended, { windowMs: MINUTE, now: T0 });
    const peeked = [null, { count: 2, resetAt: T0 + 10 * MINUTE }, null];
    expect(await store.peek([unknown, open, ended], T0 + MINUTE)).toEqual(peeked);
    expect(await store.peek([unknown, open, ended], T0 + MINUTE)).toEqual(peeked);
    expect(await store.peek([], T0)).toEqual([]);
  });

  it("reset forgets the given keys only", async () => {
    const [a, b] = [key(), key()];
    await store.hit(a, { windowMs: MINUTE, now: T0 });
    await store.hit(b, { windowMs: MINUTE, now: T0 });
    await store.reset([a, key()]);
    expect(await store.peek([a, b], T0)).toEqual([null, { count: 1, resetAt: T0 + MINUTE }]);
    expect((await store.hit(a, { windowMs: MINUTE, now: T0 })).count).toBe(1);
  });

  it("of 30 concurrent hits on one key, each gets a different count: 1..30 exactly once", async () => {
    const k = key();
    const windows = await Promise.all(
      Array.from({ length: 30 }, () => store.hit(k, { windowMs: 10 * MINUTE, now: T0 })),
    );
    expect(windows.map((w) => w.count).sort((x, y) => x - y)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(await store.peek([k], T0)).toEqual([{ count: 30, resetAt: T0 + 10 * MINUTE }]);
  });
});
