import { type Dependency, isUnavailable, type OutageLog } from "../internal/outage-log.js";
import type { RateLimitStore } from "../ports/rate-limit-store.js";

/** What throttled requests do while the rate-limit store cannot be reached (`rateLimit.onStoreUnavailable`). */
export type StoreUnavailablePolicy = "fail-closed" | "fail-open";

/**
 * The rate-limit store as the throttles see it: each call reports its outcome to the outage log, and while the store
 * cannot be reached, either the failure goes on (`fail-closed`: the request answers `503 STORAGE_UNAVAILABLE`) or
 * the call answers as if nothing had been counted yet (`fail-open`: no limit holds until the store is back).
 * An `AuthError` other than `STORAGE_UNAVAILABLE` is not an outage and always goes on.
 */
export function observeStore(
  store: RateLimitStore,
  outages: OutageLog,
  settings: { policy: StoreUnavailablePolicy; dependency: Dependency },
): RateLimitStore {
  const { dependency } = settings;
  const open = settings.policy === "fail-open";
  const settle = async <T>(work: Promise<T>, fallback: () => T): Promise<T> => {
    try {
      const answer = await work;
      outages.succeeded(dependency);
      return answer;
    } catch (error) {
      if (!isUnavailable(error)) throw error;
      outages.failed(dependency, error);
      if (!open) throw error;
      return fallback();
    }
  };
  return {
    // A count of 0 is "nothing counted": under every limit, and never the first hit that resets a counter.
    hit: (key, options) =>
      settle(store.hit(key, options), () => ({ count: 0, resetAt: options.now + options.windowMs })),
    peek: (keys, now) => settle(store.peek(keys, now), () => keys.map(() => null)),
    reset: (keys) => settle(store.reset(keys), () => undefined),
  };
}
