import type { HitRateLimitInput, RateLimitWindow } from "@tenantauth/core";
import type { Tables } from "./state.js";

const open = (tables: Tables, key: string, now: number): RateLimitWindow | null => {
  const window = tables.rateLimits.get(key);
  return window && window.resetAt > now ? window : null;
};

/** One hit: a new window when none is open, else count + 1 in the open one. */
export function hitRateLimit(tables: Tables, { key, windowMs, now }: HitRateLimitInput): RateLimitWindow {
  const current = open(tables, key, now);
  const next = Object.freeze(
    current ? { count: current.count + 1, resetAt: current.resetAt } : { count: 1, resetAt: now + windowMs },
  );
  tables.rateLimits.set(key, next);
  return { ...next };
}

/** The open windows of `keys`, in order. */
export function peekRateLimits(tables: Tables, keys: readonly string[], now: number): Array<RateLimitWindow | null> {
  return keys.map((key) => {
    const window = open(tables, key, now);
    return window ? { ...window } : null;
  });
}

/** Deletes the counters of `keys`. */
export function resetRateLimits(tables: Tables, keys: readonly string[]): void {
  for (const key of keys) tables.rateLimits.delete(key);
}

/** Deletes ended windows; returns how many. */
export function pruneRateLimits(tables: Tables, now: number): number {
  let pruned = 0;
  for (const [key, window] of tables.rateLimits) {
    if (window.resetAt <= now) {
      tables.rateLimits.delete(key);
      pruned++;
    }
  }
  return pruned;
}
