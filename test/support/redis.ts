import { randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";

/**
 * Redis for tests, from `TENANTAUTH_TEST_REDIS_URL` (e.g. `redis://127.0.0.1:6379`). Without it, or when it does
 * not answer: with `CI=true` that is an error (CI must run the Redis suites); locally the suites are skipped, with
 * a notice printed once. Tests share the server and keep apart by a random key prefix each.
 */

const ENV_URL = "TENANTAUTH_TEST_REDIS_URL";

/** Whether Redis is there, or why not. */
export type RedisAvailability = { available: true; url: string } | { available: false; reason: string };

let availability: Promise<RedisAvailability> | undefined;

/**
 * Finds out (once per process) whether Redis answers a PING.
 * @throws {Error} when `CI=true` and it does not: CI must not silently skip Redis.
 */
export function redisAvailability(): Promise<RedisAvailability> {
  availability ??= detect();
  return availability;
}

async function detect(): Promise<RedisAvailability> {
  const url = process.env[ENV_URL];
  let reason = `no Redis: set ${ENV_URL}=redis://127.0.0.1:6379`;
  if (url) {
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 2000 });
    try {
      await client.connect();
      if ((await client.ping()) === "PONG") return { available: true, url };
    } catch (error) {
      reason = `Redis at ${ENV_URL} does not answer (${error instanceof Error ? error.message : String(error)})`;
    } finally {
      client.disconnect();
    }
  }
  if (process.env.CI === "true") {
    throw new Error(`Redis is required when CI=true: ${reason}.`);
  }
  await noticeOnce(`[tenantauth tests] Redis suites skipped: ${reason}`);
  return { available: false, reason };
}

async function noticeOnce(message: string): Promise<void> {
  try {
    await writeFile(join(tmpdir(), `tenantauth-redis-notice-${process.ppid}`), message, { flag: "wx" });
    console.warn(message);
  } catch {
    // Another worker of this run printed it already.
  }
}

/** A client on the test Redis and a random key prefix of one's own; `cleanup()` deletes its keys and disconnects. */
export interface RedisTestClient {
  redis: Redis;
  prefix: string;
  cleanup(): Promise<void>;
}

/**
 * A connection to the test Redis with a fresh random key prefix. Check {@link redisAvailability} first.
 * @throws {Error} when Redis is not available.
 */
export async function redisTestClient(): Promise<RedisTestClient> {
  const found = await redisAvailability();
  if (!found.available) throw new Error(`Redis is not available (${found.reason})`);
  const redis = new Redis(found.url, { maxRetriesPerRequest: 2 });
  const prefix = `tenantauth-test:${randomBytes(6).toString("hex")}:`;
  return {
    redis,
    prefix,
    async cleanup() {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    },
  };
}
