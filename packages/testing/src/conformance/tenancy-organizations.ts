import { ORGANIZATION_STATUS, USER_STATUS } from "@tenantauth/core";
import { expect, it } from "vitest";
import { ACTIVE_MEMBER, type Harness, newOrganization, RICH_JSON, signup, T0, unique } from "./fixtures.js";
import { roleIds, snapshot } from "./tenancy-fixtures.js";

/** Tests of membership lookups, organization changes and the user fields the tenancy port changes. */
export function registerTenancyOrganizationTests(h: Harness): void {
  it("findMembership returns the organization, the membership and its role, as stored", async () => {
    const s = h.storage();
    const a = await signup(s, { organization: { details: "d", settings: { plan: "pro" } } });
    const owner = (await s.listBuiltInRoles()).find((r) => r.name === "Owner");
    expect(await s.findMembership(a.orgId, a.userId)).toStrictEqual({
      organization: await s.findOrganizationById(a.orgId),
      member: {
        id: a.memberId,
        orgId: a.orgId,
        userId: a.userId,
        roleId: owner?.id,
        status: ACTIVE_MEMBER,
        settings: {},
        createdAt: T0,
        updatedAt: T0,
      },
      role: owner,
    });
  });

  it("findMembership is null for a member of another organization, an unknown organization and an unknown user", async () => {
    const s = h.storage();
    const a = await signup(s);
    const b = await signup(s);
    expect(await s.findMembership(a.orgId, b.userId)).toBeNull();
    expect(await s.findMembership(b.orgId, a.userId)).toBeNull();
    expect(await s.findMembership(a.orgId + 1_000_000, a.userId)).toBeNull();
    expect(await s.findMembership(a.orgId, a.userId + 1_000_000)).toBeNull();
  });

  it("findMembership is null while the organization is deleted, and back when it is active again", async () => {
    const s = h.storage();
    const a = await signup(s);
    await s.updateOrganization(a.orgId, { status: ORGANIZATION_STATUS.deleted }, T0 + 1);
    expect(await s.findMembership(a.orgId, a.userId)).toBeNull();
    expect((await s.findOrganizationById(a.orgId))?.status).toBe(ORGANIZATION_STATUS.deleted);
    expect(await s.listUserOrganizations(a.userId)).toEqual([]);
    await s.updateOrganization(a.orgId, { status: ORGANIZATION_STATUS.active }, T0 + 2);
    expect((await s.findMembership(a.orgId, a.userId))?.member.id).toBe(a.memberId);
  });

  it("updateOrganization changes only the given fields and updatedAt, and returns the organization as stored", async () => {
    const s = h.storage();
    const a = await signup(s, { organization: { details: "old", settings: { x: 1 }, personal: true } });
    const before = await s.findOrganizationById(a.orgId);
    const rich = await s.updateOrganization(a.orgId, { settings: { ...RICH_JSON } }, T0 + 1);
    expect(rich).toStrictEqual({ ok: true, value: { ...before, settings: { ...RICH_JSON }, updatedAt: T0 + 1 } });
    const cleared = await s.updateOrganization(a.orgId, { details: null }, T0 + 2);
    expect(cleared).toStrictEqual({
      ok: true,
      value: { ...before, details: null, settings: { ...RICH_JSON }, updatedAt: T0 + 2 },
    });
    const name = `renamed-${unique()}`;
    const renamed = await s.updateOrganization(a.orgId, { name, details: "new" }, T0 + 3);
    const expected = { ...before, name, details: "new", settings: { ...RICH_JSON }, updatedAt: T0 + 3 };
    expect(renamed).toStrictEqual({ ok: true, value: expected });
    expect(await s.findOrganizationById(a.orgId)).toStrictEqual(expected);
  });

  it("updateOrganization to another organization's name (even a deleted one's) is a conflict that changes nothing", async () => {
    const s = h.storage();
    const a = await signup(s);
    const b = await signup(s);
    const gone = await signup(s, { organization: { status: ORGANIZATION_STATUS.deleted } });
    const before = await snapshot(s, [a.orgId, b.orgId], [a.userId]);
    for (const name of [b.orgName, gone.orgName]) {
      expect(await s.updateOrganization(a.orgId, { name, details: "changed" }, T0 + 1)).toStrictEqual({
        ok: false,
        conflict: "organization_name",
      });
    }
    expect(await snapshot(s, [a.orgId, b.orgId], [a.userId])).toStrictEqual(before);
    const same = await s.updateOrganization(a.orgId, { name: a.orgName }, T0 + 2);
    expect(same?.ok && same.value.name).toBe(a.orgName);
  });

  it("a renamed organization's old name is free again, and its new name is taken", async () => {
    const s = h.storage();
    const a = await signup(s);
    const { owner } = await roleIds(s);
    const name = `renamed-${unique()}`;
    expect((await s.updateOrganization(a.orgId, { name }, T0 + 1))?.ok).toBe(true);
    const create = (orgName: string) =>
      s.createOrganizationWithMember({
        organization: newOrganization({ name: orgName }),
        userId: a.userId,
        roleId: owner,
        now: T0 + 2,
      });
    expect((await create(name)).ok).toBe(false);
    expect((await create(a.orgName)).ok).toBe(true);
  });

  it("updateOrganization returns null for an organization that does not exist, and creates none", async () => {
    const s = h.storage();
    const a = await signup(s);
    const missing = a.orgId + 1_000_000;
    expect(await s.updateOrganization(missing, { details: "x", name: `n-${unique()}` }, T0)).toBeNull();
    expect(await s.findOrganizationById(missing)).toBeNull();
  });

  it("markEmailVerified sets emailVerifiedAt once and keeps the first timestamp; false for an unknown user", async () => {
    const s = h.storage();
    const a = await signup(s);
    const verified = await signup(s, { user: { emailVerifiedAt: T0 - 1 } });
    expect(await s.markEmailVerified(a.userId, T0 + 5)).toBe(true);
    expect(await s.markEmailVerified(a.userId, T0 + 9)).toBe(true);
    expect((await s.findUserById(a.userId))?.emailVerifiedAt).toBe(T0 + 5);
    expect(await s.markEmailVerified(verified.userId, T0 + 5)).toBe(true);
    expect((await s.findUserById(verified.userId))?.emailVerifiedAt).toBe(T0 - 1);
    expect(await s.markEmailVerified(a.userId + 1_000_000, T0)).toBe(false);
  });

  it("updateUserStatus sets the status and updatedAt, nothing else; false for an unknown user", async () => {
    const s = h.storage();
    const a = await signup(s);
    const before = await s.findUserById(a.userId);
    expect(await s.updateUserStatus(a.userId, USER_STATUS.disabled, T0 + 1)).toBe(true);
    expect(await s.findUserById(a.userId)).toStrictEqual({
      ...before,
      status: USER_STATUS.disabled,
      updatedAt: T0 + 1,
    });
    expect(await s.updateUserStatus(a.userId, USER_STATUS.active, T0 + 2)).toBe(true);
    expect((await s.findUserById(a.userId))?.status).toBe(USER_STATUS.active);
    expect(await s.updateUserStatus(a.userId + 1_000_000, USER_STATUS.disabled, T0)).toBe(false);
  });
}
