import { ORGANIZATION_STATUS, USER_STATUS } from "@tenantauth/core";
import { expect, it } from "vitest";
import { DAY, type Harness, signup, startSession, T0, tokenHash, unique } from "./fixtures.js";
import { addMember, invite, roleIds } from "./tenancy-fixtures.js";

/** Tests of platform administration, limit counts and the session's active organization. */
export function registerAdminTests(h: Harness): void {
  it("listUsers filters by email substring (with % and _ matched literally) and status; total honours the filter", async () => {
    const s = h.storage();
    const tag = unique();
    const a = await signup(s, { user: { email: `a_${tag}@x.test` } });
    const b = await signup(s, { user: { email: `ab${tag}@x.test` } });
    const c = await signup(s, { user: { email: `c%${tag}@x.test` }, now: T0 + 1 });
    await s.updateUserStatus(b.userId, USER_STATUS.disabled, T0 + 2);
    const all = await s.listUsers({ query: tag, limit: 10 });
    expect(all.users.map((u) => u.id)).toEqual([a.userId, b.userId, c.userId]);
    expect(all.total).toBe(3);
    expect((await s.listUsers({ query: `a_${tag}`, limit: 10 })).users.map((u) => u.id)).toEqual([a.userId]);
    expect((await s.listUsers({ query: `%${tag}`, limit: 10 })).users.map((u) => u.id)).toEqual([c.userId]);
    expect(await s.listUsers({ query: `!${tag}`, limit: 10 })).toEqual({ users: [], total: 0 });
    const disabled = await s.listUsers({ query: tag, status: USER_STATUS.disabled, limit: 10 });
    expect(disabled.users.map((u) => u.id)).toEqual([b.userId]);
    expect(disabled.total).toBe(1);
    const page = await s.listUsers({ query: tag, afterId: a.userId, limit: 1 });
    expect(page.users.map((u) => u.id)).toEqual([b.userId]);
    expect(page.total).toBe(3);
    expect(page.users[0]).toStrictEqual(await s.findUserById(b.userId));
  });

  it("listOrganizationsWithMemberCounts counts members, filters by name case-insensitively and skips deleted ones", async () => {
    const s = h.storage();
    const tag = unique();
    const { member } = await roleIds(s);
    const one = await signup(s, { organization: { name: `Alpha_${tag}` } });
    const two = await signup(s, { organization: { name: `beta-${tag}` } });
    const gone = await signup(s, { organization: { name: `gamma-${tag}` } });
    await addMember(s, one.orgId, one.userId, member);
    await addMember(s, one.orgId, one.userId, member);
    await s.updateOrganization(gone.orgId, { status: ORGANIZATION_STATUS.deleted }, T0 + 1);
    const rows = await s.listOrganizationsWithMemberCounts({ query: tag.toUpperCase(), limit: 10 });
    expect(rows.map((r) => [r.organization.id, r.memberCount])).toEqual([
      [one.orgId, 3],
      [two.orgId, 1],
    ]);
    expect(rows[0]?.organization).toStrictEqual(await s.findOrganizationById(one.orgId));
    const literal = await s.listOrganizationsWithMemberCounts({ query: `a_${tag}`, limit: 10 });
    expect(literal.map((r) => r.organization.id)).toEqual([one.orgId]);
    expect(await s.listOrganizationsWithMemberCounts({ query: `a%${tag}`, limit: 10 })).toEqual([]);
    const page = await s.listOrganizationsWithMemberCounts({ query: tag, afterId: one.orgId, limit: 1 });
    expect(page.map((r) => r.organization.id)).toEqual([two.orgId]);
  });

  it("countOwnedOrganizations, countMembers and countPendingInvitations count what they say", async () => {
    const s = h.storage();
    const { owner, member } = await roleIds(s);
    const a = await signup(s);
    const other = await signup(s);
    expect(await s.countOwnedOrganizations(a.userId, owner)).toBe(1);
    const second = await s.createOrganizationWithMember({
      organization: { name: `org-${unique()}`, details: null, status: 1, personal: false, settings: {} },
      userId: a.userId,
      roleId: owner,
      now: T0,
    });
    if (!second.ok) return expect.fail("createOrganizationWithMember");
    expect(await s.countOwnedOrganizations(a.userId, owner)).toBe(2);
    await s.updateOrganization(second.organization.id, { status: ORGANIZATION_STATUS.deleted }, T0);
    expect(await s.countOwnedOrganizations(a.userId, owner)).toBe(1);
    expect(await s.countOwnedOrganizations(a.userId, member)).toBe(0);
    await addMember(s, a.orgId, a.userId, member);
    expect(await s.countMembers(a.orgId)).toBe(2);
    expect(await s.countMembers(other.orgId)).toBe(1);
    await invite(s, { orgId: a.orgId, invitedBy: a.userId, roleId: member });
    await invite(s, { orgId: a.orgId, invitedBy: a.userId, roleId: member, expiresAt: T0 + 10 });
    const revoked = await invite(s, { orgId: a.orgId, invitedBy: a.userId, roleId: member });
    await s.revokeInvitation(a.orgId, revoked.invitation.id, T0);
    expect(await s.countPendingInvitations(a.orgId, T0 + 5)).toBe(2);
    expect(await s.countPendingInvitations(a.orgId, T0 + 10)).toBe(1);
    expect(await s.countPendingInvitations(other.orgId, T0)).toBe(0);
  });

  it("setSessionActiveOrganization stores the active organization; rotation keeps it; false for an unknown session", async () => {
    const s = h.storage();
    const a = await signup(s);
    const { session, token } = await startSession(s, a.userId);
    expect(session.activeOrgId).toBeNull();
    expect(await s.setSessionActiveOrganization(session.id, a.orgId)).toBe(true);
    expect(await s.setSessionActiveOrganization(session.id, a.orgId)).toBe(true);
    expect((await s.findSessionById(session.id))?.activeOrgId).toBe(a.orgId);
    const rotated = await s.rotateRefreshToken({
      tokenHash: token,
      newTokenHash: tokenHash(),
      now: T0 + 1,
      idleExpiresAt: T0 + DAY,
    });
    expect(rotated.status === "rotated" && rotated.session.activeOrgId).toBe(a.orgId);
    expect(await s.setSessionActiveOrganization(session.id, null)).toBe(true);
    expect((await s.findSessionById(session.id))?.activeOrgId).toBeNull();
    expect(await s.setSessionActiveOrganization(`missing-${unique()}`, a.orgId)).toBe(false);
  });
}
