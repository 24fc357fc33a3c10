import { dropTables, tableCreator } from "./create-table.js";
import type { SchemaMigration } from "./migration.js";

/**
 * Revocation records: a small append-only log that every node polls by ascending id (`id > last seen`, the primary
 * key) so that revoked sessions, disabled users and membership changes reach access tokens on every node within
 * seconds; `created_at` is indexed for the first read and for pruning. No foreign keys: records outlive nothing
 * they name by more than the longest token lifetime, and pruning deletes them.
 */
export const revocations: SchemaMigration = {
  name: "0011_revocations",

  async up(knex, t) {
    const table = await tableCreator(knex);
    await table(t.revocations, (tb) => {
      tb.bigIncrements("id");
      tb.string("kind", 16).notNullable();
      tb.bigInteger("user_id").unsigned().nullable();
      tb.string("session_id", 64).nullable();
      tb.bigInteger("org_id").unsigned().nullable();
      tb.bigInteger("role_id").unsigned().nullable();
      tb.bigInteger("created_at").notNullable();
      tb.index(["created_at"], `${t.revocations}_created`);
    });
  },

  async down(knex, t) {
    await dropTables(knex, [t.revocations]);
  },
};
