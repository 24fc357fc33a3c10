import type { Knex } from "knex";
import { stringArray, toJson } from "../rows.js";
import type { TableNames } from "../tables.js";
import { dropTables, tableCreator } from "./create-table.js";
import { dataStep } from "./guarded-schema.js";
import type { SchemaMigration } from "./migration.js";

/** The permission to read an organization's audit events, given to the built-in Owner and Admin roles. */
const AUDIT_READ = "audit:read";
const ROLES_WITH_AUDIT_READ = ["Owner", "Admin"];

/**
 * The audit event table, listed newest first by organization or by user (as actor or target) with an id cursor:
 * indexes (org_id, id), (actor_user_id, id), (target_user_id, id). No foreign keys: events outlive the users and
 * organizations they name. Then `audit:read` is added to the built-in Owner and Admin roles, whose permissions are
 * stored in their rows. (Sessions already record ip, user agent and last use since 0001.)
 */
export const auditEvents: SchemaMigration = {
  name: "0006_audit_events",

  async up(knex, t) {
    const table = await tableCreator(knex);
    await table(t.auditEvents, (tb) => {
      tb.bigIncrements("id");
      tb.string("type", 64).notNullable();
      tb.bigInteger("at").notNullable();
      tb.bigInteger("actor_user_id").unsigned().nullable();
      tb.bigInteger("org_id").unsigned().nullable();
      tb.bigInteger("target_user_id").unsigned().nullable();
      tb.string("ip", 64).nullable();
      tb.string("user_agent", 512).nullable();
      tb.json("data").notNullable();
      tb.index(["org_id", "id"], `${t.auditEvents}_org`);
      tb.index(["actor_user_id", "id"], `${t.auditEvents}_actor`);
      tb.index(["target_user_id", "id"], `${t.auditEvents}_target`);
    });
    await dataStep(t.roles, () => setAuditRead(knex, t, true));
  },

  async down(knex, t) {
    await dataStep(t.roles, () => setAuditRead(knex, t, false));
    await dropTables(knex, [t.auditEvents]);
  },
};

/** Adds (or removes) `audit:read` on the built-in Owner and Admin rows, keeping their other permissions. */
async function setAuditRead(knex: Knex, t: TableNames, granted: boolean): Promise<void> {
  const rows = (await knex(t.roles)
    .whereNull("org_id")
    .whereIn("name", ROLES_WITH_AUDIT_READ)
    .select("id", "permissions")) as Array<{ id: unknown; permissions: unknown }>;
  for (const row of rows) {
    const current = stringArray(row.permissions).filter((p) => p !== AUDIT_READ);
    const permissions = granted ? [...current, AUDIT_READ] : current;
    await knex(t.roles)
      .where({ id: row.id })
      .update({ permissions: toJson(permissions), updated_at: Date.now() });
  }
}
