import { createHash } from "node:crypto";
import type { RateLimitStore, RateLimitWindow } from "@tenantauth/core";
import type { Cluster, Redis } from "ioredis";

/** Options of {@link redisRateLimitStore}. */
export interface RedisRateLimitStoreOptions {
  /** Put before every key, to share one Redis with other apps or tenantauth instances. @default "tenantauth:rl:" */
  prefix?: string;
}

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
 */
export function redisRateLimitStore(redis: Redis | Cluster, options: RedisRateLimitStoreOptions = {}): RateLimitStore {
  const prefix = options.prefix ?? "tenantauth:rl:";
  const hitScript = async (key: string, now: number, windowMs: number): Promise<unknown> => {
    try {
      return await redis.evalsha(HIT_SHA, 1, key, now, windowMs);
    } catch (error) {
      // First use on this server (or after SCRIPT FLUSH): send the script itself; Redis caches it.
      if (!isNoScript(error)) throw error;
      return redis.eval(HIT_SCRIPT, 1, key, now, windowMs);
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
      const replies = (await pipeline.exec()) ?? [];
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
      const replies = (await pipeline.exec()) ?? [];
      for (const [error] of replies) if (error) throw error;
    },
  };
}
