import { alterTable } from "./create-table.js";
import { dropColumnIfExists } from "./guarded-schema.js";
import type { SchemaMigration } from "./migration.js";

/**
 * The active organization of a session (`auth.switchOrganization`): refreshes keep issuing tokens whose claims
 * carry it. No foreign key: organizations are soft-deleted, and core re-checks the membership at each refresh.
 */
export const activeOrganization: SchemaMigration = {
  name: "0009_active_organization",

  async up(knex, t) {
    await alterTable(knex, t.sessions, (tb) => {
      tb.bigInteger("active_org_id").nullable();
    });
  },

  async down(knex, t) {
    // ALTER TABLE … DROP COLUMN on every database. Knex's dropColumn rebuilds a SQLite table (create a copy, drop
    // the original, rename), and dropping `sessions` with foreign keys on deletes every refresh token (ON DELETE
    // CASCADE): the sessions would survive the rollback, their refresh tokens would not.
    await dropColumnIfExists(knex, t.sessions, "active_org_id");
  },
};
