import type { Knex } from "knex";
import type { TableNames } from "../tables.js";

/**
 * One schema migration, written against the prefixed table names. Both directions must be safe to rerun after a
 * crash at any point (MySQL commits each DDL statement on its own): change the schema only through
 * `tableCreator`, `alterTable`, `dropTables` (create-table.ts) and `dropColumnIfExists`, which skip what is already
 * done (`applySchema` refuses a statement it has no guard for), and wrap data changes in `dataStep`, written so that
 * running them twice gives the same rows. Never drop a column with Knex's `dropColumn`: on SQLite it rebuilds the
 * table, and dropping the old one cascades to the tables that reference it.
 */
export interface SchemaMigration {
  /** Recorded in the migrations table; never rename a released migration. */
  readonly name: string;
  up(knex: Knex, tables: TableNames): Promise<void>;
  down(knex: Knex, tables: TableNames): Promise<void>;
}
