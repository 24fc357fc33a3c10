import { dropTables, reference, tableCreator } from "./create-table.js";
import type { SchemaMigration } from "./migration.js";

/**
 * Two-factor sign-in (TOTP): one enrolment per user (the secret sealed by core), single-use backup codes and
 * sign-in challenges, both stored as SHA-256 only.
 */
export const twoFactor: SchemaMigration = {
  name: "0007_two_factor",

  async up(knex, t) {
    const table = await tableCreator(knex);
    await table(t.twoFactor, (tb) => {
      reference(tb, "user_id", t.users).onDelete("CASCADE");
      tb.string("sealed_secret", 255).notNullable();
      tb.bigInteger("enabled_at").nullable();
      tb.bigInteger("last_used_step").nullable();
      tb.bigInteger("created_at").notNullable();
      tb.bigInteger("updated_at").notNullable();
      tb.primary(["user_id"]);
    });
    await table(t.twoFactorBackupCodes, (tb) => {
      tb.specificType("code_hash", "char(64)").primary();
      reference(tb, "user_id", t.users).onDelete("CASCADE");
      tb.bigInteger("used_at").nullable();
      tb.bigInteger("created_at").notNullable();
      tb.index(["user_id"]);
    });
    await table(t.twoFactorChallenges, (tb) => {
      tb.specificType("challenge_hash", "char(64)").primary();
      reference(tb, "user_id", t.users).onDelete("CASCADE");
      tb.bigInteger("expires_at").notNullable();
      tb.integer("attempts").notNullable();
      tb.bigInteger("completed_at").nullable();
      tb.bigInteger("created_at").notNullable();
      tb.index(["user_id"]);
    });
  },

  async down(knex, t) {
    await dropTables(knex, [t.twoFactorChallenges, t.twoFactorBackupCodes, t.twoFactor]);
  },
};
