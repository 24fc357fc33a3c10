import type { Knex } from "knex";
import type { TableNames } from "./tables.js";

/** A row of the bookkeeping table: one applied migration. */
export interface AppliedMigration {
  name: string;
  batch: number;
  /** When it was applied, as the database recorded it. */
  migratedAt: Date | undefined;
}

/** The rows of Knex's lock table. */
export interface KnexLockRows {
  /** How many rows it holds (Knex expects exactly one). */
  rows: number;
  /** How many of them are set (`is_locked = 1`). */
  locked: number;
}

/**
 * The bookkeeping tables, in the format of Knex's migrator (`${prefix}tenantauth_migrations`: id, name, batch,
 * migration_time; its `_lock` table: index, is_locked), so databases migrated by earlier versions (which ran
 * `knex.migrate.latest`) carry on where they stopped.
 *
 * Knex's lock row is no longer the lock: the advisory lock is (see migration-lock.ts). A row left set by a
 * migrator that was killed (or two rows, from two Knex migrators that created the table at once) would block Knex
 * for ever; under the advisory lock no other tenantauth migrator can be running, so {@link setKnexLock} simply
 * resets the table to one row. It then sets that row while the run lasts, so that a migrator of an older version
 * (Knex's own lock) waits for this one instead of racing it.
 */
export function migrationBook(tables: TableNames) {
  const lockTable = `${tables.migrations}_lock`;
  return {
    lockTable,

    /** Creates the two tables when missing. Call under the migration lock. */
    async ensure(q: Knex): Promise<void> {
      if (!(await q.schema.hasTable(tables.migrations))) {
        await q.schema.createTable(tables.migrations, (t) => {
          t.increments();
          t.string("name");
          t.integer("batch");
          t.timestamp("migration_time");
        });
      }
      if (!(await q.schema.hasTable(lockTable))) {
        await q.schema.createTable(lockTable, (t) => {
          t.increments("index").primary();
          t.integer("is_locked");
        });
      }
    },

    /** The applied migrations, oldest first; empty when the table does not exist. */
    async applied(q: Knex): Promise<AppliedMigration[]> {
      if (!(await q.schema.hasTable(tables.migrations))) return [];
      const rows = (await q(tables.migrations).orderBy("id").select("name", "batch", "migration_time")) as Array<{
        name: unknown;
        batch: unknown;
        migration_time: unknown;
      }>;
      return rows.map((row) => ({
        name: String(row.name),
        batch: Number(row.batch),
        migratedAt: toDate(row.migration_time),
      }));
    },

    async record(q: Knex, name: string, batch: number): Promise<void> {
      await q(tables.migrations).insert({ name, batch, migration_time: new Date() });
    },

    async unrecord(q: Knex, name: string): Promise<void> {
      await q(tables.migrations).where({ name }).delete();
    },

    /** The rows of Knex's lock table; zero rows when it does not exist. */
    async knexLock(q: Knex): Promise<KnexLockRows> {
      if (!(await q.schema.hasTable(lockTable))) return { rows: 0, locked: 0 };
      const rows = (await q(lockTable).select("is_locked")) as Array<{ is_locked: unknown }>;
      return { rows: rows.length, locked: rows.filter((r) => Number(r.is_locked) === 1).length };
    },

    /**
     * Resets Knex's lock table to one row, set (`locked`) or free, and returns what it held before. Call under
     * the migration lock only.
     */
    async setKnexLock(q: Knex, locked: boolean): Promise<KnexLockRows> {
      const before = await this.knexLock(q);
      if (before.rows === 1) {
        await q(lockTable).update({ is_locked: locked ? 1 : 0 });
      } else {
        await q(lockTable).delete();
        await q(lockTable).insert({ is_locked: locked ? 1 : 0 });
      }
      return before;
    },
  };
}

function toDate(value: unknown): Date | undefined {
  if (value instanceof Date) return value;
  if (typeof value === "string" || typeof value === "number") {
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? undefined : date;
  }
  return undefined;
}
