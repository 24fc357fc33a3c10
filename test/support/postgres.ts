import { type ServerTestDatabase, serverTestDatabase } from "./server-database.js";

/**
 * Fresh PostgreSQL databases for tests, from `TENANTAUTH_TEST_POSTGRES_URL` (e.g.
 * `postgres://postgres@127.0.0.1:5432/postgres`: a role allowed to CREATE DATABASE). Without it the PostgreSQL
 * suites do not run (`.ci/run` sets it). Each caller gets its own database `ta_<random>`, dropped by `cleanup()`.
 */
const ENV_URL = "TENANTAUTH_TEST_POSTGRES_URL";

/** The admin URL, or undefined when PostgreSQL is not configured for the tests. */
export const postgresUrl = (): string | undefined => process.env[ENV_URL] || undefined;

/** A fresh, empty PostgreSQL database. @throws {Error} when `TENANTAUTH_TEST_POSTGRES_URL` is not set. */
export async function postgresTestDatabase(): Promise<ServerTestDatabase> {
  const admin = postgresUrl();
  if (!admin) throw new Error(`PostgreSQL is not configured: set ${ENV_URL}`);
  // WITH (FORCE) ends connections a test left open, so the drop cannot hang.
  return serverTestDatabase(admin, { create: "CREATE DATABASE ??", drop: "DROP DATABASE IF EXISTS ?? WITH (FORCE)" });
}
