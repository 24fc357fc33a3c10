import { createHash } from "node:crypto";
import { ConfigError, type RateLimitStore, type RateLimitWindow } from "@tenantauth/core";
import type { Cluster, Redis } from "ioredis";

/** Options of {@link redisRateLimitStore}. */
export interface RedisRateLimitStoreOptions {
  /** Put before every key, to share one Redis with other apps or tenantauth instances. @default "tenantauth:rl:" */
  prefix?: string;
  /**
   * The longest wait for one Redis call, in ms. A call that has no answer by then fails with `STORAGE_UNAVAILABLE`
   * (HTTP 503 with `Retry-After`), as does any call while the client is not connected: a Redis outage or a
   * partition never holds a sign-in longer than this. @default 1000
   */
  commandTimeoutMs?: number;
}

/** The error of a Redis call that could not be made or answered in time (its code is what gets logged). */
class RedisUnavailableError extends Error {
  override readonly name = "RedisUnavailableError";
  constructor(readonly code: "REDIS_TIMEOUT" | "REDIS_NOT_CONNECTED") {
    super(code === "REDIS_TIMEOUT" ? "Redis did not answer in time" : "Redis is not connected");
  }
}

/**
 * Client states in which a command would wait in ioredis's offline queue for a reconnection (or fail late): the
 * store fails at once instead. "wait" (lazyConnect, not yet used) and "connecting" get the timeout.
 */
const DOWN = new Set(["reconnecting", "close", "end"]);

/**
 * One hit, atomic in Redis: a hash `{c: count, r: resetAt}` per key. The window uses the caller's clock (ARGV[1]),
 * like the other stores, and the key expires with its window. Numbers go back to Redis through `%.0f`, as Lua's
 * default number formatting would round epoch milliseconds.
 */
const HIT_SCRIPT = `
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local v = redis.call('HMGET', KEYS[1], 'c', 'r')
local count = tonumber(v[1])
local resetAt = tonumber(v[2])
if count == nil or resetAt == nil or resetAt <= now then
  count = 1
  resetAt = now + window
else
  count = count + 1
end
redis.call('HSET', KEYS[1], 'c', string.format('%.0f', count), 'r', string.format('%.0f', resetAt))
redis.call('PEXPIRE', KEYS[1], string.format('%.0f', resetAt - now))
return {count, resetAt}
`;
const HIT_SHA = createHash("sha1").update(HIT_SCRIPT).digest("hex");

const isNoScript = (error: unknown): boolean => error instanceof Error && error.message.startsWith("NOSCRIPT");

/**
 * A {@link RateLimitStore} in Redis through ioredis, for many nodes: every node that uses the same Redis shares the
 * counters. A hit is one Lua script (atomic, one round trip); a peek of several keys and a reset are one pipeline
 * each, a command per key, so keys need not share a Redis Cluster slot. Each counter expires with its window.
 *
 * @example
 * import { Redis } from "ioredis";
 * import { redisRateLimitStore } from "@tenantauth/redis";
 *
 * const auth = createAuth({ secret, storage, rateLimit: { store: redisRateLimitStore(new Redis(process.env.REDIS_URL!)) } });
 *
 * Every call is bounded (`commandTimeoutMs`), and fails at once while the client is reconnecting, so an outage
 * answers `503 STORAGE_UNAVAILABLE` in at most that time; `rateLimit.onStoreUnavailable` in createAuth chooses
 * between refusing (the default) and letting requests through unthrottled.
 */
export function redisRateLimitStore(redis: Redis | Cluster, options: RedisRateLimitStoreOptions = {}): RateLimitStore {
  const prefix = options.prefix ?? "tenantauth:rl:";
  const timeoutMs = options.commandTimeoutMs ?? 1000;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > 60_000) {
    throw new ConfigError([{ path: "commandTimeoutMs", message: "must be a whole number of ms from 1 to 60000" }]);
  }
  /** Runs one Redis call, failing at once while disconnected and after `timeoutMs` without an answer. */
  const bounded = <T>(call: () => Promise<T>): Promise<T> => {
    if (DOWN.has(redis.status)) return Promise.reject(new RedisUnavailableError("REDIS_NOT_CONNECTED"));
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new RedisUnavailableError("REDIS_TIMEOUT")), timeoutMs);
    });
    const work = call();
    // A call that answers after its timeout must not become an unhandled rejection.
    work.catch(() => undefined);
    return Promise.race([work, late]).finally(() => clearTimeout(timer));
  };
  const hitScript = async (key: string, now: number, windowMs: number): Promise<unknown> => {
    try {
      return await bounded(() => redis.evalsha(HIT_SHA, 1, key, now, windowMs));
    } catch (error) {
      // First use on this server (or after SCRIPT FLUSH): send the script itself; Redis caches it.
      if (!isNoScript(error)) throw error;
      return bounded(() => redis.eval(HIT_SCRIPT, 1, key, now, windowMs));
    }
  };
  return {
    async hit(key, { windowMs, now }) {
      const reply = (await hitScript(prefix + key, now, windowMs)) as [number, number];
      return { count: Number(reply[0]), resetAt: Number(reply[1]) };
    },
    async peek(keys, now) {
      if (keys.length === 0) return [];
      const pipeline = redis.pipeline();
      for (const key of keys) pipeline.hmget(prefix + key, "c", "r");
      const replies = (await bounded(() => pipeline.exec())) ?? [];
      return keys.map((_key, i): RateLimitWindow | null => {
        const [error, value] = replies[i] ?? [new Error("no reply"), null];
        if (error) throw error;
        const [count, resetAt] = (value as Array<string | null>).map((v) => (v === null ? Number.NaN : Number(v)));
        if (count === undefined || resetAt === undefined || Number.isNaN(count) || Number.isNaN(resetAt)) return null;
        return resetAt > now ? { count, resetAt } : null;
      });
    },
    async reset(keys) {
      if (keys.length === 0) return;
      const pipeline = redis.pipeline();
      for (const key of keys) pipeline.del(prefix + key);
      const replies = (await bounded(() => pipeline.exec())) ?? [];
      for (const [error] of replies) if (error) throw error;
    },
  };
}
