import { randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import { FAR_FUTURE, type Harness, MINUTE, T0 } from "./fixtures.js";

const newKey = (): string => `conformance:${randomUUID()}`;

/** Tests of the rate-limit counters (RateLimitStorage): fixed windows, atomic hits, peek, reset and prune. */
export function registerRateLimitTests(h: Harness): void {
  it("hitRateLimit starts a window at count 1 and counts up within it, keeping resetAt", async () => {
    const storage = h.storage();
    const key = newKey();
    expect(await storage.hitRateLimit({ key, windowMs: MINUTE, now: T0 })).toEqual({ count: 1, resetAt: T0 + MINUTE });
    expect(await storage.hitRateLimit({ key, windowMs: MINUTE, now: T0 + 10 })).toEqual({
      count: 2,
      resetAt: T0 + MINUTE,
    });
    expect(await storage.hitRateLimit({ key, windowMs: 5 * MINUTE, now: T0 + MINUTE - 1 })).toEqual({
      count: 3,
      resetAt: T0 + MINUTE,
    });
  });

  it("hitRateLimit starts a new window once resetAt has passed; keys are independent", async () => {
    const storage = h.storage();
    const [a, b] = [newKey(), newKey()];
    await storage.hitRateLimit({ key: a, windowMs: MINUTE, now: T0 });
    await storage.hitRateLimit({ key: a, windowMs: MINUTE, now: T0 });
    expect(await storage.hitRateLimit({ key: b, windowMs: MINUTE, now: T0 })).toEqual({
      count: 1,
      resetAt: T0 + MINUTE,
    });
    expect(await storage.hitRateLimit({ key: a, windowMs: 2 * MINUTE, now: T0 + MINUTE })).toEqual({
      count: 1,
      resetAt: T0 + 3 * MINUTE,
    });
  });

  it("timestamps beyond 32 bits round-trip", async () => {
    const storage = h.storage();
    const key = newKey();
    expect(await storage.hitRateLimit({ key, windowMs: MINUTE, now: FAR_FUTURE })).toEqual({
      count: 1,
      resetAt: FAR_FUTURE + MINUTE,
    });
  });

  it("peekRateLimits reads open windows in the given order, null for unknown or ended ones, without counting", async () => {
    const storage = h.storage();
    const [open, ended, unknown] = [newKey(), newKey(), newKey()];
    await storage.hitRateLimit({ key: open, windowMs: 10 * MINUTE, now: T0 });
    await storage.hitRateLimit({ key: open, windowMs: 10 * MINUTE, now: T0 });
    await storage.hitRateLimit({ key: ended, windowMs: MINUTE, now: T0 });
    const now = T0 + MINUTE;
    expect(await storage.peekRateLimits([unknown, open, ended], now)).toEqual([
      null,
      { count: 2, resetAt: T0 + 10 * MINUTE },
      null,
    ]);
    expect(await storage.peekRateLimits([open], now)).toEqual([{ count: 2, resetAt: T0 + 10 * MINUTE }]);
    expect(await storage.peekRateLimits([], now)).toEqual([]);
  });

  it("resetRateLimits forgets the given keys only; the next hit starts from 1", async () => {
    const storage = h.storage();
    const [a, b] = [newKey(), newKey()];
    for (let i = 0; i < 3; i++) {
      await storage.hitRateLimit({ key: a, windowMs: MINUTE, now: T0 });
      await storage.hitRateLimit({ key: b, windowMs: MINUTE, now: T0 });
    }
    await storage.resetRateLimits([a, newKey()]);
    expect(await storage.peekRateLimits([a, b], T0)).toEqual([null, { count: 3, resetAt: T0 + MINUTE }]);
    expect((await storage.hitRateLimit({ key: a, windowMs: MINUTE, now: T0 + 1 })).count).toBe(1);
  });

  it("pruneRateLimits deletes ended windows and keeps open ones", async () => {
    const storage = h.storage();
    const [ended, open] = [newKey(), newKey()];
    await storage.hitRateLimit({ key: ended, windowMs: MINUTE, now: T0 });
    await storage.hitRateLimit({ key: open, windowMs: 10 * MINUTE, now: T0 });
    expect(await storage.pruneRateLimits(T0 + MINUTE)).toBe(1);
    expect(await storage.peekRateLimits([open], T0 + MINUTE)).toEqual([{ count: 1, resetAt: T0 + 10 * MINUTE }]);
    expect(await storage.pruneRateLimits(T0 + MINUTE)).toBe(0);
  });

  it("of 25 concurrent hits on one key, each gets a different count: 1..25 exactly once", async () => {
    const storage = h.storage();
    const key = newKey();
    const windows = await Promise.all(
      Array.from({ length: 25 }, () => storage.hitRateLimit({ key, windowMs: 10 * MINUTE, now: T0 })),
    );
    expect(windows.map((w) => w.count).sort((x, y) => x - y)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(new Set(windows.map((w) => w.resetAt))).toEqual(new Set([T0 + 10 * MINUTE]));
    expect(await storage.peekRateLimits([key], T0)).toEqual([{ count: 25, resetAt: T0 + 10 * MINUTE }]);
  });
}
