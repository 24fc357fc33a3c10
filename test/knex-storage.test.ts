import { inspect } from "node:util";
import { AuthError, SafeError } from "@tenantauth/core";
import { knexStorage, parseDatabaseUrl } from "@tenantauth/knex";
import type { Knex } from "knex";
import knexFactory from "knex";
import { describe, expect, it } from "vitest";
import { authErrorOf } from "./support/errors.js";
import { knexTargets, signup, T0, unique, useKnexDatabases } from "./support/knex-fixtures.js";

// What the storage conformance suite cannot see through the port: the schema (prefix, indexes, migrations),
// the caller's own Knex instance, driver-error wrapping, and per-database session settings.

/** `unique(a,b)` / `index(a)` for each secondary index of `table`. */
async function indexesOf(knex: Knex, dialect: string, table: string): Promise<string[]> {
  const byName = new Map<string, { unique: boolean; columns: string[] }>();
  if (dialect === "mysql") {
    const rows = (await knex("information_schema.STATISTICS")
      .where({ TABLE_SCHEMA: knex.raw("database()"), TABLE_NAME: table })
      .whereNot({ INDEX_NAME: "PRIMARY" })
      .orderBy(["INDEX_NAME", "SEQ_IN_INDEX"])
      .select({ name: "INDEX_NAME", nonUnique: "NON_UNIQUE", column: "COLUMN_NAME" })) as Array<{
      name: string;
      nonUnique: number;
      column: string;
    }>;
    for (const r of rows) {
      const entry = byName.get(r.name) ?? { unique: Number(r.nonUnique) === 0, columns: [] };
      entry.columns.push(r.column);
      byName.set(r.name, entry);
    }
  } else {
    const list = (await knex.raw("PRAGMA index_list(??)", [table])) as Array<{
      name: string;
      unique: number;
      origin: string;
    }>;
    for (const index of list.filter((i) => i.origin !== "pk")) {
      const info = (await knex.raw("PRAGMA index_info(??)", [index.name])) as Array<{ seqno: number; name: string }>;
      byName.set(index.name, {
        unique: index.unique === 1,
        columns: info.sort((a, b) => a.seqno - b.seqno).map((c) => c.name),
      });
    }
  }
  return [...byName.values()].map((i) => `${i.unique ? "unique" : "index"}(${i.columns.join(",")})`).sort();
}

for (const target of knexTargets) {
  describe.skipIf(!target.available)(
    `knex storage on ${target.name}${target.available ? "" : " (skipped: no MySQL)"}`,
    () => {
      const setup = useKnexDatabases(target);

      it("migrate is idempotent and creates the prefixed tables, their indexes and the built-in roles", async () => {
        const { storage } = await setup({ prefix: "ta_" });
        await storage.migrate();
        const { knex } = storage;
        const tables = [
          "users",
          "organizations",
          "roles",
          "members",
          "sessions",
          "refresh_tokens",
          "invitations",
          "mail_outbox",
          "verification_tokens",
          "rate_limits",
          "audit_events",
          "two_factor",
          "two_factor_backup_codes",
          "two_factor_challenges",
          "api_keys",
          "revocations",
        ];
        for (const table of tables) {
          expect(await knex.schema.hasTable(`ta_${table}`), `ta_${table}`).toBe(true);
          expect(await knex.schema.hasTable(table), `unprefixed ${table}`).toBe(false);
        }
        expect(await knex("ta_tenantauth_migrations").orderBy("id").pluck("name")).toEqual([
          "0001_initial_schema",
          "0002_invitations_and_outbox",
          "0003_tokens_and_outbox_claims",
          "0004_stats_index",
          "0005_rate_limits",
          "0006_audit_events",
          "0007_two_factor",
          "0008_api_keys",
          "0009_active_organization",
          "0010_name_keys",
          "0011_revocations",
        ]);
        expect(await knex.schema.hasColumn("ta_sessions", "active_org_id")).toBe(true);
        expect(await knex.schema.hasTable("ta_tenantauth_migrations_lock")).toBe(true);
        expect(await knex.schema.hasTable("knex_migrations")).toBe(false);
        expect((await storage.listBuiltInRoles()).map((r) => r.name)).toEqual(["Owner", "Admin", "Member"]);
        expect(await knex("ta_roles").count({ n: "*" })).toEqual([{ n: 3 }]);

        const has = async (table: string, expected: string[]) =>
          expect(await indexesOf(knex, storage.dialect, `ta_${table}`), table).toEqual(
            expect.arrayContaining(expected),
          );
        await has("users", ["unique(email)", "index(created_at)", "index(status)"]);
        await has("organizations", ["unique(name)", "unique(name_key)"]);
        await has("roles", ["unique(org_id,name)", "unique(org_id,name_key)"]);
        await has("members", [
          "unique(org_id,user_id)",
          "index(user_id)",
          "index(org_id,role_id)",
          "index(org_id,id)",
          "index(status,org_id,role_id,user_id)",
        ]);
        await has("sessions", ["index(user_id)"]);
        await has("refresh_tokens", ["index(session_id)"]);
        await has("invitations", ["unique(token_hash)", "index(org_id,status,expires_at)", "index(org_id,email)"]);
        await has("mail_outbox", ["index(status,available_at)"]);
        await has("verification_tokens", ["index(user_id,purpose)"]);
        await has("rate_limits", ["index(reset_at)"]);
        await has("audit_events", ["index(org_id,id)", "index(actor_user_id,id)", "index(target_user_id,id)"]);
        await has("two_factor_backup_codes", ["index(user_id)"]);
        await has("two_factor_challenges", ["index(user_id)"]);
        await has("api_keys", ["unique(key_hash)", "index(org_id,created_at)", "index(created_by)"]);
        await has("revocations", ["index(created_at)"]);
        const owner = (await storage.listBuiltInRoles()).find((r) => r.name === "Owner");
        expect(owner?.permissions).toContain("api_key:manage");
        // 0006 added audit:read to the stored Owner and Admin rows (once, though migrate ran twice).
        const stored = await storage.listBuiltInRoles();
        expect(stored.find((r) => r.name === "Owner")?.permissions.filter((p) => p === "audit:read")).toEqual([
          "audit:read",
        ]);
        expect(stored.find((r) => r.name === "Admin")?.permissions).toContain("audit:read");
        expect(stored.find((r) => r.name === "Member")?.permissions).toEqual([]);
      });

      it("0006 adds audit:read to the stored Owner and Admin rows of a database made before it", async () => {
        const { storage } = await setup({ prefix: "up_" });
        const { knex } = storage;
        // Put the database back to how 0004 left it: no audit table, built-in roles without audit:read.
        await knex.schema.dropTable("up_audit_events");
        await knex("up_tenantauth_migrations").where({ name: "0006_audit_events" }).delete();
        for (const role of await knex("up_roles").whereNull("org_id").select("id", "permissions")) {
          const permissions = (
            typeof role.permissions === "string" ? JSON.parse(role.permissions) : role.permissions
          ).filter((p: string) => p !== "audit:read");
          await knex("up_roles")
            .where({ id: role.id })
            .update({ permissions: JSON.stringify(permissions) });
        }
        const fresh = knexStorage(knex, { tablePrefix: "up_" });
        expect((await fresh.listBuiltInRoles()).some((r) => r.permissions.includes("audit:read"))).toBe(false);
        await fresh.migrate();
        const roles = await fresh.listBuiltInRoles();
        for (const name of ["Owner", "Admin"]) {
          const role = roles.find((r) => r.name === name)!;
          expect(role.permissions, name).toContain("audit:read");
          expect(role.permissions, name).toContain("stats:read");
        }
        expect(roles.find((r) => r.name === "Member")?.permissions).toEqual([]);
        expect(await knex.schema.hasTable("up_audit_events")).toBe(true);
      });

      it("two table prefixes are two independent stores in one database", async () => {
        const { storage: a, open } = await setup({ prefix: "a_" });
        const b = open("b_");
        await b.migrate();
        const email = `same-${unique()}@example.test`;
        const name = `same-${unique()}`;
        const inA = await signup(a, email, name);
        const inB = await signup(b, email, name);
        expect(inB.user.id).toBe(inA.user.id); // both tables start at 1: proof they are separate
        await a.updateUserPasswordHash(inA.user.id, "$changed-in-a", T0 + 1);
        expect((await b.findUserByEmail(email))?.passwordHash).toBe("$argon2id$x");
      });

      it("a caller's Knex instance is used as is and never destroyed by the adapter", async () => {
        const { storage: owner, url } = await setup();
        const knex = knexFactory(parseDatabaseUrl(url).config);
        try {
          const storage = knexStorage(knex);
          expect(storage.knex).toBe(knex);
          const { user } = await signup(storage);
          await storage.destroy();
          expect((await owner.findUserById(user.id))?.id).toBe(user.id);
          expect(await knex(`users`).where({ id: user.id }).pluck("id")).toHaveLength(1);
        } finally {
          await knex.destroy();
        }
      });

      it("an unmigrated database gives STORAGE_ERROR, its summary (operation, code, table) as cause, and no SQL or values anywhere", async () => {
        const { storage } = await setup({ migrate: false });
        const error = await authErrorOf(storage.findUserByEmail("secret-address@example.test"));
        expect(error.code).toBe("STORAGE_ERROR");
        expect(error.message).toBe("A storage operation failed (findUserByEmail)");
        expect(error.cause).toBeInstanceOf(SafeError);
        expect(error.cause).toMatchObject({ operation: "findUserByEmail", table: "users" });
        expect(String((error.cause as Error).message)).toMatch(/users/);
        expect(inspect(error, { depth: null, showHidden: true })).not.toMatch(/secret-address|select/);
      });

      it("a foreign-key failure inside an atomic write is STORAGE_ERROR and leaves nothing behind", async () => {
        const { storage } = await setup();
        const { user } = await signup(storage);
        const owner = (await storage.listBuiltInRoles())[0]!;
        const organization = { name: `fk-${unique()}`, details: null, status: 1, personal: false, settings: {} };
        const error = await authErrorOf(
          storage.createOrganizationWithMember({ organization, userId: 987_654_321, roleId: owner.id, now: T0 }),
        );
        expect(error.code).toBe("STORAGE_ERROR");
        const retry = await storage.createOrganizationWithMember({
          organization,
          userId: user.id,
          roleId: owner.id,
          now: T0,
        });
        expect(retry.ok, "the organization row was rolled back with the failed membership").toBe(true);
      });

      it("a destroyed storage answers STORAGE_UNAVAILABLE", async () => {
        const { storage } = await setup();
        await storage.destroy();
        const error = await authErrorOf(storage.findUserByEmail("someone@example.test"));
        expect(error.code).toBe("STORAGE_UNAVAILABLE");
        expect(error.status).toBe(503);
        expect(error.message).not.toMatch(/someone|select/i);
      });

      if (target.name === "sqlite") {
        it("SQLite runs with foreign keys on and a WAL journal", async () => {
          const { storage } = await setup();
          expect(await storage.knex.raw("PRAGMA foreign_keys")).toEqual([{ foreign_keys: 1 }]);
          expect(await storage.knex.raw("PRAGMA journal_mode")).toEqual([{ journal_mode: "wal" }]);
        });
      }

      if (target.name === "mysql") {
        it("MySQL sessions are utf8mb4 and tables compare exactly (binary, no padding); names fold by name_key only", async () => {
          const { storage } = await setup();
          const [[settings]] = (await storage.knex.raw("SELECT @@character_set_connection AS cs")) as [
            [{ cs: string }],
          ];
          expect(settings.cs).toBe("utf8mb4");
          const name = `Zoë 山田 🚀 ${unique()}`;
          const { organization } = await signup(storage, `emoji-${unique()}@example.test`, name);
          expect((await storage.findOrganizationById(organization.id))?.name).toBe(name);
          // Exact: an accent is a different name (an accent-insensitive collation would call them equal) …
          const plain = name.replace("ë", "e");
          const other = await signup(storage, `x-${unique()}@example.test`, plain);
          expect(other.organization.name).toBe(plain);
          // … while case is folded by the name_key index (0010), on every database alike.
          expect(await storage.isOrganizationNameTaken(name.toUpperCase())).toBe(true);
        });
      }
    },
  );
}

describe("knex storage on an unreachable database", () => {
  it("MySQL that refuses connections gives STORAGE_UNAVAILABLE with the driver error as cause", async () => {
    const storage = knexStorage("mysql://root:pw@127.0.0.1:1/nothing");
    try {
      const error = await authErrorOf(storage.findUserById(1));
      expect(error).toBeInstanceOf(AuthError);
      expect(error.code).toBe("STORAGE_UNAVAILABLE");
      expect((error.cause as { code?: string }).code).toBe("ECONNREFUSED");
      await expect(storage.migrate()).rejects.toMatchObject({ code: "STORAGE_UNAVAILABLE" });
    } finally {
      await storage.destroy();
    }
  });

  it("a SQLite file that cannot be opened gives STORAGE_UNAVAILABLE", async () => {
    const storage = knexStorage("sqlite:/nonexistent-dir/tenantauth/x.db");
    try {
      expect((await authErrorOf(storage.listBuiltInRoles())).code).toBe("STORAGE_UNAVAILABLE");
    } finally {
      await storage.destroy();
    }
  });
});
