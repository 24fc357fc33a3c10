import {
  INVITATION_STATUS,
  type ListOrganizationsInput,
  type ListUsersInput,
  ORGANIZATION_STATUS,
  type OrganizationWithMemberCount,
  type UserPage,
} from "@tenantauth/core";
import { deepFreeze, detach } from "./copy.js";
import type { Tables } from "./state.js";

/** A filtered page of users and the filtered total. */
export function listUsers(tables: Tables, input: ListUsersInput): UserPage {
  const matching = [...tables.users.values()]
    .filter((u) => input.query === undefined || u.email.includes(input.query))
    .filter((u) => input.status === undefined || u.status === input.status)
    .sort((a, b) => a.id - b.id);
  const users = matching.filter((u) => u.id > (input.afterId ?? 0)).slice(0, input.limit);
  return { users: users.map(detach), total: matching.length };
}

/** A page of organizations that are not deleted, each with its member count. */
export function listOrganizationsWithMemberCounts(
  tables: Tables,
  input: ListOrganizationsInput,
): OrganizationWithMemberCount[] {
  const query = input.query?.toLowerCase();
  const page = [...tables.organizations.values()]
    .filter((o) => o.status !== ORGANIZATION_STATUS.deleted && o.id > (input.afterId ?? 0))
    .filter((o) => query === undefined || o.name.toLowerCase().includes(query))
    .sort((a, b) => a.id - b.id)
    .slice(0, input.limit);
  const counts = new Map<number, number>();
  for (const m of tables.members.values()) counts.set(m.orgId, (counts.get(m.orgId) ?? 0) + 1);
  return page.map((organization) => ({
    organization: detach(organization),
    memberCount: counts.get(organization.id) ?? 0,
  }));
}

/** Organizations (not deleted) where the user holds `ownerRoleId`. */
export function countOwnedOrganizations(tables: Tables, userId: number, ownerRoleId: number): number {
  let count = 0;
  for (const m of tables.members.values()) {
    const org = tables.organizations.get(m.orgId);
    if (m.userId === userId && m.roleId === ownerRoleId && org && org.status !== ORGANIZATION_STATUS.deleted) {
      count += 1;
    }
  }
  return count;
}

/** Members (any status) of the organization. */
export function countMembers(tables: Tables, orgId: number): number {
  let count = 0;
  for (const m of tables.members.values()) if (m.orgId === orgId) count += 1;
  return count;
}

/** Pending invitations of the organization unexpired at `now`. */
export function countPendingInvitations(tables: Tables, orgId: number, now: number): number {
  let count = 0;
  for (const i of tables.invitations.values()) {
    if (i.orgId === orgId && i.status === INVITATION_STATUS.pending && i.expiresAt > now) count += 1;
  }
  return count;
}

/** Sets the session's active organization; false when there is no such session. */
export function setSessionActiveOrganization(tables: Tables, sessionId: string, orgId: number | null): boolean {
  const session = tables.sessions.get(sessionId);
  if (!session) return false;
  tables.sessions.set(sessionId, deepFreeze({ ...session, activeOrgId: orgId }));
  return true;
}
