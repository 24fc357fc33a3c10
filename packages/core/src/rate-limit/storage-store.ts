import type { RateLimitStorage, RateLimitStore } from "../ports/rate-limit-store.js";

/**
 * A {@link RateLimitStore} in the database, through the storage adapter (`rate_limits` table): the default store.
 * Every node that shares the database shares the counters, with no other service to run. Its cost: a sign-in
 * reads the counters once (one primary-key SELECT); a failed one writes them (one upsert per counter).
 *
 * @example
 * createAuth({ secret, storage, rateLimit: { store: storageRateLimitStore(storage) } }) // what the default does
 */
export function storageRateLimitStore(storage: RateLimitStorage): RateLimitStore {
  return {
    hit: (key, { windowMs, now }) => storage.hitRateLimit({ key, windowMs, now }),
    peek: async (keys, now) => (keys.length === 0 ? [] : storage.peekRateLimits(keys, now)),
    reset: async (keys) => {
      if (keys.length > 0) await storage.resetRateLimits(keys);
    },
  };
}
