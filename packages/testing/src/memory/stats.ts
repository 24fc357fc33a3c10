import {
  INVITATION_STATUS,
  MEMBER_STATUS,
  ORGANIZATION_STATUS,
  type OrganizationStatsRecord,
  type OrgRoleCount,
  USER_STATUS,
} from "@tenantauth/core";
import type { Tables } from "./state.js";

const DAY = 86_400_000;
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Active members of active users in active organizations, per organization and role. */
export function countMembersByOrgAndRole(tables: Tables): OrgRoleCount[] {
  const counts = new Map<string, OrgRoleCount>();
  for (const m of tables.members.values()) {
    const org = tables.organizations.get(m.orgId);
    const role = tables.roles.get(m.roleId);
    const user = tables.users.get(m.userId);
    if (!org || !role || !user || m.status !== MEMBER_STATUS.active) continue;
    if (org.status !== ORGANIZATION_STATUS.active || user.status !== USER_STATUS.active) continue;
    const key = `${org.id}:${role.id}`;
    const row = counts.get(key) ?? {
      organizationId: org.id,
      organization: org.name,
      roleId: role.id,
      role: role.name,
      userCount: 0,
    };
    row.userCount += 1;
    counts.set(key, row);
  }
  return [...counts.values()].sort(
    (a, b) =>
      cmp(a.organization, b.organization) ||
      cmp(a.role, b.role) ||
      a.organizationId - b.organizationId ||
      a.roleId - b.roleId,
  );
}

/** Members of active users by role (active members) and by status, and pending unexpired invitations. */
export function organizationStats(tables: Tables, orgId: number, now: number): OrganizationStatsRecord {
  const byRole = new Map<number, { roleId: number; role: string; count: number }>();
  const byStatus = new Map<number, number>();
  for (const m of tables.members.values()) {
    const user = tables.users.get(m.userId);
    const role = tables.roles.get(m.roleId);
    if (m.orgId !== orgId || !user || !role || user.status !== USER_STATUS.active) continue;
    byStatus.set(m.status, (byStatus.get(m.status) ?? 0) + 1);
    if (m.status !== MEMBER_STATUS.active) continue;
    const row = byRole.get(role.id) ?? { roleId: role.id, role: role.name, count: 0 };
    row.count += 1;
    byRole.set(role.id, row);
  }
  let pendingInvitations = 0;
  for (const i of tables.invitations.values()) {
    if (i.orgId === orgId && i.status === INVITATION_STATUS.pending && i.expiresAt > now) pendingInvitations += 1;
  }
  return {
    byRole: [...byRole.values()].sort((a, b) => cmp(a.role, b.role) || a.roleId - b.roleId),
    byStatus: [...byStatus].sort(([a], [b]) => a - b).map(([status, count]) => ({ status, count })),
    pendingInvitations,
  };
}

/** Users per status. */
export function countUsersByStatus(tables: Tables): Array<{ status: number; count: number }> {
  const counts = new Map<number, number>();
  for (const u of tables.users.values()) counts.set(u.status, (counts.get(u.status) ?? 0) + 1);
  return [...counts].sort(([a], [b]) => a - b).map(([status, count]) => ({ status, count }));
}

/** Signups per UTC day in [from, to). */
export function countSignupsPerDay(tables: Tables, from: number, to: number): Array<{ day: number; count: number }> {
  const counts = new Map<number, number>();
  for (const u of tables.users.values()) {
    if (u.createdAt < from || u.createdAt >= to) continue;
    const day = Math.floor(u.createdAt / DAY) * DAY;
    counts.set(day, (counts.get(day) ?? 0) + 1);
  }
  return [...counts].sort(([a], [b]) => a - b).map(([day, count]) => ({ day, count }));
}
