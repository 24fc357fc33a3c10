import { BUILT_IN_ROLES } from "@tenantauth/core";
import type { Knex } from "knex";
import { toJson } from "../rows.js";
import type { TableNames } from "../tables.js";
import { dropTables, reference as fk, tableCreator, timestamps } from "./create-table.js";
import { dataStep } from "./guarded-schema.js";
import type { SchemaMigration } from "./migration.js";

/**
 * The seed service's tables (users, organizations, roles, members) with tenantauth's columns, plus sessions and
 * refresh tokens; then the built-in roles. Every hot query has an index:
 * users(email), organizations(name), roles(org_id, name), members(org_id, user_id), members(user_id),
 * members(org_id, role_id), sessions(user_id), refresh_tokens(session_id); everything else goes by primary key.
 */
export const initialSchema: SchemaMigration = {
  name: "0001_initial_schema",

  async up(knex, t) {
    const table = await tableCreator(knex);

    await table(t.users, (tb) => {
      tb.bigIncrements("id");
      tb.string("email", 320).notNullable().unique();
      tb.string("password", 255).notNullable();
      tb.json("profile").notNullable();
      tb.integer("status").notNullable();
      tb.json("settings").notNullable();
      tb.bigInteger("email_verified_at").nullable();
      timestamps(tb);
    });

    await table(t.organizations, (tb) => {
      tb.bigIncrements("id");
      tb.string("name", 191).notNullable().unique();
      tb.text("details").nullable();
      tb.integer("status").notNullable();
      tb.boolean("personal").notNullable();
      tb.json("settings").notNullable();
      timestamps(tb);
    });

    await table(t.roles, (tb) => {
      tb.bigIncrements("id");
      tb.string("name", 100).notNullable();
      tb.string("description", 500).nullable();
      tb.bigInteger("org_id").unsigned().nullable().references("id").inTable(t.organizations).onDelete("CASCADE");
      tb.json("permissions").notNullable();
      timestamps(tb);
      tb.unique(["org_id", "name"]);
    });

    await table(t.members, (tb) => {
      tb.bigIncrements("id");
      fk(tb, "org_id", t.organizations).onDelete("CASCADE");
      fk(tb, "user_id", t.users).onDelete("CASCADE");
      fk(tb, "role_id", t.roles);
      tb.integer("status").notNullable();
      tb.json("settings").notNullable();
      timestamps(tb);
      tb.unique(["org_id", "user_id"]);
      tb.index(["user_id"]);
      tb.index(["org_id", "role_id"]);
    });

    await table(t.sessions, (tb) => {
      tb.string("id", 64).primary();
      fk(tb, "user_id", t.users).onDelete("CASCADE");
      tb.bigInteger("created_at").notNullable();
      tb.bigInteger("last_used_at").notNullable();
      tb.bigInteger("idle_expires_at").notNullable();
      tb.bigInteger("expires_at").notNullable();
      tb.bigInteger("revoked_at").nullable();
      tb.string("revoke_reason", 32).nullable();
      tb.string("ip", 64).nullable();
      tb.string("user_agent", 512).nullable();
      tb.index(["user_id"]);
    });

    await table(t.refreshTokens, (tb) => {
      tb.specificType("token_hash", "char(64)").primary();
      tb.string("session_id", 64).notNullable().references("id").inTable(t.sessions).onDelete("CASCADE");
      tb.bigInteger("created_at").notNullable();
      tb.bigInteger("used_at").nullable();
      tb.index(["session_id"]);
    });

    await dataStep(t.roles, () => seedBuiltInRoles(knex, t));
  },

  async down(knex, t) {
    await dropTables(knex, [t.refreshTokens, t.sessions, t.members, t.roles, t.organizations, t.users]);
  },
};

/** Inserts each built-in role (org_id NULL) that is not there yet. Idempotent. */
async function seedBuiltInRoles(knex: Knex, t: TableNames): Promise<void> {
  const now = Date.now();
  for (const role of BUILT_IN_ROLES) {
    const existing = await knex(t.roles).whereNull("org_id").where({ name: role.name }).first("id");
    if (existing) continue;
    await knex(t.roles).insert({
      name: role.name,
      description: role.description,
      org_id: null,
      permissions: toJson(role.permissions),
      created_at: now,
      updated_at: now,
    });
  }
}
