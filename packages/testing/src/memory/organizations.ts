import {
  type CreateOrganizationWithMemberInput,
  type CreateOrganizationWithMemberResult,
  type NewOrganization,
  type OrganizationRecord,
  uniqueNameKey,
} from "@tenantauth/core";
import { deepFreeze, detach, jsonColumn } from "./copy.js";
import { checkRoleUsable, checkUserExists, insertMember } from "./memberships.js";
import { nextId, type Tables } from "./state.js";

/** Inserts an organization. The caller has checked that the name (its folded key) is free. */
export function insertOrganization(tables: Tables, organization: NewOrganization, now: number): OrganizationRecord {
  const id = nextId(tables, "organizations");
  const row: OrganizationRecord = deepFreeze({
    id,
    name: organization.name,
    details: organization.details,
    status: organization.status,
    personal: organization.personal,
    settings: jsonColumn(organization.settings),
    createdAt: now,
    updatedAt: now,
  });
  tables.organizations.set(id, row);
  tables.organizationIdByNameKey.set(uniqueNameKey(row.name), id);
  return row;
}

/** Inserts an organization and one membership, or nothing when the name is taken. */
export function createOrganizationWithMember(
  tables: Tables,
  input: CreateOrganizationWithMemberInput,
): CreateOrganizationWithMemberResult {
  if (tables.organizationIdByNameKey.has(uniqueNameKey(input.organization.name))) {
    return { ok: false, conflict: "organization_name" };
  }
  checkUserExists(tables, input.userId);
  checkRoleUsable(tables, input.roleId, null);
  const organization = insertOrganization(tables, input.organization, input.now);
  const member = insertMember(
    tables,
    { orgId: organization.id, userId: input.userId, roleId: input.roleId },
    input.now,
  );
  return { ok: true, organization: detach(organization), member: detach(member) };
}

/** The organization with this id, whatever its status, or null. */
export function findOrganizationById(tables: Tables, id: number): OrganizationRecord | null {
  const row = tables.organizations.get(id);
  return row ? detach(row) : null;
}
