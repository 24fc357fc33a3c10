import {
  type ChangeMemberRoleInput,
  type ConflictResult,
  type ListMembersInput,
  MEMBER_STATUS,
  type MemberChangeResult,
  type MemberListItem,
  type Membership,
  ORGANIZATION_STATUS,
  type OrganizationPatch,
  type OrganizationRecord,
  type RemoveMemberInput,
  uniqueNameKey,
} from "@tenantauth/core";
import { deepFreeze, detach, jsonColumn } from "./copy.js";
import { memberKey, type Tables } from "./state.js";

/** Sets `emailVerifiedAt` once; false when there is no such user. */
export function markEmailVerified(tables: Tables, userId: number, now: number): boolean {
  const user = tables.users.get(userId);
  if (!user) return false;
  if (user.emailVerifiedAt === null)
    tables.users.set(userId, deepFreeze({ ...user, emailVerifiedAt: now, updatedAt: now }));
  return true;
}

/** Sets a user's status; false when there is no such user. */
export function updateUserStatus(tables: Tables, userId: number, status: number, now: number): boolean {
  const user = tables.users.get(userId);
  if (!user) return false;
  tables.users.set(userId, deepFreeze({ ...user, status, updatedAt: now }));
  return true;
}

/** The user's membership of the active organization, with its role; null otherwise. */
export function findMembership(tables: Tables, orgId: number, userId: number): Membership | null {
  const organization = tables.organizations.get(orgId);
  const memberId = tables.memberIdByKey.get(memberKey(orgId, userId));
  const member = memberId === undefined ? undefined : tables.members.get(memberId);
  const role = member ? tables.roles.get(member.roleId) : undefined;
  if (!organization || organization.status !== ORGANIZATION_STATUS.active || !member || !role) return null;
  return detach({ organization, member, role });
}

/** Patches an organization; a taken name is a conflict; null when there is no such organization. */
export function updateOrganization(
  tables: Tables,
  orgId: number,
  patch: OrganizationPatch,
  now: number,
): ConflictResult<OrganizationRecord, "organization_name"> | null {
  const current = tables.organizations.get(orgId);
  if (!current) return null;
  const key = patch.name === undefined ? undefined : uniqueNameKey(patch.name);
  const holder = key === undefined ? undefined : tables.organizationIdByNameKey.get(key);
  if (holder !== undefined && holder !== orgId) return { ok: false, conflict: "organization_name" };
  const next: OrganizationRecord = deepFreeze({
    ...current,
    ...(patch.name === undefined ? {} : { name: patch.name }),
    ...(patch.details === undefined ? {} : { details: patch.details }),
    ...(patch.settings === undefined ? {} : { settings: jsonColumn(patch.settings) }),
    ...(patch.status === undefined ? {} : { status: patch.status }),
    updatedAt: now,
  });
  if (key !== undefined) {
    tables.organizationIdByNameKey.delete(uniqueNameKey(current.name));
    tables.organizationIdByNameKey.set(key, orgId);
  }
  tables.organizations.set(orgId, next);
  return { ok: true, value: detach(next) };
}

/** A page of members by ascending id. */
export function listMembers(tables: Tables, input: ListMembersInput): MemberListItem[] {
  const items: MemberListItem[] = [];
  const ids = [...tables.members.keys()].sort((a, b) => a - b);
  for (const id of ids) {
    const member = tables.members.get(id);
    if (!member || member.orgId !== input.orgId || (input.afterId !== undefined && id <= input.afterId)) continue;
    if (input.roleId !== undefined && member.roleId !== input.roleId) continue;
    if (input.status !== undefined && member.status !== input.status) continue;
    const role = tables.roles.get(member.roleId);
    const user = tables.users.get(member.userId);
    if (!role || !user) continue;
    const { id: userId, email, profile, status, emailVerifiedAt } = user;
    items.push({ member, role, user: { id: userId, email, profile, status, emailVerifiedAt } });
    if (items.length >= input.limit) break;
  }
  return detach(items);
}

/** Active members of the organization holding the owner role. */
function activeOwners(tables: Tables, orgId: number, ownerRoleId: number): number {
  let count = 0;
  for (const m of tables.members.values()) {
    if (m.orgId === orgId && m.roleId === ownerRoleId && m.status === MEMBER_STATUS.active) count += 1;
  }
  return count;
}

/** Whether taking this member away from the owner role would leave no active owner. */
function wouldOrphan(tables: Tables, orgId: number, memberId: number, ownerRoleId: number): boolean {
  const member = tables.members.get(memberId);
  return (
    member !== undefined &&
    member.roleId === ownerRoleId &&
    member.status === MEMBER_STATUS.active &&
    activeOwners(tables, orgId, ownerRoleId) <= 1
  );
}

/** Gives a member another role, keeping at least one active owner. */
export function changeMemberRole(tables: Tables, input: ChangeMemberRoleInput): MemberChangeResult {
  const memberId = tables.memberIdByKey.get(memberKey(input.orgId, input.userId));
  const member = memberId === undefined ? undefined : tables.members.get(memberId);
  const role = tables.roles.get(input.roleId);
  if (!member || memberId === undefined || !role || (role.orgId !== null && role.orgId !== input.orgId))
    return "not_found";
  if (input.roleId !== input.ownerRoleId && wouldOrphan(tables, input.orgId, memberId, input.ownerRoleId)) {
    return "last_owner";
  }
  tables.members.set(memberId, deepFreeze({ ...member, roleId: input.roleId, updatedAt: input.now }));
  return "ok";
}

/** Deletes a membership, keeping at least one active owner. */
export function removeMember(tables: Tables, input: RemoveMemberInput): MemberChangeResult {
  const key = memberKey(input.orgId, input.userId);
  const memberId = tables.memberIdByKey.get(key);
  if (memberId === undefined || !tables.members.has(memberId)) return "not_found";
  if (wouldOrphan(tables, input.orgId, memberId, input.ownerRoleId)) return "last_owner";
  tables.members.delete(memberId);
  tables.memberIdByKey.delete(key);
  return "ok";
}
