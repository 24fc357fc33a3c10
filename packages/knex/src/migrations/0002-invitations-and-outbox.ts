import { alterTable, dropTables, reference, tableCreator, timestamps } from "./create-table.js";
import type { SchemaMigration } from "./migration.js";

/**
 * Invitations and the mail outbox, and the indexes behind member pages and statistics:
 * invitations(token_hash) unique, invitations(org_id, status, expires_at), invitations(org_id, email),
 * mail_outbox(status, available_at), members(org_id, id), users(created_at), users(status).
 */
export const invitationsAndOutbox: SchemaMigration = {
  name: "0002_invitations_and_outbox",

  async up(knex, t) {
    const table = await tableCreator(knex);

    await table(t.invitations, (tb) => {
      tb.bigIncrements("id");
      reference(tb, "org_id", t.organizations).onDelete("CASCADE");
      tb.string("email", 320).notNullable();
      // Deleting a custom role deletes its invitations (deleteRole first moves them to the replacement, if any).
      reference(tb, "role_id", t.roles).onDelete("CASCADE");
      reference(tb, "invited_by", t.users).onDelete("CASCADE");
      tb.specificType("token_hash", "char(64)").notNullable().unique();
      tb.integer("status").notNullable();
      tb.bigInteger("expires_at").notNullable();
      timestamps(tb);
      tb.bigInteger("accepted_at").nullable();
      tb.bigInteger("accepted_by").unsigned().nullable().references("id").inTable(t.users).onDelete("SET NULL");
      tb.index(["org_id", "status", "expires_at"]);
      tb.index(["org_id", "email"]);
    });

    await table(t.mailOutbox, (tb) => {
      tb.bigIncrements("id");
      tb.string("template", 64).notNullable();
      tb.string("recipient", 320).notNullable();
      tb.json("payload").notNullable();
      tb.integer("status").notNullable();
      tb.integer("attempts").notNullable();
      tb.bigInteger("available_at").notNullable();
      timestamps(tb);
      tb.bigInteger("sent_at").nullable();
      tb.string("last_error", 500).nullable();
      tb.index(["status", "available_at"]);
    });

    await alterTable(knex, t.members, (tb) => {
      tb.index(["org_id", "id"]);
    });
    await alterTable(knex, t.users, (tb) => {
      tb.index(["created_at"]);
      tb.index(["status"]);
    });
  },

  async down(knex, t) {
    await alterTable(knex, t.users, (tb) => {
      tb.dropIndex(["created_at"]);
      tb.dropIndex(["status"]);
    });
    await alterTable(knex, t.members, (tb) => {
      tb.dropIndex(["org_id", "id"]);
    });
    await dropTables(knex, [t.mailOutbox, t.invitations]);
  },
};
