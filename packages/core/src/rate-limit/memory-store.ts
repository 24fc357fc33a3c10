import type { RateLimitStore, RateLimitWindow } from "../ports/rate-limit-store.js";

/** Options of {@link memoryRateLimitStore}. */
export interface MemoryRateLimitStoreOptions {
  /** Ended windows are swept once the map holds this many keys. @default 10000 */
  sweepAt?: number;
}

/**
 * A {@link RateLimitStore} in this process's memory. Fast and exact, but each process counts on its own: with
 * several nodes behind a load balancer use the default SQL store or `redisRateLimitStore()` instead.
 *
 * @example
 * createAuth({ secret, storage, rateLimit: { store: memoryRateLimitStore() } })
 */
export function memoryRateLimitStore(options: MemoryRateLimitStoreOptions = {}): RateLimitStore {
  const sweepAt = options.sweepAt ?? 10_000;
  const windows = new Map<string, RateLimitWindow>();
  const open = (key: string, now: number): RateLimitWindow | null => {
    const window = windows.get(key);
    return window && window.resetAt > now ? window : null;
  };
  return {
    async hit(key, { windowMs, now }) {
      const current = open(key, now);
      const next = current
        ? { count: current.count + 1, resetAt: current.resetAt }
        : { count: 1, resetAt: now + windowMs };
      if (!current && windows.size >= sweepAt) {
        for (const [k, w] of windows) if (w.resetAt <= now) windows.delete(k);
      }
      windows.set(key, next);
      return { ...next };
    },
    async peek(keys, now) {
      return keys.map((key) => {
        const window = open(key, now);
        return window ? { ...window } : null;
      });
    },
    async reset(keys) {
      for (const key of keys) windows.delete(key);
    },
  };
}
