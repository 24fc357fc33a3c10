import {
  type ConflictResult,
  type DeleteRoleInput,
  type NewRole,
  type RolePatch,
  type RoleRecord,
  uniqueNameKey,
} from "@tenantauth/core";
import { deepFreeze, detach, jsonColumn } from "./copy.js";
import { nextId, type Tables } from "./state.js";

const byId = (a: RoleRecord, b: RoleRecord): number => a.id - b.id;

/** Built-in roles then the organization's custom roles, by ascending id. */
export function listOrganizationRoles(tables: Tables, orgId: number): RoleRecord[] {
  const roles = [...tables.roles.values()];
  return [
    ...roles.filter((r) => r.orgId === null).sort(byId),
    ...roles.filter((r) => r.orgId === orgId).sort(byId),
  ].map(detach);
}

/** A built-in role or a role of `orgId`; null otherwise. */
export function findRole(tables: Tables, orgId: number, roleId: number): RoleRecord | null {
  const role = tables.roles.get(roleId);
  return role && (role.orgId === null || role.orgId === orgId) ? detach(role) : null;
}

/** Whether the organization already has a role (its own or built in) whose name folds like this one. */
function nameTaken(tables: Tables, orgId: number, name: string, except?: number): boolean {
  const key = uniqueNameKey(name);
  for (const role of tables.roles.values()) {
    if (role.id === except || (role.orgId !== orgId && role.orgId !== null)) continue;
    if (uniqueNameKey(role.name) === key) return true;
  }
  return false;
}

/** Creates a custom role; a taken name is a conflict. */
export function createRole(tables: Tables, input: NewRole, _now: number): ConflictResult<RoleRecord, "role_name"> {
  if (nameTaken(tables, input.orgId, input.name)) return { ok: false, conflict: "role_name" };
  const id = nextId(tables, "roles");
  const role: RoleRecord = deepFreeze({
    id,
    name: input.name,
    description: input.description,
    orgId: input.orgId,
    permissions: jsonColumn([...input.permissions]),
  });
  tables.roles.set(id, role);
  return { ok: true, value: detach(role) };
}

/** Patches a custom role of `orgId`; null for built-in or foreign roles. */
export function updateRole(
  tables: Tables,
  orgId: number,
  roleId: number,
  patch: RolePatch,
  _now: number,
): ConflictResult<RoleRecord, "role_name"> | null {
  const role = tables.roles.get(roleId);
  if (!role || role.orgId !== orgId) return null;
  if (patch.name !== undefined && nameTaken(tables, orgId, patch.name, roleId))
    return { ok: false, conflict: "role_name" };
  const next: RoleRecord = deepFreeze({
    ...role,
    ...(patch.name === undefined ? {} : { name: patch.name }),
    ...(patch.description === undefined ? {} : { description: patch.description }),
    ...(patch.permissions === undefined ? {} : { permissions: jsonColumn([...patch.permissions]) }),
  });
  tables.roles.set(roleId, next);
  return { ok: true, value: detach(next) };
}

/**
 * Deletes a custom role of the organization, first moving its members and pending invitations to the
 * replacement; without a replacement a role still held is `in_use`, and its invitations go with it.
 */
export function deleteRole(tables: Tables, input: DeleteRoleInput): "deleted" | "in_use" | "not_found" {
  const role = tables.roles.get(input.roleId);
  if (!role || role.orgId !== input.orgId) return "not_found";
  const holders = [...tables.members.values()].filter((m) => m.roleId === input.roleId);
  let replacement: RoleRecord | undefined;
  if (input.replacementRoleId !== undefined) {
    replacement = tables.roles.get(input.replacementRoleId);
    if (
      !replacement ||
      replacement.id === role.id ||
      (replacement.orgId !== null && replacement.orgId !== input.orgId)
    ) {
      return "not_found";
    }
  } else if (holders.length > 0) {
    return "in_use";
  }
  for (const member of holders) {
    tables.members.set(member.id, deepFreeze({ ...member, roleId: replacement!.id, updatedAt: input.now }));
  }
  for (const invitation of [...tables.invitations.values()]) {
    if (invitation.roleId !== role.id) continue;
    if (replacement) {
      tables.invitations.set(
        invitation.id,
        deepFreeze({ ...invitation, roleId: replacement.id, updatedAt: input.now }),
      );
    } else {
      tables.invitations.delete(invitation.id);
      tables.invitationIdByToken.delete(invitation.tokenHash);
    }
  }
  tables.roles.delete(role.id);
  return "deleted";
}
