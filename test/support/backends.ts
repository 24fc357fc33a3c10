import type { StorageAdapter } from "@tenantauth/core";
import { knexStorage } from "@tenantauth/knex";
import { memoryStorage } from "@tenantauth/testing";
import { mysqlAvailability, mysqlTestDatabase } from "./mysql.js";
import { postgresTestDatabase, postgresUrl } from "./postgres.js";
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

const sqlite: Backend = {
  name: "sqlite",
  label: "sqlite (knex, better-sqlite3)",
  async create() {
    const file = await sqliteTestFile();
    const storage = knexStorage(`sqlite:${file.path}`);
    await storage.migrate();
    return {
      storage,
      async cleanup() {
        await storage.destroy();
        await file.cleanup();
      },
    };
  },
};

/** MySQL when one is available (see test/support/mysql.ts); otherwise the suites skip it with a notice. */
const availability = await mysqlAvailability();
const mysql: Backend | null = availability.available
  ? {
      name: "mysql",
      label: `mysql (knex, mysql2, ${availability.source === "env" ? "TENANTAUTH_TEST_MYSQL_URL" : "Testcontainers"})`,
      async create() {
        const db = await mysqlTestDatabase();
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
    }
  : null;

/** PostgreSQL when `TENANTAUTH_TEST_POSTGRES_URL` is set (see test/support/postgres.ts; `.ci/run` sets it). */
const postgres: Backend | null = postgresUrl()
  ? {
      name: "postgres",
      label: "postgres (knex, pg, TENANTAUTH_TEST_POSTGRES_URL)",
      async create() {
        const db = await postgresTestDatabase();
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
    }
  : null;

/** The SQL backends (Knex): SQLite always, MySQL and PostgreSQL when available. */
export const sqlBackends: Backend[] = [sqlite, ...(mysql ? [mysql] : []), ...(postgres ? [postgres] : [])];

/** Every backend: memory, SQLite, MySQL and PostgreSQL (when available). */
export const backends: Backend[] = [memory, ...sqlBackends];
