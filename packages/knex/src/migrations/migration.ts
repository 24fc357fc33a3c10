import type { Knex } from "knex";
import type { TableNames } from "../tables.js";

/** One schema migration, written against the prefixed table names. */
export interface SchemaMigration {
  /** Recorded in the migrations table; never rename a released migration. */
  readonly name: string;
  up(knex: Knex, tables: TableNames): Promise<void>;
  down(knex: Knex, tables: TableNames): Promise<void>;
}
