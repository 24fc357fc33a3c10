import { randomInt } from "node:crypto";
import { INVITATION_STATUS, ORGANIZATION_STATUS, type StorageAdapter, USER_STATUS } from "@tenantauth/core";
import { expect, it } from "vitest";
import { DAY, type Harness, HOUR, signup, T0, unique } from "./fixtures.js";
import { addMember, invite, join, roleIds } from "./tenancy-fixtures.js";

/** A custom role named in lower case, so that code-point order puts it after every built-in role. */
async function auditorRole(storage: StorageAdapter, orgId: number): Promise<number> {
  const role = await storage.createRole({ orgId, name: "auditor", description: null, permissions: [] }, T0);
  if (!role.ok) return expect.fail("createRole failed");
  return role.value.id;
}

/** Users per status as a map, to compare counts before and after. */
async function usersByStatus(storage: StorageAdapter): Promise<Map<number, number>> {
  return new Map((await storage.countUsersByStatus()).map((r) => [r.status, r.count]));
}

/** Tests of the statistics: exact counts under every filter, and their order. */
export function registerStatsTests(h: Harness): void {
  it("countMembersByOrgAndRole counts active members of active users in active organizations, by organization then role name in code-point order", async () => {
    const s = h.storage();
    const { owner, member } = await roleIds(s);
    const tag = unique();
    const a = await signup(s, { organization: { name: `a-${tag}` } });
    const upper = await signup(s, { organization: { name: `B-${tag}` } });
    // "B-…" sorts before "a-…" in code-point order (not in a case-insensitive one); "B-" and "b-" would be one
    // name (names fold case), so the lower-case one is "bb-".
    const b = await signup(s, { organization: { name: `bb-${tag}` } });
    const gone = await signup(s, { organization: { name: `c-${tag}` } });
    const dormant = await signup(s, { organization: { name: `d-${tag}` } });
    const auditor = await auditorRole(s, a.orgId);
    await addMember(s, a.orgId, a.userId, member);
    await addMember(s, a.orgId, a.userId, member);
    await addMember(s, a.orgId, a.userId, auditor);
    await join(s, a.orgId, a.userId, member, b);
    const disabled = await addMember(s, a.orgId, a.userId, member);
    const removed = await addMember(s, a.orgId, a.userId, member);
    await addMember(s, b.orgId, b.userId, member);
    await addMember(s, gone.orgId, gone.userId, member);
    await s.updateUserStatus(disabled.userId, USER_STATUS.disabled, T0);
    await s.updateUserStatus(dormant.userId, USER_STATUS.disabled, T0);
    expect(await s.removeMember({ orgId: a.orgId, userId: removed.userId, ownerRoleId: owner })).toBe("ok");
    await s.updateOrganization(gone.orgId, { status: ORGANIZATION_STATUS.deleted }, T0);
    const rows = (await s.countMembersByOrgAndRole()).filter((r) => r.organization.endsWith(tag));
    expect(rows.map((r) => [r.organization, r.role, r.userCount])).toEqual([
      [`B-${tag}`, "Owner", 1],
      [`a-${tag}`, "Member", 3],
      [`a-${tag}`, "Owner", 1],
      [`a-${tag}`, "auditor", 1],
      [`bb-${tag}`, "Member", 1],
      [`bb-${tag}`, "Owner", 1],
    ]);
    expect(rows[0]).toStrictEqual({
      organizationId: upper.orgId,
      organization: `B-${tag}`,
      roleId: owner,
      role: "Owner",
      userCount: 1,
    });
    expect(rows[3]).toMatchObject({ organizationId: a.orgId, roleId: auditor });
  });

  it("organizationStats counts active members of active users by role (code-point order) and members of active users by status", async () => {
    const s = h.storage();
    const { owner, admin, member } = await roleIds(s);
    const a = await signup(s);
    const other = await signup(s);
    const auditor = await auditorRole(s, a.orgId);
    for (const roleId of [member, member, auditor, admin]) await addMember(s, a.orgId, a.userId, roleId);
    const disabled = await addMember(s, a.orgId, a.userId, member);
    const removed = await addMember(s, a.orgId, a.userId, admin);
    await addMember(s, other.orgId, other.userId, member);
    await s.updateUserStatus(disabled.userId, USER_STATUS.disabled, T0);
    await s.removeMember({ orgId: a.orgId, userId: removed.userId, ownerRoleId: owner });
    const stats = await s.organizationStats(a.orgId, T0);
    expect(stats.byRole).toStrictEqual([
      { roleId: admin, role: "Admin", count: 1 },
      { roleId: member, role: "Member", count: 2 },
      { roleId: owner, role: "Owner", count: 1 },
      { roleId: auditor, role: "auditor", count: 1 },
    ]);
    expect(stats.byStatus).toStrictEqual([{ status: 1, count: 5 }]);
    expect((await s.organizationStats(other.orgId, T0)).byStatus).toStrictEqual([{ status: 1, count: 2 }]);
  });

  it("organizationStats counts pending invitations that expire after now; accepted, revoked and expired ones are not counted", async () => {
    const s = h.storage();
    const { member } = await roleIds(s);
    const a = await signup(s);
    const other = await signup(s);
    const base = { orgId: a.orgId, invitedBy: a.userId, roleId: member };
    await invite(s, { ...base, expiresAt: T0 + HOUR });
    await invite(s, { ...base, expiresAt: T0 + DAY });
    await invite(s, { ...base, expiresAt: T0 + 2 * DAY });
    const gone = await invite(s, { ...base, expiresAt: T0 + DAY });
    await s.revokeInvitation(a.orgId, gone.invitation.id, T0);
    await addMember(s, a.orgId, a.userId, member);
    await invite(s, { orgId: other.orgId, invitedBy: other.userId, roleId: member, expiresAt: T0 + DAY });
    expect((await s.listInvitations(a.orgId, INVITATION_STATUS.accepted)).length).toBe(1);
    const pending = async (now: number) => (await s.organizationStats(a.orgId, now)).pendingInvitations;
    expect(await pending(T0)).toBe(3);
    expect(await pending(T0 + HOUR - 1)).toBe(3);
    expect(await pending(T0 + HOUR)).toBe(2);
    expect(await pending(T0 + DAY)).toBe(1);
    expect(await pending(T0 + 2 * DAY)).toBe(0);
  });

  it("countUsersByStatus counts every user per status, ordered by status", async () => {
    const s = h.storage();
    const before = await usersByStatus(s);
    const users = [];
    for (let i = 0; i < 4; i++) users.push(await signup(s));
    await signup(s, { user: { status: USER_STATUS.disabled } });
    await s.updateUserStatus(users[0]!.userId, USER_STATUS.disabled, T0);
    await s.updateUserStatus(users[1]!.userId, USER_STATUS.disabled, T0);
    await s.updateUserStatus(users[1]!.userId, USER_STATUS.active, T0);
    const rows = await s.countUsersByStatus();
    expect(rows.map((r) => r.status)).toEqual([...rows.map((r) => r.status)].sort((x, y) => x - y));
    const after = new Map(rows.map((r) => [r.status, r.count]));
    expect((after.get(USER_STATUS.active) ?? 0) - (before.get(USER_STATUS.active) ?? 0)).toBe(3);
    expect((after.get(USER_STATUS.disabled) ?? 0) - (before.get(USER_STATUS.disabled) ?? 0)).toBe(2);
    expect(rows.every((r) => r.count > 0)).toBe(true);
  });

  it("countSignupsPerDay counts users by UTC day with from inclusive and to exclusive, whatever their status", async () => {
    const s = h.storage();
    const day0 = Date.UTC(2040, 0, 1) + randomInt(0, 20_000) * DAY;
    const instants = [day0 - 1, day0, day0 + HOUR, day0 + DAY - 1, day0 + DAY, day0 + 3 * DAY - 1, day0 + 3 * DAY];
    const users = [];
    for (const now of instants) users.push(await signup(s, { now }));
    await s.updateUserStatus(users[1]!.userId, USER_STATUS.disabled, day0);
    expect(await s.countSignupsPerDay(day0, day0 + 3 * DAY)).toStrictEqual([
      { day: day0, count: 3 },
      { day: day0 + DAY, count: 1 },
      { day: day0 + 2 * DAY, count: 1 },
    ]);
    expect(await s.countSignupsPerDay(day0 + HOUR, day0 + DAY)).toStrictEqual([{ day: day0, count: 2 }]);
    expect(await s.countSignupsPerDay(day0 - DAY, day0 + 1)).toStrictEqual([
      { day: day0 - DAY, count: 1 },
      { day: day0, count: 1 },
    ]);
    expect(await s.countSignupsPerDay(day0 + DAY + 1, day0 + 2 * DAY)).toStrictEqual([]);
  });
}
