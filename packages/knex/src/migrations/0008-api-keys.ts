import type { Knex } from "knex";
import { stringArray, toJson } from "../rows.js";
import type { TableNames } from "../tables.js";
import { dropTables, reference, tableCreator } from "./create-table.js";
import { dataStep } from "./guarded-schema.js";
import type { SchemaMigration } from "./migration.js";

const PERMISSION = "api_key:manage";

/**
 * Organization API keys (stored as SHA-256 only; `key_hash` is unique, so authenticating a key is one indexed
 * lookup), and the `api_key:manage` permission for the built-in Owner and Admin roles.
 */
export const apiKeys: SchemaMigration = {
  name: "0008_api_keys",

  async up(knex, t) {
    const table = await tableCreator(knex);
    await table(t.apiKeys, (tb) => {
      tb.string("id", 32).primary();
      reference(tb, "org_id", t.organizations).onDelete("CASCADE");
      reference(tb, "created_by", t.users).onDelete("CASCADE");
      tb.string("name", 100).notNullable();
      tb.string("prefix", 64).notNullable();
      tb.specificType("key_hash", "char(64)").notNullable().unique();
      tb.json("permissions").notNullable();
      tb.bigInteger("expires_at").nullable();
      tb.bigInteger("last_used_at").nullable();
      tb.bigInteger("revoked_at").nullable();
      tb.bigInteger("created_at").notNullable();
      tb.bigInteger("updated_at").notNullable();
      tb.index(["org_id", "created_at"]);
      tb.index(["created_by"]);
    });
    await dataStep(t.roles, () =>
      editBuiltInPermissions(knex, t, (list) => (list.includes(PERMISSION) ? list : [...list, PERMISSION])),
    );
  },

  async down(knex, t) {
    await dataStep(t.roles, () => editBuiltInPermissions(knex, t, (list) => list.filter((p) => p !== PERMISSION)));
    await dropTables(knex, [t.apiKeys]);
  },
};

/** Rewrites the permissions of the built-in Owner and Admin roles. */
async function editBuiltInPermissions(knex: Knex, t: TableNames, edit: (list: string[]) => string[]): Promise<void> {
  const rows = (await knex(t.roles)
    .whereNull("org_id")
    .whereIn("name", ["Owner", "Admin"])
    .select("id", "permissions")) as Array<{ id: unknown; permissions: unknown }>;
  for (const row of rows) {
    await knex(t.roles)
      .where({ id: row.id })
      .update({ permissions: toJson(edit(stringArray(row.permissions))), updated_at: Date.now() });
  }
}
