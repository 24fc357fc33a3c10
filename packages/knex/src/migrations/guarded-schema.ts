import type { Knex } from "knex";
import { dialectOf } from "../dialect.js";

/**
 * A schema statement of a migration failed: `table` is the table it worked on (an identifier of ours, safe to
 * show), `cause` the driver's error (never shown).
 */
export class SchemaStepError extends Error {
  override readonly name = "SchemaStepError";
  constructor(
    readonly table: string,
    options: { cause: unknown },
  ) {
    super(`a schema step on ${table} failed`, options);
  }
}

type Check = (knex: Knex) => Promise<boolean>;

interface Guard {
  /** The table the statement works on (for error messages). */
  table: string;
  /** True when the statement's effect is already there, so it must be skipped. Undefined: always run it. */
  done?: Check;
}

const Q = '[`"]';
const ID = `${Q}([^\`"]+)${Q}`;
const rx = (source: string): RegExp => new RegExp(`^${source.replaceAll("ID", ID)}`, "i");

/**
 * How to tell, for each kind of statement Knex generates for our migrations (MySQL, PostgreSQL, SQLite), whether
 * its effect is already in the database. MySQL commits every DDL statement on its own, and Knex creates a table
 * in several statements there (CREATE TABLE, then one ALTER TABLE per index and foreign key): a migration killed
 * between two of them leaves part of its work behind. Skipping what is there lets the rerun finish it.
 */
const GUARDS: Array<[RegExp, (m: string[], sql: string) => Guard]> = [
  [rx("create table ID"), ([t = ""], sql) => ({ table: t, done: (k) => tableIsThere(k, t, sql) })],
  [rx("create (?:unique )?index ID on ID"), ([i = "", t = ""]) => ({ table: t, done: (k) => hasIndex(k, t, i) })],
  [rx("alter table ID add constraint ID"), ([t = "", c = ""]) => ({ table: t, done: (k) => hasConstraint(k, t, c) })],
  [rx("alter table ID add (?:unique|index) ID"), ([t = "", i = ""]) => ({ table: t, done: (k) => hasIndex(k, t, i) })],
  [
    rx("alter table ID add (?:column )?ID"),
    ([t = "", c = ""]) => ({ table: t, done: (k) => k.schema.hasColumn(t, c) }),
  ],
  [
    rx("alter table ID drop (?:index|key) ID"),
    ([t = "", i = ""]) => ({ table: t, done: not((k) => hasIndex(k, t, i)) }),
  ],
  [rx("drop index ID"), ([i = ""]) => ({ table: i, done: not((k) => hasIndex(k, undefined, i)) })],
  [
    rx("alter table ID drop constraint ID"),
    ([t = "", c = ""]) => ({ table: t, done: not((k) => hasConstraint(k, t, c)) }),
  ],
  [
    rx("alter table ID drop (?:column )?ID"),
    ([t = "", c = ""]) => ({ table: t, done: not((k) => k.schema.hasColumn(t, c)) }),
  ],
  [rx("drop table if exists ID"), ([t = ""]) => ({ table: t })],
];

const not =
  (check: Check): Check =>
  async (knex) =>
    !(await check(knex));

/**
 * Runs the statements of a Knex schema builder one by one, skipping each whose effect is already in the database
 * (a table, column, index or constraint that exists; one to drop that does not). So every migration can be run
 * again after a crash at any point and completes what the crashed run left undone.
 *
 * @throws {SchemaStepError} naming the table, when a statement fails.
 * @throws {Error} for a statement no guard knows (a programming error, caught by the migration tests).
 */
export async function applySchema(knex: Knex, builder: Knex.SchemaBuilder): Promise<void> {
  for (const statement of builder.toSQL() as unknown as Array<{ sql?: unknown; bindings?: readonly unknown[] }>) {
    const sql = statement.sql;
    if (typeof sql !== "string") throw new Error("a migration statement that Knex cannot give as SQL");
    const guard = guardOf(sql);
    try {
      if (guard.done && (await guard.done(knex))) continue;
      await (statement.bindings?.length ? knex.raw(sql, statement.bindings as Knex.RawBinding[]) : knex.raw(sql));
    } catch (cause) {
      throw new SchemaStepError(guard.table, { cause });
    }
  }
}

function guardOf(sql: string): Guard {
  for (const [pattern, make] of GUARDS) {
    const match = pattern.exec(sql);
    if (match) return make(match.slice(1), sql);
  }
  throw new Error(`a migration statement with no rerun guard: ${sql.slice(0, 40)}`);
}

/**
 * A table that exists where a migration would create one: ours, left by a run that crashed, when it has every
 * column the statement would give it (CREATE TABLE is atomic). Without them it is someone else's table (the seed
 * service's `users`, another application's), and skipping it would leave tenantauth without its columns.
 *
 * @throws {ForeignTableError} for such a table.
 */
async function tableIsThere(knex: Knex, table: string, createSql: string): Promise<boolean> {
  if (!(await knex.schema.hasTable(table))) return false;
  // Column definitions follow "(" or ", " and start with a quoted name; constraints (primary key, foreign key,
  // constraint "x") do not.
  const wanted = [...createSql.matchAll(/(?:\(|, )[`"]([^`"]+)[`"] /g)].map((m) => m[1] ?? "");
  const existing = Object.keys(await knex(table).columnInfo());
  const missing = wanted.filter((c) => !existing.includes(c));
  if (missing.length > 0) throw new ForeignTableError(missing);
  return true;
}

/** A table of the migration's name exists without the columns the migration would give it. */
export class ForeignTableError extends Error {
  override readonly name = "ForeignTableError";
  readonly code = "TABLE_EXISTS_WITHOUT_OUR_COLUMNS";
  constructor(readonly missing: readonly string[]) {
    super(`the table exists without the columns ${missing.join(", ")}`);
  }
}

/** `ALTER TABLE … DROP COLUMN` when the column is there (Knex would rebuild a SQLite table instead; see 0009). */
export async function dropColumnIfExists(knex: Knex, table: string, column: string): Promise<void> {
  try {
    if (await knex.schema.hasColumn(table, column)) await knex.raw("alter table ?? drop column ??", [table, column]);
  } catch (cause) {
    throw new SchemaStepError(table, { cause });
  }
}

/** Runs a data step (seeding, backfilling) of a migration, naming `table` if it fails. */
export async function dataStep(table: string, step: () => Promise<void>): Promise<void> {
  try {
    await step();
  } catch (cause) {
    throw new SchemaStepError(table, { cause });
  }
}

const rowsOf = (result: unknown): unknown[] => {
  if (Array.isArray(result)) return Array.isArray(result[0]) ? result[0] : result; // mysql2: [rows, fields]
  const rows = (result as { rows?: unknown } | null)?.rows; // pg
  return Array.isArray(rows) ? rows : [];
};

/** Is there an index `index` (on `table`, when given) in the current database / schema? */
async function hasIndex(knex: Knex, table: string | undefined, index: string): Promise<boolean> {
  switch (dialectOf(knex)) {
    case "mysql":
      return (
        rowsOf(
          await knex.raw(
            "select 1 from information_schema.STATISTICS where TABLE_SCHEMA = database() and INDEX_NAME = ?" +
              (table ? " and TABLE_NAME = ?" : ""),
            table ? [index, table] : [index],
          ),
        ).length > 0
      );
    case "postgres":
      return (
        rowsOf(
          await knex.raw("select 1 from pg_indexes where schemaname = current_schema() and indexname = ?", [index]),
        ).length > 0
      );
    case "sqlite":
      return (
        rowsOf(await knex.raw("select 1 from sqlite_master where type = 'index' and name = ?", [index])).length > 0
      );
  }
}

/** Is there a constraint `constraint` on `table` (a foreign key; on PostgreSQL also a unique constraint)? */
async function hasConstraint(knex: Knex, table: string, constraint: string): Promise<boolean> {
  switch (dialectOf(knex)) {
    case "mysql":
      return (
        rowsOf(
          await knex.raw(
            "select 1 from information_schema.TABLE_CONSTRAINTS where CONSTRAINT_SCHEMA = database() and TABLE_NAME = ? and CONSTRAINT_NAME = ?",
            [table, constraint],
          ),
        ).length > 0
      );
    case "postgres":
      return (
        rowsOf(
          await knex.raw(
            "select 1 from pg_constraint c join pg_class t on t.oid = c.conrelid join pg_namespace n on n.oid = t.relnamespace where n.nspname = current_schema() and t.relname = ? and c.conname = ?",
            [table, constraint],
          ),
        ).length > 0
      );
    case "sqlite":
      // SQLite writes foreign keys and constraints into CREATE TABLE itself; Knex never adds one later.
      throw new Error("SQLite has no ALTER TABLE … ADD CONSTRAINT");
  }
}
