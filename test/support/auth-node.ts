/**
 * One "node" of a multi-node deployment, run as its own process by test/multi-node.test.ts:
 * `tsx --tsconfig test/tsconfig.json test/support/auth-node.ts`. It serves tenantauth's HTTP API over a shared
 * MySQL database (knexStorage) and a shared Redis (redisRateLimitStore), and prints `{"port": n}` once listening.
 * Environment: NODE_DATABASE_URL, NODE_REDIS_URL, NODE_REDIS_PREFIX, NODE_SECRET; optional NODE_REVOCATION_REFRESH_SECONDS
 * (`revocation.refreshSeconds`) and NODE_PLATFORM_ADMINS (comma-separated emails).
 */
import { serve } from "@hono/node-server";
import { createAuth } from "@tenantauth/core";
import { knexStorage } from "@tenantauth/knex";
import { redisRateLimitStore } from "@tenantauth/redis";
import { Redis } from "ioredis";

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`auth-node: ${name} is not set`);
  return value;
};

const storage = knexStorage(env("NODE_DATABASE_URL"));
const redis = new Redis(env("NODE_REDIS_URL"), { maxRetriesPerRequest: 2 });
const auth = createAuth({
  secret: env("NODE_SECRET"),
  storage,
  emailVerification: { required: false },
  rateLimit: { store: redisRateLimitStore(redis, { prefix: env("NODE_REDIS_PREFIX") }) },
  revocation: { refreshSeconds: Number(process.env.NODE_REVOCATION_REFRESH_SECONDS ?? 2) },
  session: { refreshReuseGraceSeconds: Number(process.env.NODE_REFRESH_REUSE_GRACE_SECONDS ?? 5) },
  platformAdmins: (process.env.NODE_PLATFORM_ADMINS ?? "").split(",").filter(Boolean),
});

const server = serve(
  {
    fetch: (request, bindings: { incoming?: { socket?: { remoteAddress?: string } } }) =>
      auth.handler(request, { ip: bindings.incoming?.socket?.remoteAddress }),
    hostname: "127.0.0.1",
    port: 0,
  },
  (info) => {
    process.stdout.write(`${JSON.stringify({ port: info.port, core: typeof createAuth })}\n`);
  },
);

const stop = (): void => {
  server.close();
  redis.disconnect();
  void storage.destroy().finally(() => process.exit(0));
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
