import { ORGANIZATION_STATUS, uniqueNameKey } from "@tenantauth/core";
import type { KnexStorage } from "@tenantauth/knex";
import { afterEach, describe, expect, it } from "vitest";
import { nameKeys } from "../packages/knex/src/migrations/0010-name-keys.js";
import { tableNames } from "../packages/knex/src/tables.js";
import { sqlBackends } from "./support/backends.js";

const T0 = 1_700_000_000_000;

/**
 * Migration 0010 on a database that already holds data, as one migrated from the seed service may: names that
 * were unique as written but fold alike ("Acme Corp", "ACME CORP"). Nothing is lost or renamed, the oldest row
 * keeps the name, and no new look-alike gets in. Then `down` and `up` again.
 */
describe.each(sqlBackends)("migration 0010 (name keys) on $name", (backend) => {
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await cleanup?.();
    cleanup = undefined;
  });

  it("fills name_key for existing rows; look-alikes already there keep their rows and names; new ones are refused", async () => {
    const created = await backend.create();
    cleanup = created.cleanup;
    const storage = created.storage as KnexStorage;
    const { knex } = storage;
    const t = tableNames("");
    const ownerRoleId = (await storage.listBuiltInRoles()).find((r) => r.name === "Owner")!.id;
    const organization = (name: string) => ({
      name,
      details: null,
      status: ORGANIZATION_STATUS.active,
      personal: false,
      settings: {},
    });
    // A user with an organization and a membership, written through the adapter before the rollback.
    const signedUp = await storage.createUserWithOrganization({
      user: { email: "m@example.test", passwordHash: "x", profile: {}, status: 1, settings: {}, emailVerifiedAt: null },
      organization: organization("Initech"),
      roleId: ownerRoleId,
      now: T0,
    });
    if (!signedUp.ok) expect.fail(signedUp.conflict);
    const userId = signedUp.user.id;
    // Back to the schema before 0010, then rows as an older version (or the seed) could have written them.
    await nameKeys.down(knex, t);
    await knex("tenantauth_migrations").where({ name: "0010_name_keys" }).delete();
    const org = async (name: string): Promise<number> => {
      const row = { name, details: null, status: 1, personal: false, settings: "{}", created_at: T0, updated_at: T0 };
      const [inserted] = (await knex("organizations").insert(row, ["id"])) as Array<{ id: number } | number>;
      return typeof inserted === "object" ? Number(inserted.id) : Number(inserted);
    };
    const role = (name: string, orgId: number) =>
      knex("roles").insert({
        name,
        description: null,
        org_id: orgId,
        permissions: "[]",
        created_at: T0,
        updated_at: T0,
      });
    const acme = await org("Acme Corp");
    const upper = await org("ACME CORP");
    const wide = await org("Ａｃｍｅ Ｃｏｒｐ");
    const other = await org("Globex");
    await role("Editor", acme);
    await role("editor", acme);
    await role("EDITOR", other);
    const before = {
      organizations: await knex("organizations").orderBy("id").select("id", "name"),
      roles: await knex("roles").orderBy("id").select("id", "name", "org_id"),
    };

    await storage.migrate();

    // No row lost, none renamed.
    expect(await knex("organizations").orderBy("id").select("id", "name")).toEqual(before.organizations);
    expect(await knex("roles").orderBy("id").select("id", "name", "org_id")).toEqual(before.roles);
    const keyOf = async (table: string, id: number): Promise<string> =>
      String((await knex(table).where({ id }).first("name_key")).name_key).trim();
    // The oldest keeps its name's key; later look-alikes get keys of their own; every row has one.
    expect(await keyOf("organizations", acme)).toBe(uniqueNameKey("Acme Corp"));
    expect(await keyOf("organizations", other)).toBe(uniqueNameKey("Globex"));
    const keys = [await keyOf("organizations", upper), await keyOf("organizations", wide)];
    expect(keys).not.toContain(uniqueNameKey("Acme Corp"));
    expect(new Set(keys).size).toBe(2);
    expect(Number((await knex("organizations").whereNull("name_key").count({ n: "*" }))[0]?.n)).toBe(0);
    expect(Number((await knex("roles").whereNull("name_key").count({ n: "*" }))[0]?.n)).toBe(0);
    const editors = (await knex("roles").where({ org_id: acme }).orderBy("id").pluck("name_key")) as string[];
    expect(editors.map((k) => k.trim())[0]).toBe(uniqueNameKey("Editor"));
    expect(editors.map((k) => k.trim())[1]).not.toBe(uniqueNameKey("Editor"));
    expect((await knex("roles").where({ org_id: other }).first("name_key")).name_key.trim()).toBe(
      uniqueNameKey("EDITOR"),
    );

    // From now on the look-alikes are one name.
    expect(await storage.isOrganizationNameTaken("acme  corp")).toBe(true);
    expect(
      await storage.createOrganizationWithMember({
        organization: organization("acme corp"),
        userId,
        roleId: ownerRoleId,
        now: T0,
      }),
    ).toStrictEqual({ ok: false, conflict: "organization_name" });
    expect(
      await storage.createRole({ orgId: acme, name: "EDITOR", description: null, permissions: [] }, T0),
    ).toStrictEqual({ ok: false, conflict: "role_name" });
    // A later look-alike can be renamed to a name of its own (and keeps its rows), not to the oldest one's.
    expect((await storage.updateOrganization(upper, { name: "Acme Corp" }, T0 + 1))?.ok).toBe(false);
    expect((await storage.updateOrganization(upper, { name: "Acme Corp (EU)" }, T0 + 1))?.ok).toBe(true);
    expect(await keyOf("organizations", upper)).toBe(uniqueNameKey("Acme Corp (EU)"));

    // down keeps every row (on SQLite too, where a table rebuild would cascade), and up runs again.
    const members = Number((await knex("members").count({ n: "*" }))[0]?.n);
    expect(members).toBeGreaterThan(0);
    const roles = Number((await knex("roles").count({ n: "*" }))[0]?.n);
    await nameKeys.down(knex, t);
    expect(await knex.schema.hasColumn("organizations", "name_key")).toBe(false);
    expect(Number((await knex("members").count({ n: "*" }))[0]?.n)).toBe(members);
    expect(Number((await knex("roles").count({ n: "*" }))[0]?.n)).toBe(roles);
    await nameKeys.up(knex, t);
    expect(await keyOf("organizations", acme)).toBe(uniqueNameKey("Acme Corp"));
  });
});
