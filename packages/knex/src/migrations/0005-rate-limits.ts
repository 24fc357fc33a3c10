import { dropTables, tableCreator } from "./create-table.js";
import type { SchemaMigration } from "./migration.js";

/**
 * Fixed-window rate-limit counters, the default rate-limit store: one row per key (`<rule>:<sha-256>`), bumped by
 * an atomic upsert. `reset_at` is indexed so that ended windows can be pruned.
 */
export const rateLimits: SchemaMigration = {
  name: "0005_rate_limits",

  async up(knex, t) {
    const table = await tableCreator(knex);
    await table(t.rateLimits, (tb) => {
      tb.string("limit_key", 191).primary();
      tb.integer("hits").notNullable();
      tb.bigInteger("reset_at").notNullable();
      tb.index(["reset_at"]);
    });
  },

  async down(knex, t) {
    await dropTables(knex, [t.rateLimits]);
  },
};
