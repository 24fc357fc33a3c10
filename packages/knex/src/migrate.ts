import type { Knex } from "knex";
import { toStorageError } from "./driver-errors.js";
import { migrationSource } from "./migrations/migration-source.js";
import { type KnexStorageOptions, resolveOptions } from "./options.js";
import { tableNames } from "./tables.js";

/** What {@link migrate} did. */
export interface MigrateResult {
  /** Names of the migrations applied by this call, oldest first; empty when the schema was up to date. */
  applied: string[];
}

/**
 * Creates or upgrades tenantauth's tables (and seeds the built-in roles) with Knex migrations served from code.
 * Bookkeeping goes to `${tablePrefix}tenantauth_migrations` and its `_lock` table, so it never mixes with the
 * application's own Knex migrations. Running it again is a no-op; concurrent runs are serialised by Knex's lock.
 *
 * @example
 * await migrate(knex, { tablePrefix: "auth_" });
 * @throws {AuthError} `STORAGE_UNAVAILABLE` when the database cannot be reached, `STORAGE_ERROR` otherwise
 *   (e.g. the migration lock is held), with the driver error as `cause`.
 * @throws {ConfigError} when the options are invalid.
 */
export async function migrate(knex: Knex, options?: KnexStorageOptions): Promise<MigrateResult> {
  const tables = tableNames(resolveOptions(options).tablePrefix);
  try {
    const [, applied] = (await knex.migrate.latest({
      migrationSource: migrationSource(tables),
      tableName: tables.migrations,
    })) as [number, string[]];
    return { applied };
  } catch (error) {
    throw toStorageError(error, "migrate");
  }
}
