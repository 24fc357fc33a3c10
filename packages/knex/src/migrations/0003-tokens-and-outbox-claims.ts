import { alterTable, dropTables, reference, tableCreator } from "./create-table.js";
import { dropColumnIfExists } from "./guarded-schema.js";
import type { SchemaMigration } from "./migration.js";

/**
 * Single-use verification tokens (email verification, password reset; stored as SHA-256 only) and the claim
 * columns that let several deliverers share the mail outbox without sending an intent twice.
 */
export const tokensAndOutboxClaims: SchemaMigration = {
  name: "0003_tokens_and_outbox_claims",

  async up(knex, t) {
    const table = await tableCreator(knex);
    await table(t.verificationTokens, (tb) => {
      tb.specificType("token_hash", "char(64)").primary();
      tb.string("purpose", 32).notNullable();
      reference(tb, "user_id", t.users).onDelete("CASCADE");
      tb.bigInteger("expires_at").notNullable();
      tb.bigInteger("created_at").notNullable();
      tb.bigInteger("used_at").nullable();
      tb.bigInteger("superseded_at").nullable();
      tb.index(["user_id", "purpose"]);
    });
    await alterTable(knex, t.mailOutbox, (tb) => {
      tb.string("claim_id", 64).nullable();
      tb.bigInteger("claimed_until").nullable();
    });
  },

  async down(knex, t) {
    // ALTER TABLE … DROP COLUMN on every database: Knex would rebuild the table on SQLite (see 0009).
    await dropColumnIfExists(knex, t.mailOutbox, "claimed_until");
    await dropColumnIfExists(knex, t.mailOutbox, "claim_id");
    await dropTables(knex, [t.verificationTokens]);
  },
};
