import { createHash } from "node:crypto";
import { uniqueNameKey } from "@tenantauth/core";
import type { Knex } from "knex";
import { alterTable } from "./create-table.js";
import { dataStep, dropColumnIfExists } from "./guarded-schema.js";
import type { SchemaMigration } from "./migration.js";

const PAGE = 1000;

/**
 * `name_key` on organizations and roles: SHA-256 of the name folded for comparison (NFKC, case, invisible
 * characters, spacing; see `uniqueNameKey` in core), with a unique index: organizations(name_key) and
 * roles(org_id, name_key). So names that differ only by case or Unicode form are one name, and the database
 * enforces it when requests race.
 *
 * Existing rows are filled in id order. When rows already collide (the seed's `name` was unique only as written,
 * so "Acme" and "ACME" may both exist), the oldest keeps the name's key and each later one gets a key of its own
 * made from its id: no row is changed, renamed or lost, and no new name may look like any of them; renaming such
 * a row gives it its name's key (or ORG_NAME_TAKEN / ROLE_NAME_TAKEN while the look-alike exists).
 */
export const nameKeys: SchemaMigration = {
  name: "0010_name_keys",

  async up(knex, t) {
    await alterTable(knex, t.organizations, (tb) => {
      tb.specificType("name_key", "char(64)").nullable();
    });
    await alterTable(knex, t.roles, (tb) => {
      tb.specificType("name_key", "char(64)").nullable();
    });
    // Rerun after a crash: filling is deterministic (id order), so it gives every row the same key again.
    await dataStep(t.organizations, () => fillKeys(knex, t.organizations, false));
    await dataStep(t.roles, () => fillKeys(knex, t.roles, true));
    await alterTable(knex, t.organizations, (tb) => {
      tb.unique(["name_key"], { indexName: `${t.organizations}_name_key` });
    });
    await alterTable(knex, t.roles, (tb) => {
      tb.unique(["org_id", "name_key"], { indexName: `${t.roles}_org_name_key` });
    });
  },

  async down(knex, t) {
    await alterTable(knex, t.roles, (tb) => {
      tb.dropUnique(["org_id", "name_key"], `${t.roles}_org_name_key`);
    });
    await alterTable(knex, t.organizations, (tb) => {
      tb.dropUnique(["name_key"], `${t.organizations}_name_key`);
    });
    // ALTER TABLE … DROP COLUMN on every database: Knex would rebuild a SQLite table instead, and dropping the
    // old organizations table would cascade to its roles and members.
    for (const table of [t.roles, t.organizations]) await dropColumnIfExists(knex, table, "name_key");
  },
};

interface NamedRow {
  id: unknown;
  name: unknown;
  org_id?: unknown;
}

/**
 * Sets `name_key` on every row of `table`, page by page in id order. Within one scope (the whole table for
 * organizations; for roles, `perOrganization`, the organization, built-in roles being one scope of their own) a key
 * goes to the oldest row; later look-alikes get a key no name can fold to (see {@link duplicateKey}).
 */
async function fillKeys(knex: Knex, table: string, perOrganization: boolean): Promise<void> {
  const given = new Set<string>();
  let after = 0;
  for (;;) {
    const rows = (await knex(table)
      .where("id", ">", after)
      .orderBy("id")
      .limit(PAGE)
      .select(perOrganization ? ["id", "name", "org_id"] : ["id", "name"])) as NamedRow[];
    if (rows.length === 0) return;
    for (const row of rows) {
      const own = uniqueNameKey(String(row.name ?? ""));
      const scoped = perOrganization ? `${String(row.org_id ?? "built-in")}:${own}` : own;
      const key = given.has(scoped) ? duplicateKey(table, Number(row.id)) : own;
      given.add(scoped);
      await knex(table).where({ id: row.id }).update({ name_key: key });
    }
    after = Number(rows[rows.length - 1]?.id);
  }
}

/**
 * The key of a row whose name already had an owner when the keys were made. Folded names never hold a NUL
 * character, so no name's key can equal it.
 */
export function duplicateKey(table: string, id: number): string {
  return createHash("sha256").update(`\u0000${table}:${id}`).digest("hex");
}
