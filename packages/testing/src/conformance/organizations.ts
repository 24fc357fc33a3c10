import { BUILT_IN_ROLES, ORGANIZATION_STATUS } from "@tenantauth/core";
import { expect, it } from "vitest";
import {
  ACTIVE_MEMBER,
  builtInRoleId,
  FAR_FUTURE,
  type Harness,
  newOrganization,
  RICH_JSON,
  signup,
  T0,
} from "./fixtures.js";

/** Tests of built-in roles, organizations and the memberships listed per user. */
export function registerOrganizationTests(h: Harness): void {
  it("listBuiltInRoles includes Owner, Admin and Member with orgId null and their descriptions and permissions", async () => {
    const roles = await h.storage().listBuiltInRoles();
    for (const definition of BUILT_IN_ROLES) {
      const role = roles.find((r) => r.name === definition.name);
      expect(role, definition.name).toBeDefined();
      expect(role?.orgId).toBeNull();
      expect(role?.description).toBe(definition.description);
      expect([...(role?.permissions ?? [])].sort()).toEqual([...definition.permissions].sort());
    }
  });

  it("listBuiltInRoles returns only built-in roles, with distinct positive integer ids, the same on every call", async () => {
    const storage = h.storage();
    const first = await storage.listBuiltInRoles();
    await signup(storage);
    const second = await storage.listBuiltInRoles();
    expect(second).toStrictEqual(first);
    expect(new Set(first.map((r) => r.id)).size).toBe(first.length);
    for (const role of first) {
      expect(role.orgId).toBeNull();
      expect(Number.isSafeInteger(role.id) && role.id > 0).toBe(true);
    }
  });

  it("createOrganizationWithMember writes the organization and the membership with every field", async () => {
    const storage = h.storage();
    const { userId } = await signup(storage);
    const adminId = await builtInRoleId(storage, "Admin");
    const organization = newOrganization({
      details: `Détails 詳細 📦 ${"long text ".repeat(300)}`,
      personal: true,
      settings: { ...RICH_JSON },
    });
    const result = await storage.createOrganizationWithMember({
      organization,
      userId,
      roleId: adminId,
      now: FAR_FUTURE,
    });
    if (!result.ok) return expect.fail(`unexpected conflict ${result.conflict}`);
    const expected = { id: result.organization.id, ...organization, createdAt: FAR_FUTURE, updatedAt: FAR_FUTURE };
    expect(result.organization).toStrictEqual(expected);
    expect(result.member).toStrictEqual({
      id: result.member.id,
      orgId: result.organization.id,
      userId,
      roleId: adminId,
      status: ACTIVE_MEMBER,
      settings: {},
      createdAt: FAR_FUTURE,
      updatedAt: FAR_FUTURE,
    });
    expect(await storage.findOrganizationById(result.organization.id)).toStrictEqual(expected);
  });

  it("findOrganizationById returns details null, personal false and the status as written", async () => {
    const storage = h.storage();
    const { orgId, orgName } = await signup(storage, { organization: { details: null, personal: false } });
    expect(await storage.findOrganizationById(orgId)).toStrictEqual({
      id: orgId,
      name: orgName,
      details: null,
      status: ORGANIZATION_STATUS.active,
      personal: false,
      settings: {},
      createdAt: T0,
      updatedAt: T0,
    });
  });

  it("findOrganizationById returns deleted organizations too, and null for one that does not exist", async () => {
    const storage = h.storage();
    const { orgId } = await signup(storage, { organization: { status: ORGANIZATION_STATUS.deleted } });
    expect((await storage.findOrganizationById(orgId))?.status).toBe(ORGANIZATION_STATUS.deleted);
    expect(await storage.findOrganizationById(orgId + 1_000_000)).toBeNull();
  });

  it("isOrganizationNameTaken is true exactly for names the unique index would refuse", async () => {
    const storage = h.storage();
    const { orgName } = await signup(storage);
    expect(await storage.isOrganizationNameTaken(orgName)).toBe(true);
    expect(await storage.isOrganizationNameTaken(`${orgName}-free`)).toBe(false);
    expect(await storage.isOrganizationNameTaken("' OR 1=1 --")).toBe(false);
  });

  it("createOrganizationWithMember with a taken name returns conflict organization_name and writes nothing", async () => {
    const storage = h.storage();
    const owner = await signup(storage);
    const other = await signup(storage);
    const result = await storage.createOrganizationWithMember({
      organization: newOrganization({ name: owner.orgName }),
      userId: other.userId,
      roleId: await builtInRoleId(storage, "Owner"),
      now: T0 + 1,
    });
    expect(result).toStrictEqual({ ok: false, conflict: "organization_name" });
    expect((await storage.listUserOrganizations(other.userId)).map((o) => o.organization.id)).toEqual([other.orgId]);
  });

  it("organization names stay unique when the organization holding one is deleted", async () => {
    const storage = h.storage();
    const deleted = await signup(storage, { organization: { status: ORGANIZATION_STATUS.deleted } });
    const result = await storage.createOrganizationWithMember({
      organization: newOrganization({ name: deleted.orgName }),
      userId: deleted.userId,
      roleId: await builtInRoleId(storage, "Owner"),
      now: T0 + 1,
    });
    expect(result).toStrictEqual({ ok: false, conflict: "organization_name" });
  });

  it("listUserOrganizations lists the user's memberships oldest first, each with its organization, membership and role", async () => {
    const storage = h.storage();
    const roles = await storage.listBuiltInRoles();
    const ownerRole = roles.find((r) => r.name === "Owner");
    const memberRole = roles.find((r) => r.name === "Member");
    const first = await signup(storage, { now: T0 });
    const second = await storage.createOrganizationWithMember({
      organization: newOrganization({ details: "second" }),
      userId: first.userId,
      roleId: memberRole!.id,
      now: T0 + 1000,
    });
    if (!second.ok) return expect.fail("unexpected conflict");
    const list = await storage.listUserOrganizations(first.userId);
    expect(list).toStrictEqual([
      {
        organization: await storage.findOrganizationById(first.orgId),
        member: {
          id: first.memberId,
          orgId: first.orgId,
          userId: first.userId,
          roleId: ownerRole!.id,
          status: ACTIVE_MEMBER,
          settings: {},
          createdAt: T0,
          updatedAt: T0,
        },
        role: ownerRole,
      },
      { organization: second.organization, member: second.member, role: memberRole },
    ]);
  });

  it("listUserOrganizations leaves out organizations whose status is deleted", async () => {
    const storage = h.storage();
    const { userId, orgId } = await signup(storage);
    const deleted = await storage.createOrganizationWithMember({
      organization: newOrganization({ status: ORGANIZATION_STATUS.deleted }),
      userId,
      roleId: await builtInRoleId(storage, "Owner"),
      now: T0 + 1,
    });
    expect(deleted.ok).toBe(true);
    expect((await storage.listUserOrganizations(userId)).map((o) => o.organization.id)).toEqual([orgId]);
  });

  it("listUserOrganizations lists only the user's own memberships, and none for an unknown user", async () => {
    const storage = h.storage();
    const a = await signup(storage);
    const b = await signup(storage);
    expect((await storage.listUserOrganizations(a.userId)).map((o) => o.member.userId)).toEqual([a.userId]);
    expect((await storage.listUserOrganizations(b.userId)).map((o) => o.organization.id)).toEqual([b.orgId]);
    expect(await storage.listUserOrganizations(b.userId + 1_000_000)).toEqual([]);
  });
}
