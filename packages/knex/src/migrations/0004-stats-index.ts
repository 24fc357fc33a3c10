import { alterTable } from "./create-table.js";
import type { SchemaMigration } from "./migration.js";

/**
 * A covering index for the seed's statistic: active members grouped by organization and role are read from the
 * index alone (with the user id for the disabled-user check), so the GROUP BY over a million members stays well
 * under a second (see docs/benchmarks.md).
 */
export const statsIndex: SchemaMigration = {
  name: "0004_stats_index",

  async up(knex, t) {
    await alterTable(knex, t.members, (tb) => {
      tb.index(["status", "org_id", "role_id", "user_id"], `${t.members}_stats_cover`);
    });
  },

  async down(knex, t) {
    await alterTable(knex, t.members, (tb) => {
      tb.dropIndex(["status", "org_id", "role_id", "user_id"], `${t.members}_stats_cover`);
    });
  },
};
