import {
  type ConflictResult,
  type DeleteRoleInput,
  type NewRole,
  type RolePatch,
  type RoleRecord,
  uniqueNameKey,
} from "@tenantauth/core";
import { atomic, ConflictSignal, type Db, insertIdOrConflict } from "../db.js";
import { isUniqueViolation } from "../driver-errors.js";
import { type Row, toJson, toRole } from "../rows.js";

type RoleConflict = ConflictResult<RoleRecord, "role_name">;

/** See StorageAdapter.listBuiltInRoles: the roles with `org_id` NULL, by id. */
export async function listBuiltInRoles(db: Db): Promise<RoleRecord[]> {
  const rows = (await db.q(db.t.roles).whereNull("org_id").orderBy("id")) as Row[];
  return rows.map((row) => toRole(row));
}

/** See TenancyStorage.listOrganizationRoles: built-in roles first, then the organization's, each by id. */
export async function listOrganizationRoles(db: Db, orgId: number): Promise<RoleRecord[]> {
  const rows = (await db
    .q(db.t.roles)
    .where((w) => w.whereNull("org_id").orWhere("org_id", orgId))
    .orderBy("id")) as Row[];
  const roles = rows.map((row) => toRole(row));
  return [...roles.filter((r) => r.orgId === null), ...roles.filter((r) => r.orgId !== null)];
}

/** See TenancyStorage.findRole. */
export async function findRole(db: Db, orgId: number, roleId: number): Promise<RoleRecord | null> {
  const row = (await db
    .q(db.t.roles)
    .where({ id: roleId })
    .andWhere((w) => w.whereNull("org_id").orWhere("org_id", orgId))
    .first()) as Row | undefined;
  return row ? toRole(row) : null;
}

/**
 * A built-in role's name (or one that folds alike) is taken in every organization (unique(org_id, name_key) cannot
 * see it: org_id is NULL).
 */
async function isBuiltInName(db: Db, name: string): Promise<boolean> {
  const key = uniqueNameKey(name);
  return (await db.q(db.t.roles).whereNull("org_id").where({ name_key: key }).first("id")) !== undefined;
}

/** Runs an atomic role write, turning a ConflictSignal into the `role_name` conflict value. */
async function conflictAsValue<T>(fn: () => Promise<T>): Promise<T | { ok: false; conflict: "role_name" }> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof ConflictSignal) return { ok: false, conflict: "role_name" };
    throw error;
  }
}

/** See TenancyStorage.createRole. */
export async function createRole(db: Db, input: NewRole, now: number): Promise<RoleConflict> {
  if (await isBuiltInName(db, input.name)) return { ok: false, conflict: "role_name" };
  const row: Row = {
    name: input.name,
    name_key: uniqueNameKey(input.name),
    description: input.description,
    org_id: input.orgId,
    permissions: toJson(input.permissions),
    created_at: now,
    updated_at: now,
  };
  return conflictAsValue(() =>
    atomic(db, async (tx) => ({
      ok: true as const,
      value: toRole({ ...row, id: await insertIdOrConflict(tx, tx.t.roles, row, "role_name") }),
    })),
  );
}

/** See TenancyStorage.updateRole: only a custom role of `orgId` changes. */
export async function updateRole(
  db: Db,
  orgId: number,
  roleId: number,
  patch: RolePatch,
  now: number,
): Promise<RoleConflict | null> {
  const changes: Row = { updated_at: now };
  if (patch.name !== undefined) {
    changes.name = patch.name;
    changes.name_key = uniqueNameKey(patch.name);
  }
  if (patch.description !== undefined) changes.description = patch.description;
  if (patch.permissions !== undefined) changes.permissions = toJson(patch.permissions);
  return conflictAsValue(() =>
    atomic(db, async (tx) => {
      const own = { id: roleId, org_id: orgId };
      if (!(await tx.q(tx.t.roles).where(own).first("id"))) return null;
      if (patch.name !== undefined && (await isBuiltInName(tx, patch.name))) throw new ConflictSignal("role_name");
      try {
        await tx.q(tx.t.roles).where(own).update(changes);
      } catch (error) {
        if (isUniqueViolation(error)) throw new ConflictSignal("role_name");
        throw error;
      }
      const row = (await tx.q(tx.t.roles).where(own).first()) as Row;
      return { ok: true as const, value: toRole(row) };
    }),
  );
}

/**
 * See TenancyStorage.deleteRole. The role row is locked first, so no membership can take the role while it goes.
 * With a replacement, members and invitations move to it; a replacement that is neither built in nor the
 * organization's own (or is the role itself) is `not_found`.
 */
export function deleteRole(db: Db, input: DeleteRoleInput): Promise<"deleted" | "in_use" | "not_found"> {
  return atomic(db, async (tx) => {
    const own = { id: input.roleId, org_id: input.orgId };
    if (!(await tx.q(tx.t.roles).where(own).forUpdate().first("id"))) return "not_found";
    const holders = tx.q(tx.t.members).where({ org_id: input.orgId, role_id: input.roleId });
    if (input.replacementRoleId === undefined) {
      if (await holders.clone().first("id")) return "in_use";
    } else {
      const replacement = await findRole(tx, input.orgId, input.replacementRoleId);
      if (!replacement || replacement.id === input.roleId) return "not_found";
      await holders.clone().update({ role_id: replacement.id, updated_at: input.now });
      await tx
        .q(tx.t.invitations)
        .where({ org_id: input.orgId, role_id: input.roleId })
        .update({ role_id: replacement.id, updated_at: input.now });
    }
    await tx.q(tx.t.roles).where(own).delete();
    return "deleted";
  });
}
