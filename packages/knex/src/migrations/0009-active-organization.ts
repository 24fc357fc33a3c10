import type { SchemaMigration } from "./migration.js";

/**
 * The active organization of a session (`auth.switchOrganization`): refreshes keep issuing tokens whose claims
 * carry it. No foreign key: organizations are soft-deleted, and core re-checks the membership at each refresh.
 */
export const activeOrganization: SchemaMigration = {
  name: "0009_active_organization",

  async up(knex, t) {
    await knex.schema.alterTable(t.sessions, (tb) => {
      tb.bigInteger("active_org_id").nullable();
    });
  },

  async down(knex, t) {
    await knex.schema.alterTable(t.sessions, (tb) => {
      tb.dropColumn("active_org_id");
    });
  },
};
