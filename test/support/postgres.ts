import { randomBytes } from "node:crypto";
import { parseDatabaseUrl } from "@tenantauth/knex";
import knexFactory from "knex";

/**
 * Fresh PostgreSQL databases for tests, from `TENANTAUTH_TEST_POSTGRES_URL` (e.g.
 * `postgres://postgres@127.0.0.1:5432/postgres`: a role allowed to CREATE DATABASE). Without it the PostgreSQL
 * suites do not run (`.ci/run` sets it). Each caller gets its own database `ta_<random>`, dropped by `cleanup()`.
 */
const ENV_URL = "TENANTAUTH_TEST_POSTGRES_URL";

/** The admin URL, or undefined when PostgreSQL is not configured for the tests. */
export const postgresUrl = (): string | undefined => process.env[ENV_URL] || undefined;

/** A database of one's own; `url` points at it. */
export interface PostgresTestDatabase {
  url: string;
  /** Drops the database. */
  cleanup(): Promise<void>;
}

async function asAdmin(url: string, statement: string, name: string): Promise<void> {
  const knex = knexFactory(parseDatabaseUrl(url).config);
  try {
    await knex.raw(statement, [name]);
  } finally {
    await knex.destroy();
  }
}

/** A fresh, empty PostgreSQL database. @throws {Error} when `TENANTAUTH_TEST_POSTGRES_URL` is not set. */
export async function postgresTestDatabase(): Promise<PostgresTestDatabase> {
  const admin = postgresUrl();
  if (!admin) throw new Error(`PostgreSQL is not configured: set ${ENV_URL}`);
  const name = `ta_${randomBytes(6).toString("hex")}`;
  await asAdmin(admin, "CREATE DATABASE ??", name);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    // WITH (FORCE) ends connections a test left open, so the drop cannot hang.
    cleanup: () => asAdmin(admin, "DROP DATABASE IF EXISTS ?? WITH (FORCE)", name),
  };
}
