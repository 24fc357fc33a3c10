import type { MemberRecord, RoleRecord, UserOrganization } from "@tenantauth/core";
import { MEMBER_STATUS, ORGANIZATION_STATUS } from "@tenantauth/core";
import { deepFreeze, detach, storageError } from "./copy.js";
import { memberKey, nextId, type Tables } from "./state.js";

/** What {@link insertMember} writes. */
export interface NewMembership {
  orgId: number;
  userId: number;
  roleId: number;
}

/** Throws what a foreign key would when there is no user with this id. Call it before writing anything. */
export function checkUserExists(tables: Tables, userId: number): void {
  if (!tables.users.has(userId)) throw storageError(`no user with id ${userId}`);
}

/**
 * Throws what a foreign key would unless the role exists and is built in or belongs to `orgId` (null: an
 * organization being created, which has no custom role yet). Call it before writing anything.
 */
export function checkRoleUsable(tables: Tables, roleId: number, orgId: number | null): void {
  const role = tables.roles.get(roleId);
  if (!role || (role.orgId !== null && role.orgId !== orgId)) {
    throw storageError(`no role with id ${roleId} usable in organization ${orgId ?? "(new)"}`);
  }
}

/**
 * Inserts an active membership with empty settings. References must have been checked, and the organization
 * must be new or the user not yet a member of it.
 */
export function insertMember(tables: Tables, membership: NewMembership, now: number): MemberRecord {
  const id = nextId(tables, "members");
  const member: MemberRecord = deepFreeze({
    id,
    orgId: membership.orgId,
    userId: membership.userId,
    roleId: membership.roleId,
    status: MEMBER_STATUS.active,
    settings: {},
    createdAt: now,
    updatedAt: now,
  });
  tables.members.set(id, member);
  tables.memberIdByKey.set(memberKey(member.orgId, member.userId), id);
  return member;
}

/** The built-in roles, by ascending id. */
export function listBuiltInRoles(tables: Tables): RoleRecord[] {
  return [...tables.roles.values()]
    .filter((role) => role.orgId === null)
    .sort((a, b) => a.id - b.id)
    .map(detach);
}

/** The user's memberships of organizations that are not deleted, oldest membership first. */
export function listUserOrganizations(tables: Tables, userId: number): UserOrganization[] {
  const rows: UserOrganization[] = [];
  for (const member of tables.members.values()) {
    if (member.userId !== userId) continue;
    const organization = tables.organizations.get(member.orgId);
    const role = tables.roles.get(member.roleId);
    if (!organization || !role || organization.status === ORGANIZATION_STATUS.deleted) continue;
    rows.push({ organization, member, role });
  }
  rows.sort((a, b) => a.member.createdAt - b.member.createdAt || a.member.id - b.member.id);
  return rows.map(detach);
}
