/** @tenantauth/redis: a RateLimitStore on Redis (work in progress, see issue #6). */
export const PACKAGE = "@tenantauth/redis";
