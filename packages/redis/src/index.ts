export type { RedisRateLimitStoreOptions } from "./redis-rate-limit-store.js";
export { redisRateLimitStore } from "./redis-rate-limit-store.js";
