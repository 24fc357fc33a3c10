/**
 * A counter in a fixed window: `count` hits since the window began; at `resetAt` (epoch ms) it starts from zero
 * again.
 */
export interface RateLimitWindow {
  /** Hits in the current window (at least 1 once hit). */
  count: number;
  /** Epoch ms at which the window ends. */
  resetAt: number;
}

/** Options of {@link RateLimitStore.hit}. */
export interface RateLimitHitOptions {
  /** Length of a new window, in ms. An open window keeps its `resetAt`. */
  windowMs: number;
  /** The caller's clock (epoch ms): a window with `resetAt <= now` has ended. */
  now: number;
}

/**
 * Where rate-limit counters live: a small atomic primitive the throttling in core is built on. Keys are short
 * ASCII strings (at most 191 characters; core sends `<rule>:<sha-256 hex>`, never an email or IP in clear).
 *
 * Stores: `memoryRateLimitStore()` (one process), `storageRateLimitStore(storage)` (the SQL database through the
 * storage adapter; the default, so limits hold across nodes), `redisRateLimitStore(redis)` from @tenantauth/redis.
 * A third-party store must keep the contract of each method; `test/rate-limit-store.test.ts` checks the three.
 */
export interface RateLimitStore {
  /**
   * Adds one hit to `key` and returns its window after the hit. When the key has no window, or its window has
   * ended (`resetAt <= now`), a new one starts with `count` 1 and `resetAt = now + windowMs`.
   * Atomic: of N concurrent hits on one open window, each gets a different count, 1..N exactly once each.
   */
  hit(key: string, options: RateLimitHitOptions): Promise<RateLimitWindow>;
  /**
   * The open windows of several keys, in the order given (`null` for a key with no window, or an ended one),
   * without changing them. One round trip.
   */
  peek(keys: readonly string[], now: number): Promise<Array<RateLimitWindow | null>>;
  /** Forgets the windows of these keys (missing keys are fine). */
  reset(keys: readonly string[]): Promise<void>;
}

/** Input of {@link RateLimitStorage.hitRateLimit}. */
export interface HitRateLimitInput {
  key: string;
  windowMs: number;
  now: number;
}

/**
 * Rate-limit counters in the storage adapter's database (table `rate_limits`), behind `storageRateLimitStore()`.
 * Rules of the {@link RateLimitStore} methods hold; here each is one intention-named storage method.
 */
export interface RateLimitStorage {
  /**
   * Adds a hit to `key` with one atomic upsert (a new window when none is open) and returns the window after it.
   * Of N concurrent hits on one open window, each gets a different count: 1..N exactly once each.
   */
  hitRateLimit(input: HitRateLimitInput): Promise<RateLimitWindow>;
  /** The open windows of `keys` (`null` where none is open at `now`), in order, in one query. */
  peekRateLimits(keys: readonly string[], now: number): Promise<Array<RateLimitWindow | null>>;
  /** Deletes the counters of `keys`. */
  resetRateLimits(keys: readonly string[]): Promise<void>;
  /** Deletes counters whose window ended before `now` (housekeeping); returns how many. */
  pruneRateLimits(now: number): Promise<number>;
}
