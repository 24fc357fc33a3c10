import {
  type ConflictResult,
  type CreateOrganizationWithMemberInput,
  type CreateOrganizationWithMemberResult,
  MEMBER_STATUS,
  type MemberRecord,
  type NewOrganization,
  ORGANIZATION_STATUS,
  type OrganizationPatch,
  type OrganizationRecord,
  type UserOrganization,
  uniqueNameKey,
} from "@tenantauth/core";
import { atomic, ConflictSignal, type Db, insertId, insertIdOrConflict } from "../db.js";
import { isUniqueViolation } from "../driver-errors.js";
import {
  columnsAs,
  MEMBER_COLUMNS,
  ORGANIZATION_COLUMNS,
  ROLE_COLUMNS,
  type Row,
  toJson,
  toMember,
  toOrganization,
  toRole,
} from "../rows.js";

/** Inserts an organization; a taken name (or one that folds alike: `name_key`) throws ConflictSignal("organization_name"). */
export async function insertOrganization(
  db: Db,
  organization: NewOrganization,
  now: number,
): Promise<OrganizationRecord> {
  const row: Row = {
    name: organization.name,
    name_key: uniqueNameKey(organization.name),
    details: organization.details,
    status: organization.status,
    personal: organization.personal,
    settings: toJson(organization.settings),
    created_at: now,
    updated_at: now,
  };
  const id = await insertIdOrConflict(db, db.t.organizations, row, "organization_name");
  return toOrganization({ ...row, id });
}

/** Inserts an active membership with empty settings. */
export async function insertMember(
  db: Db,
  orgId: number,
  userId: number,
  roleId: number,
  now: number,
): Promise<MemberRecord> {
  const row: Row = {
    org_id: orgId,
    user_id: userId,
    role_id: roleId,
    status: MEMBER_STATUS.active,
    settings: toJson({}),
    created_at: now,
    updated_at: now,
  };
  return toMember({ ...row, id: await insertId(db, db.t.members, row) });
}

/** See StorageAdapter.createOrganizationWithMember. */
export async function createOrganizationWithMember(
  db: Db,
  input: CreateOrganizationWithMemberInput,
): Promise<CreateOrganizationWithMemberResult> {
  try {
    return await atomic(db, async (tx) => {
      const organization = await insertOrganization(tx, input.organization, input.now);
      const member = await insertMember(tx, organization.id, input.userId, input.roleId, input.now);
      return { ok: true as const, organization, member };
    });
  } catch (error) {
    if (error instanceof ConflictSignal) return { ok: false, conflict: "organization_name" };
    throw error;
  }
}

/** See StorageAdapter.findOrganizationById. */
export async function findOrganizationById(db: Db, id: number): Promise<OrganizationRecord | null> {
  const row = (await db.q(db.t.organizations).where({ id }).first()) as Row | undefined;
  return row ? toOrganization(row) : null;
}

/** See StorageAdapter.isOrganizationNameTaken: one lookup on the unique index of folded names (`name_key`). */
export async function isOrganizationNameTaken(db: Db, name: string): Promise<boolean> {
  return (
    (await db
      .q(db.t.organizations)
      .where({ name_key: uniqueNameKey(name) })
      .first("id")) !== undefined
  );
}

/** See StorageAdapter.listUserOrganizations: one query on members(user_id), joined by primary keys. */
export async function listUserOrganizations(db: Db, userId: number): Promise<UserOrganization[]> {
  const rows = (await db
    .q({ m: db.t.members })
    .join({ o: db.t.organizations }, "o.id", "m.org_id")
    .join({ r: db.t.roles }, "r.id", "m.role_id")
    .where("m.user_id", userId)
    .whereNot("o.status", ORGANIZATION_STATUS.deleted)
    .select({
      ...columnsAs("m", "m_", MEMBER_COLUMNS),
      ...columnsAs("o", "o_", ORGANIZATION_COLUMNS),
      ...columnsAs("r", "r_", ROLE_COLUMNS),
    })
    .orderBy([
      { column: "m.created_at", order: "asc" },
      { column: "m.id", order: "asc" },
    ])) as Row[];
  return rows.map((row) => ({
    member: toMember(row, "m_"),
    organization: toOrganization(row, "o_"),
    role: toRole(row, "r_"),
  }));
}

/**
 * See TenancyStorage.updateOrganization: one UPDATE (a taken name rolls back to the savepoint and is reported),
 * then the row as stored.
 */
export async function updateOrganization(
  db: Db,
  orgId: number,
  patch: OrganizationPatch,
  now: number,
): Promise<ConflictResult<OrganizationRecord, "organization_name"> | null> {
  const changes: Row = { updated_at: now };
  if (patch.name !== undefined) {
    changes.name = patch.name;
    changes.name_key = uniqueNameKey(patch.name);
  }
  if (patch.details !== undefined) changes.details = patch.details;
  if (patch.settings !== undefined) changes.settings = toJson(patch.settings);
  if (patch.status !== undefined) changes.status = patch.status;
  try {
    return await atomic(db, async (tx) => {
      try {
        await tx.q(tx.t.organizations).where({ id: orgId }).update(changes);
      } catch (error) {
        if (isUniqueViolation(error)) throw new ConflictSignal("organization_name");
        throw error;
      }
      const organization = await findOrganizationById(tx, orgId);
      return organization ? { ok: true as const, value: organization } : null;
    });
  } catch (error) {
    if (error instanceof ConflictSignal) return { ok: false, conflict: "organization_name" };
    throw error;
  }
}
