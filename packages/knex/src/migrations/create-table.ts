import type { Knex } from "knex";
import { dialectOf } from "../dialect.js";
import { applySchema } from "./guarded-schema.js";

/**
 * Creates a table (on MySQL with InnoDB, utf8mb4 and the server's exact collation), or completes it: each of its
 * statements (the table, then on MySQL and PostgreSQL each index and foreign key) is skipped when already there.
 */
export type CreateTable = (name: string, build: (table: Knex.CreateTableBuilder) => void) => Promise<void>;

/**
 * A `createTable` for migrations. On MySQL every table gets InnoDB, utf8mb4 and a binary NO PAD collation, so
 * that emails, names and ids compare exactly (case and trailing spaces included), as on SQLite and PostgreSQL.
 */
export async function tableCreator(knex: Knex): Promise<CreateTable> {
  const collation = dialectOf(knex) === "mysql" ? await exactCollation(knex) : undefined;
  return async (name, build) => {
    await applySchema(
      knex,
      knex.schema.createTable(name, (table) => {
        if (collation) {
          table.engine("InnoDB");
          table.charset("utf8mb4");
          table.collate(collation);
        }
        build(table);
      }),
    );
  };
}

/** Alters a table, skipping each statement whose effect is already there (see {@link applySchema}). */
export function alterTable(knex: Knex, name: string, build: (table: Knex.AlterTableBuilder) => void): Promise<void> {
  return applySchema(knex, knex.schema.alterTable(name, build));
}

/** Drops tables (children first) that exist. */
export async function dropTables(knex: Knex, names: readonly string[]): Promise<void> {
  for (const name of names) await applySchema(knex, knex.schema.dropTableIfExists(name));
}

/**
 * The exact (binary, NO PAD) utf8mb4 collation of this server: `utf8mb4_0900_bin` on MySQL 8, `utf8mb4_nopad_bin`
 * on MariaDB; `utf8mb4_bin` (which ignores trailing spaces) on older servers.
 */
async function exactCollation(knex: Knex): Promise<string> {
  const preferred = ["utf8mb4_0900_bin", "utf8mb4_nopad_bin"];
  const available = (await knex("information_schema.COLLATIONS")
    .whereIn("COLLATION_NAME", preferred)
    .pluck("COLLATION_NAME")) as string[];
  return preferred.find((name) => available.includes(name)) ?? "utf8mb4_bin";
}

/** `created_at` and `updated_at`, epoch ms. */
export function timestamps(table: Knex.CreateTableBuilder): void {
  table.bigInteger("created_at").notNullable();
  table.bigInteger("updated_at").notNullable();
}

/** A NOT NULL reference to `target.id` (auto-increment ids are BIGINT UNSIGNED on MySQL). */
export function reference(
  table: Knex.CreateTableBuilder,
  column: string,
  target: string,
): Knex.ReferencingColumnBuilder {
  return table.bigInteger(column).unsigned().notNullable().references("id").inTable(target);
}
