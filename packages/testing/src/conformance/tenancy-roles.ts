import type { NewRole, RoleRecord, StorageAdapter } from "@tenantauth/core";
import { expect, it } from "vitest";
import { type Harness, signup, T0 } from "./fixtures.js";
import { addMember, roleIds, snapshot } from "./tenancy-fixtures.js";

/** Creates a custom role and fails the test unless it worked. */
async function customRole(
  storage: StorageAdapter,
  orgId: number,
  overrides: Partial<NewRole> = {},
): Promise<RoleRecord> {
  const result = await storage.createRole(
    { orgId, name: "Billing", description: "Reads invoices", permissions: ["stats:read"], ...overrides },
    T0,
  );
  if (!result.ok) return expect.fail(`createRole failed: ${result.conflict}`);
  return result.value;
}

/** Tests of custom roles: creation, lookups scoped to their organization, changes and deletion. */
export function registerTenancyRoleTests(h: Harness): void {
  it("createRole stores the role with its organization, description and permissions; findRole returns it as created", async () => {
    const s = h.storage();
    const a = await signup(s);
    const role = await customRole(s, a.orgId, { permissions: ["stats:read", "member:invite"] });
    expect(role).toStrictEqual({
      id: role.id,
      name: "Billing",
      description: "Reads invoices",
      orgId: a.orgId,
      permissions: ["stats:read", "member:invite"],
    });
    expect(await s.findRole(a.orgId, role.id)).toStrictEqual(role);
    expect(await s.listBuiltInRoles()).not.toContainEqual(role);
  });

  it("listOrganizationRoles lists the built-in roles, then the organization's own custom roles, by ascending id", async () => {
    const s = h.storage();
    const a = await signup(s);
    const b = await signup(s);
    const zeta = await customRole(s, a.orgId, { name: "Zeta" });
    await customRole(s, b.orgId, { name: "Other" });
    const alpha = await customRole(s, a.orgId, { name: "Alpha", description: null, permissions: [] });
    const builtIn = await s.listBuiltInRoles();
    expect(await s.listOrganizationRoles(a.orgId)).toStrictEqual([...builtIn, zeta, alpha]);
    expect((await s.listOrganizationRoles(b.orgId)).map((r) => r.name)).toEqual([
      ...builtIn.map((r) => r.name),
      "Other",
    ]);
  });

  it("findRole returns built-in roles in any organization, and null for another organization's role or an unknown id", async () => {
    const s = h.storage();
    const a = await signup(s);
    const b = await signup(s);
    const { admin } = await roleIds(s);
    const role = await customRole(s, a.orgId);
    expect((await s.findRole(b.orgId, admin))?.name).toBe("Admin");
    expect(await s.findRole(b.orgId, role.id)).toBeNull();
    expect(await s.findRole(a.orgId, role.id + 1_000_000)).toBeNull();
  });

  it("a role name is unique within its organization, free in another one, and never a built-in role's name", async () => {
    const s = h.storage();
    const a = await signup(s);
    const b = await signup(s);
    await customRole(s, a.orgId);
    const conflict = { ok: false, conflict: "role_name" };
    expect(await s.createRole({ orgId: a.orgId, name: "Billing", description: null, permissions: [] }, T0)).toEqual(
      conflict,
    );
    for (const name of ["Owner", "Admin", "Member"]) {
      expect(await s.createRole({ orgId: a.orgId, name, description: null, permissions: [] }, T0)).toEqual(conflict);
    }
    expect((await s.listOrganizationRoles(a.orgId)).map((r) => r.name)).toEqual([
      "Owner",
      "Admin",
      "Member",
      "Billing",
    ]);
    expect((await customRole(s, b.orgId)).orgId).toBe(b.orgId);
  });

  it("updateRole changes only the given fields and returns the role as stored", async () => {
    const s = h.storage();
    const a = await signup(s);
    const role = await customRole(s, a.orgId);
    const described = await s.updateRole(a.orgId, role.id, { description: null }, T0 + 1);
    expect(described).toStrictEqual({ ok: true, value: { ...role, description: null } });
    const updated = await s.updateRole(a.orgId, role.id, { name: "Finance", permissions: ["org:update"] }, T0 + 2);
    const expected = { ...role, name: "Finance", description: null, permissions: ["org:update"] };
    expect(updated).toStrictEqual({ ok: true, value: expected });
    expect(await s.findRole(a.orgId, role.id)).toStrictEqual(expected);
    expect((await s.updateRole(a.orgId, role.id, { name: "Finance" }, T0 + 3))?.ok).toBe(true);
  });

  it("updateRole to a taken name (the organization's or a built-in one) is a conflict that changes nothing", async () => {
    const s = h.storage();
    const a = await signup(s);
    const role = await customRole(s, a.orgId);
    await customRole(s, a.orgId, { name: "Support" });
    for (const name of ["Support", "Owner"]) {
      expect(await s.updateRole(a.orgId, role.id, { name, permissions: [] }, T0 + 1)).toEqual({
        ok: false,
        conflict: "role_name",
      });
    }
    expect(await s.findRole(a.orgId, role.id)).toStrictEqual(role);
  });

  it("updateRole returns null for a built-in role, another organization's role and an unknown id, and changes nothing", async () => {
    const s = h.storage();
    const a = await signup(s);
    const b = await signup(s);
    const { owner } = await roleIds(s);
    const role = await customRole(s, a.orgId);
    const before = await snapshot(s, [a.orgId, b.orgId], []);
    for (const [orgId, roleId] of [
      [a.orgId, owner],
      [b.orgId, role.id],
      [a.orgId, role.id + 1_000_000],
    ] as const) {
      expect(await s.updateRole(orgId, roleId, { name: "Boss", permissions: [] }, T0 + 1)).toBeNull();
    }
    expect(await snapshot(s, [a.orgId, b.orgId], [])).toStrictEqual(before);
  });

  it("findMembership and listMembers show a custom role a member holds", async () => {
    const s = h.storage();
    const a = await signup(s);
    const role = await customRole(s, a.orgId);
    const m = await addMember(s, a.orgId, a.userId, role.id);
    expect((await s.findMembership(a.orgId, m.userId))?.role).toStrictEqual(role);
    expect((await s.listMembers({ orgId: a.orgId, limit: 10, roleId: role.id })).map((i) => i.role)).toStrictEqual([
      role,
    ]);
  });

  it("deleteRole is in_use while members hold the role and no replacement is named, and changes nothing", async () => {
    const s = h.storage();
    const a = await signup(s);
    const role = await customRole(s, a.orgId);
    const m = await addMember(s, a.orgId, a.userId, role.id);
    const before = await snapshot(s, [a.orgId], [m.userId]);
    expect(await s.deleteRole({ orgId: a.orgId, roleId: role.id, now: T0 + 1 })).toBe("in_use");
    expect(await snapshot(s, [a.orgId], [m.userId])).toStrictEqual(before);
  });

  it("deleteRole with a replacement moves the members to it, then deletes the role", async () => {
    const s = h.storage();
    const a = await signup(s);
    const { member } = await roleIds(s);
    const role = await customRole(s, a.orgId);
    const holders = [await addMember(s, a.orgId, a.userId, role.id), await addMember(s, a.orgId, a.userId, role.id)];
    const other = await customRole(s, a.orgId, { name: "Support" });
    const kept = await addMember(s, a.orgId, a.userId, other.id);
    expect(await s.deleteRole({ orgId: a.orgId, roleId: role.id, replacementRoleId: member, now: T0 + 1 })).toBe(
      "deleted",
    );
    for (const holder of holders) {
      expect((await s.findMembership(a.orgId, holder.userId))?.member).toMatchObject({
        roleId: member,
        updatedAt: T0 + 1,
      });
    }
    expect((await s.findMembership(a.orgId, kept.userId))?.role).toStrictEqual(other);
    expect(await s.findRole(a.orgId, role.id)).toBeNull();
    expect((await s.listOrganizationRoles(a.orgId)).map((r) => r.name)).toEqual([
      "Owner",
      "Admin",
      "Member",
      "Support",
    ]);
    expect(await s.deleteRole({ orgId: a.orgId, roleId: other.id, replacementRoleId: role.id, now: T0 })).toBe(
      "not_found",
    );
  });

  it("deleteRole of a role nobody holds deletes it without a replacement, and frees its name", async () => {
    const s = h.storage();
    const a = await signup(s);
    const role = await customRole(s, a.orgId);
    expect(await s.deleteRole({ orgId: a.orgId, roleId: role.id, now: T0 + 1 })).toBe("deleted");
    expect(await s.findRole(a.orgId, role.id)).toBeNull();
    expect((await customRole(s, a.orgId)).name).toBe("Billing");
  });

  it("deleteRole of a built-in role, another organization's role or an unknown id is not_found and changes nothing", async () => {
    const s = h.storage();
    const a = await signup(s);
    const b = await signup(s);
    const { owner, member } = await roleIds(s);
    const role = await customRole(s, a.orgId);
    const before = await snapshot(s, [a.orgId, b.orgId], [a.userId, b.userId]);
    for (const [orgId, roleId] of [
      [a.orgId, owner],
      [b.orgId, role.id],
      [a.orgId, role.id + 1_000_000],
    ] as const) {
      expect(await s.deleteRole({ orgId, roleId, now: T0 + 1 })).toBe("not_found");
      expect(await s.deleteRole({ orgId, roleId, replacementRoleId: member, now: T0 + 1 })).toBe("not_found");
    }
    expect(await snapshot(s, [a.orgId, b.orgId], [a.userId, b.userId])).toStrictEqual(before);
  });

  it("deleteRole with another organization's role, or the role itself, as the replacement is not_found and changes nothing", async () => {
    const s = h.storage();
    const a = await signup(s);
    const b = await signup(s);
    const role = await customRole(s, a.orgId);
    const foreign = await customRole(s, b.orgId);
    const m = await addMember(s, a.orgId, a.userId, role.id);
    const before = await snapshot(s, [a.orgId, b.orgId], [m.userId]);
    for (const replacementRoleId of [foreign.id, role.id]) {
      expect(await s.deleteRole({ orgId: a.orgId, roleId: role.id, replacementRoleId, now: T0 + 1 })).toBe("not_found");
    }
    expect(await snapshot(s, [a.orgId, b.orgId], [m.userId])).toStrictEqual(before);
  });
}
