import type { Knex } from "knex";

/**
 * The tables, columns, indexes and foreign keys of the tables whose names start with `prefix`, as sorted lines
 * with the prefix taken out, read from the database's catalog. Two databases migrated alike give equal
 * snapshots whatever their prefixes; a table, column, index or foreign key that is missing shows.
 * Knex's bookkeeping tables are left out.
 */
export async function schemaSnapshot(knex: Knex, prefix: string): Promise<string[]> {
  const dialect = (knex.client as { dialect: string }).dialect;
  const like = `${prefix.replaceAll("_", "\\_")}%`;
  let lines: string[];
  if (dialect === "mysql") {
    const [columns] = (await knex.raw(
      "select TABLE_NAME t, COLUMN_NAME c, COLUMN_TYPE y, IS_NULLABLE n from information_schema.COLUMNS where TABLE_SCHEMA = database() and TABLE_NAME like ?",
      [like],
    )) as [Array<Record<string, unknown>>];
    const [indexes] = (await knex.raw(
      "select TABLE_NAME t, INDEX_NAME i, NON_UNIQUE u, group_concat(COLUMN_NAME order by SEQ_IN_INDEX) c from information_schema.STATISTICS where TABLE_SCHEMA = database() and TABLE_NAME like ? group by TABLE_NAME, INDEX_NAME, NON_UNIQUE",
      [like],
    )) as [Array<Record<string, unknown>>];
    const [foreign] = (await knex.raw(
      "select k.TABLE_NAME t, k.CONSTRAINT_NAME f, k.COLUMN_NAME c, k.REFERENCED_TABLE_NAME r, rc.DELETE_RULE d from information_schema.KEY_COLUMN_USAGE k join information_schema.REFERENTIAL_CONSTRAINTS rc on rc.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA and rc.CONSTRAINT_NAME = k.CONSTRAINT_NAME where k.TABLE_SCHEMA = database() and k.TABLE_NAME like ? and k.REFERENCED_TABLE_NAME is not null",
      [like],
    )) as [Array<Record<string, unknown>>];
    lines = [
      ...columns.map((r) => `column ${r.t}.${r.c} ${r.y} ${r.n}`),
      ...indexes.map((r) => `index ${r.t}.${r.i} unique=${Number(r.u) === 0} (${r.c})`),
      ...foreign.map((r) => `foreign ${r.t}.${r.f} (${r.c}) → ${r.r} on delete ${r.d}`),
    ];
  } else if (dialect === "postgresql") {
    const { rows: columns } = (await knex.raw(
      "select table_name t, column_name c, data_type y, is_nullable n from information_schema.columns where table_schema = current_schema() and table_name like ?",
      [like],
    )) as { rows: Array<Record<string, unknown>> };
    const { rows: indexes } = (await knex.raw(
      "select tablename t, indexdef d from pg_indexes where schemaname = current_schema() and tablename like ?",
      [like],
    )) as { rows: Array<Record<string, unknown>> };
    const { rows: constraints } = (await knex.raw(
      "select t.relname t, c.conname n, pg_get_constraintdef(c.oid) d from pg_constraint c join pg_class t on t.oid = c.conrelid join pg_namespace s on s.oid = t.relnamespace where s.nspname = current_schema() and t.relname like ?",
      [like],
    )) as { rows: Array<Record<string, unknown>> };
    lines = [
      ...columns.map((r) => `column ${r.t}.${r.c} ${r.y} ${r.n}`),
      ...indexes.map((r) => `index ${r.t} ${r.d}`),
      ...constraints.map((r) => `constraint ${r.t}.${r.n} ${r.d}`),
    ];
  } else {
    const rows = (await knex.raw("select type, name, sql from sqlite_master where name like ? escape '\\'", [
      like,
    ])) as Array<Record<string, unknown>>;
    lines = rows.map((r) => `${r.type} ${r.name} ${r.sql}`);
  }
  return lines
    .filter((line) => !line.includes(`${prefix}tenantauth_migrations`))
    .map((line) => line.replaceAll(prefix, "<p>"))
    .sort();
}
