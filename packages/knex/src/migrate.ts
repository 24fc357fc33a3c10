import { AuthError, SafeError } from "@tenantauth/core";
import type { Knex } from "knex";
import { isConnectionError, safeDriverCode, toStorageError } from "./driver-errors.js";
import { type AppliedMigration, type KnexLockRows, migrationBook } from "./migration-book.js";
import { migrationLockHeld, withMigrationLock } from "./migration-lock.js";
import { ForeignTableError, SchemaStepError } from "./migrations/guarded-schema.js";
import type { SchemaMigration } from "./migrations/migration.js";
import { MIGRATIONS } from "./migrations/migration-source.js";
import { type MigrateOptions, resolveMigrateOptions } from "./options.js";
import { tableNames } from "./tables.js";

/** What {@link migrate} did. */
export interface MigrateResult {
  /** Names of the migrations applied by this call, oldest first; empty when the schema was up to date. */
  applied: string[];
  /**
   * What Knex's lock table held when this run began, when that was not one free row: a row left set by a
   * migrator that was killed, or the extra rows of two Knex migrators that started at once. It was reset.
   */
  clearedKnexLock?: KnexLockRows;
}

/**
 * Creates or upgrades tenantauth's tables (and seeds the built-in roles). Running it again is a no-op.
 *
 * Concurrent runs (several nodes starting at once, two deploy jobs) are serialised by a database lock held on
 * one connection for the whole run (MySQL `GET_LOCK`, PostgreSQL `pg_advisory_lock`, a SQLite write
 * transaction): exactly one applies the pending migrations, the others wait for it (at most `lockTimeoutMs`) and
 * then find the schema up to date. A process killed mid-run releases the lock with its connection. Every step of
 * every migration checks what is already there (table, column, index, foreign key), so after a crash at any point
 * (MySQL commits each DDL statement on its own) the next run completes what was left. On PostgreSQL each migration
 * is applied and recorded in one transaction; on SQLite the whole run is one transaction.
 *
 * Bookkeeping goes to `${tablePrefix}tenantauth_migrations` (Knex's format) and its `_lock` table, apart from the
 * application's own Knex migrations; a stale row in the lock table is reset, never waited for.
 *
 * @example
 * await migrate(knex, { tablePrefix: "auth_" });
 * @throws {AuthError} `STORAGE_UNAVAILABLE` when the database cannot be reached or another migrator held the lock
 *   for more than `lockTimeoutMs`; `STORAGE_ERROR` when a migration fails: the message names the migration, the
 *   table and what to do; the cause keeps the driver's code and nothing else.
 * @throws {ConfigError} when the options are invalid.
 */
export async function migrate(knex: Knex, options?: MigrateOptions): Promise<MigrateResult> {
  const { tablePrefix, lockTimeoutMs } = resolveMigrateOptions(options);
  const tables = tableNames(tablePrefix);
  const book = migrationBook(tables);
  try {
    return await withMigrationLock(knex, tables, lockTimeoutMs, async ({ run }) => {
      const { applied, before } = await run(async (q) => {
        await book.ensure(q);
        return { applied: await book.applied(q), before: await book.setKnexLock(q, true) };
      });
      const done = new Set(knownNames(applied).map((m) => m.name));
      const pending = MIGRATIONS.filter((m) => !done.has(m.name));
      const batch = Math.max(0, ...applied.map((m) => m.batch)) + 1;
      try {
        for (const migration of pending) {
          await run(async (q) => {
            await step(migration, "up", () => migration.up(q, tables));
            await book.record(q, migration.name, batch);
          });
        }
      } finally {
        // Only a crash leaves the row set (and the next run resets it).
        await run((q) => book.setKnexLock(q, false)).catch(() => undefined);
      }
      // No row is a fresh table; one free row is the normal state.
      const stale = before.rows > 1 || before.locked > 0;
      return { applied: pending.map((m) => m.name), ...(stale ? { clearedKnexLock: before } : {}) };
    });
  } catch (error) {
    throw toStorageError(error, "migrate");
  }
}

/** What {@link rollbackMigration} did. */
export interface RollbackResult {
  /** The migration that was undone; undefined when none was applied. */
  rolledBack: string | undefined;
}

/**
 * Undoes the last applied migration (one step), under the same lock as {@link migrate}. Every `down` is safe to
 * rerun and keeps the rows of the other tables (a dropped column is dropped in place, never by rebuilding the
 * table). Run `migrate` to apply it again.
 *
 * @throws {AuthError} as {@link migrate}; `STORAGE_ERROR` when the last applied migration is unknown to this
 *   version (a newer one applied it: roll it back with that version).
 */
export async function rollbackMigration(knex: Knex, options?: MigrateOptions): Promise<RollbackResult> {
  const { tablePrefix, lockTimeoutMs } = resolveMigrateOptions(options);
  const tables = tableNames(tablePrefix);
  const book = migrationBook(tables);
  try {
    return await withMigrationLock(knex, tables, lockTimeoutMs, ({ run }) =>
      run(async (q) => {
        await book.ensure(q);
        const last = (await book.applied(q)).at(-1);
        if (!last) return { rolledBack: undefined };
        const [migration] = knownNames([last]);
        if (!migration) throw new Error("unreachable: knownNames throws for an unknown name");
        await step(migration, "down", () => migration.down(q, tables));
        await book.unrecord(q, migration.name);
        return { rolledBack: migration.name };
      }),
    );
  } catch (error) {
    throw toStorageError(error, "rollback");
  }
}

/** The state of tenantauth's schema in one database (see {@link migrationStatus}). */
export interface MigrationStatus {
  applied: AppliedMigration[];
  /** Migrations of this version not applied yet, oldest first. */
  pending: string[];
  /** Applied migrations this version does not know (a newer version applied them). */
  unknown: string[];
  /** Whether a migrator holds the migration lock now; undefined on SQLite (not observable there). */
  lockHeld: boolean | undefined;
  /** Knex's lock table (set while a run lasts; left set by a migrator that was killed, and then harmless). */
  knexLock: KnexLockRows;
}

/** Reads the applied and pending migrations and the state of the locks; changes nothing. */
export async function migrationStatus(knex: Knex, options?: MigrateOptions): Promise<MigrationStatus> {
  const tables = tableNames(resolveMigrateOptions(options).tablePrefix);
  const book = migrationBook(tables);
  try {
    const applied = await book.applied(knex);
    const names = new Set(applied.map((m) => m.name));
    const known = new Set(MIGRATIONS.map((m) => m.name));
    return {
      applied,
      pending: MIGRATIONS.filter((m) => !names.has(m.name)).map((m) => m.name),
      unknown: applied.filter((m) => !known.has(m.name)).map((m) => m.name),
      lockHeld: await migrationLockHeld(knex, tables),
      knexLock: await book.knexLock(knex),
    };
  } catch (error) {
    throw toStorageError(error, "migrationStatus");
  }
}

/**
 * Resets Knex's lock table to one free row (what `knex migrate:unlock` does), under the migration lock, so it
 * never pulls the lock from under a running migrator: when one is running this waits for it (`lockTimeoutMs`,
 * 0 by default here: fail at once). `migrate` resets a stale row by itself; this is for a tool that uses Knex's
 * own lock (`knex migrate:*`, an older tenantauth). Returns what the table held before.
 *
 * @throws {AuthError} `STORAGE_UNAVAILABLE` when a migration is running (it holds the lock).
 */
export async function unlockMigrations(knex: Knex, options?: MigrateOptions): Promise<KnexLockRows> {
  const { tablePrefix, lockTimeoutMs } = resolveMigrateOptions({ lockTimeoutMs: 0, ...options });
  const tables = tableNames(tablePrefix);
  const book = migrationBook(tables);
  try {
    return await withMigrationLock(knex, tables, lockTimeoutMs, ({ run }) =>
      run(async (q) => {
        const before = await book.knexLock(q);
        if (before.rows > 0) await book.setKnexLock(q, false);
        return before;
      }),
    );
  } catch (error) {
    throw toStorageError(error, "unlockMigrations");
  }
}

/** The migrations of `applied`, in order. @throws {AuthError} for one this version does not know. */
function knownNames(applied: readonly AppliedMigration[]): SchemaMigration[] {
  const byName = new Map(MIGRATIONS.map((m) => [m.name, m]));
  const unknown = applied.filter((m) => !byName.has(m.name)).map((m) => m.name);
  if (unknown.length > 0) {
    throw new AuthError(
      "STORAGE_ERROR",
      `The database has migrations this version of @tenantauth/knex does not know (${unknown.join(", ")}): a ` +
        "newer version applied them. Run the newer version (upgrade @tenantauth/knex), or roll them back with it.",
      { cause: new SafeError({ operation: "migrate", code: "UNKNOWN_MIGRATION" }) },
    );
  }
  return applied.map((m) => byName.get(m.name)).filter((m): m is SchemaMigration => m !== undefined);
}

/** Runs one direction of a migration; a failure names the migration, the table and what to do. */
async function step(migration: SchemaMigration, direction: "up" | "down", fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (error) {
    if (error instanceof AuthError) throw error;
    const table = error instanceof SchemaStepError ? error.table : undefined;
    const driverError = error instanceof SchemaStepError ? error.cause : error;
    const operation = `${direction === "up" ? "migrate" : "rollback"}.${migration.name}`;
    const cause = new SafeError({ operation, code: safeDriverCode(driverError), table });
    if (isConnectionError(driverError)) {
      throw new AuthError(
        "STORAGE_UNAVAILABLE",
        `The database cannot be reached (${migration.name}); run the migration again once it is back: every step ` +
          "is safe to rerun.",
        { cause },
      );
    }
    if (driverError instanceof ForeignTableError) {
      throw new AuthError(
        "STORAGE_ERROR",
        `Migration ${migration.name} cannot create table ${table}: a table of that name exists without the ` +
          `columns ${driverError.missing.join(", ")}, so it is not one of tenantauth's. Move or rename it, or give ` +
          "tenantauth's tables a prefix (--table-prefix, the tablePrefix option).",
        { cause },
      );
    }
    const what = direction === "up" ? "Migration" : "Rolling back migration";
    const again = direction === "up" ? "tenantauth-knex migrate" : "tenantauth-knex rollback";
    throw new AuthError(
      "STORAGE_ERROR",
      `${what} ${migration.name} failed${table ? ` on table ${table}` : ""}. Fix the cause (the error's cause ` +
        `holds the database's code), then run \`${again}\` again: it completes what this run left undone.`,
      { cause },
    );
  }
}
