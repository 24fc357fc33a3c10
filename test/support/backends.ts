import type { StorageAdapter } from "@tenantauth/core";
import { knexStorage } from "@tenantauth/knex";
import { memoryStorage } from "@tenantauth/testing";
import { mysqlAvailability, mysqlTestDatabase } from "./mysql.js";
import { postgresTestDatabase, postgresUrl } from "./postgres.js";
import type { ServerTestDatabase } from "./server-database.js";
import { sqliteTestFile } from "./sqlite.js";

/** A storage backend the cross-package suites run on. `create()` gives a fresh, empty, migrated storage. */
export interface Backend {
  name: string;
  /** The name with the driver and source, for the conformance suite's titles. */
  label: string;
  create(): Promise<{ storage: StorageAdapter; cleanup(): Promise<void> }>;
}

const memory: Backend = {
  name: "memory",
  label: "memory",
  create: async () => ({ storage: memoryStorage(), cleanup: async () => {} }),
};

/** A Knex backend: a fresh database per `create()` (its URL and how to drop it), migrated, dropped by `cleanup()`. */
const knexBackend = (name: string, label: string, database: () => Promise<ServerTestDatabase>): Backend => ({
  name,
  label,
  async create() {
    const db = await database();
    const storage = knexStorage(db.url);
    await storage.migrate();
    return {
      storage,
      async cleanup() {
        await storage.destroy();
        await db.cleanup();
      },
    };
  },
});

const sqlite = knexBackend("sqlite", "sqlite (knex, better-sqlite3)", async () => {
  const file = await sqliteTestFile();
  return { url: `sqlite:${file.path}`, cleanup: file.cleanup };
});

/** MySQL when one is available (see test/support/mysql.ts); otherwise the suites skip it with a notice. */
const availability = await mysqlAvailability();
const mysql: Backend | null = availability.available
  ? knexBackend(
      "mysql",
      `mysql (knex, mysql2, ${availability.source === "env" ? "TENANTAUTH_TEST_MYSQL_URL" : "Testcontainers"})`,
      mysqlTestDatabase,
    )
  : null;

/** PostgreSQL when `TENANTAUTH_TEST_POSTGRES_URL` is set (see test/support/postgres.ts; `.ci/run` sets it). */
const postgres: Backend | null = postgresUrl()
  ? knexBackend("postgres", "postgres (knex, pg, TENANTAUTH_TEST_POSTGRES_URL)", postgresTestDatabase)
  : null;

/** The SQL backends (Knex): SQLite always, MySQL and PostgreSQL when available. */
export const sqlBackends: Backend[] = [sqlite, ...(mysql ? [mysql] : []), ...(postgres ? [postgres] : [])];

/** Every backend: memory, SQLite, MySQL and PostgreSQL (when available). */
export const backends: Backend[] = [memory, ...sqlBackends];
