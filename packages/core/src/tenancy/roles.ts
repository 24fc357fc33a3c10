import * as z from "zod";
import { visibleNameSchema } from "../accounts/schemas.js";
import { auditedTransaction, byCallerIn, recordEvent } from "../audit/record.js";
import { AuthError } from "../errors.js";
import type { AuthContext } from "../internal/context.js";
import { parseInput } from "../internal/validate.js";
import type { RoleRecord } from "../ports/records.js";
import type { Principal } from "../sessions/access-token.js";
import { BUILT_IN_ROLES } from "./built-in-roles.js";
import { foldName } from "./name-key.js";
import { type Role, toPublicRole } from "./organizations.js";
import { assertNoEscalation, idSchema, permissionSchema, requireMembership } from "./permissions.js";

/** Input of `auth.roles.create()`. */
export interface CreateRoleInput {
  name: string;
  description?: string | null | undefined;
  permissions: string[];
}

/** Input of `auth.roles.update()`: the fields to change. */
export interface UpdateRoleInput {
  name?: string | undefined;
  description?: string | null | undefined;
  permissions?: string[] | undefined;
}

const roleName = visibleNameSchema(100).refine((n) => !BUILT_IN_ROLES.some((b) => foldName(b.name) === foldName(n)), {
  error: "is the name of a built-in role",
});
const description = z.string({ error: "must be a string" }).max(500, { error: "must be at most 500 characters" });
const permissions = z
  .array(permissionSchema, { error: "must be an array of permission strings" })
  .max(64)
  .transform((list) => [...new Set(list)].sort());

const createSchema = z.strictObject({ name: roleName, description: description.nullish(), permissions });
const updateSchema = z.strictObject({
  name: roleName.optional(),
  description: description.nullish(),
  permissions: permissions.optional(),
});

const nameTaken = (): AuthError =>
  new AuthError("ROLE_NAME_TAKEN", "This organization already has a role with that name");
const noSuchRole = (): AuthError => new AuthError("NOT_FOUND", "No such custom role in this organization");

/** Built-in and custom roles of an organization. Any active member may list. */
export async function listRoles(ctx: AuthContext, principal: Principal, orgId: number): Promise<Role[]> {
  const { organization } = await requireMembership(ctx, principal, orgId, null);
  return (await ctx.storage.listOrganizationRoles(organization.id)).map(toPublicRole);
}

/** The data of a role's audit event: the role as it is now. */
const roleData = (role: RoleRecord) => ({ roleId: role.id, name: role.name, permissions: [...role.permissions] });

/** Creates a custom role. Needs `role:manage`; its permissions must be ones the caller holds. */
export async function createRole(
  ctx: AuthContext,
  principal: Principal,
  orgId: number,
  input: CreateRoleInput,
): Promise<Role> {
  const caller = await requireMembership(ctx, principal, orgId, "role:manage");
  const data = parseInput(createSchema, input);
  assertNoEscalation(caller.role, data.permissions, "create a role with permissions you do not hold");
  const role = await auditedTransaction(ctx, async (tx) => {
    const { name, permissions } = data;
    const row = { orgId: caller.organization.id, name, description: data.description ?? null, permissions };
    const result = await tx.storage.createRole(row, ctx.clock.now());
    if (!result.ok) throw nameTaken();
    const by = byCallerIn(principal, caller.organization.id);
    await recordEvent(ctx, { type: "role.create", ...by, data: roleData(result.value) }, tx);
    return result.value;
  });
  return toPublicRole(role);
}

/**
 * Changes a custom role. Needs `role:manage` and every permission of the role before and after the change.
 * Built-in roles cannot be changed.
 */
export async function updateRole(
  ctx: AuthContext,
  principal: Principal,
  orgId: number,
  roleId: number,
  input: UpdateRoleInput,
): Promise<Role> {
  const caller = await requireMembership(ctx, principal, orgId, "role:manage");
  const id = parseInput(idSchema, roleId);
  const data = parseInput(updateSchema, input);
  const role = await ctx.storage.findRole(caller.organization.id, id);
  if (!role || role.orgId === null) throw noSuchRole();
  assertNoEscalation(caller.role, role, "change a role with permissions you do not hold");
  if (data.permissions) assertNoEscalation(caller.role, data.permissions, "grant permissions you do not hold");
  const patch = {
    ...(data.name === undefined ? {} : { name: data.name }),
    ...(data.description === undefined ? {} : { description: data.description }),
    ...(data.permissions === undefined ? {} : { permissions: data.permissions }),
  };
  const updated = await auditedTransaction(ctx, async (tx) => {
    const result = await tx.storage.updateRole(caller.organization.id, id, patch, ctx.clock.now());
    if (result === null) throw noSuchRole();
    if (!result.ok) throw nameTaken();
    const by = byCallerIn(principal, caller.organization.id);
    await recordEvent(ctx, { type: "role.update", ...by, data: roleData(result.value) }, tx);
    return result.value;
  });
  ctx.forgetMemberships(caller.organization.id);
  return toPublicRole(updated);
}

/**
 * Deletes a custom role. Needs `role:manage` and every permission of the role. While members hold it, a
 * `replacementRoleId` (which the caller could grant) must be named, else `ROLE_IN_USE`.
 */
export async function deleteRole(
  ctx: AuthContext,
  principal: Principal,
  orgId: number,
  roleId: number,
  options: { replacementRoleId?: number | undefined } = {},
): Promise<void> {
  const caller = await requireMembership(ctx, principal, orgId, "role:manage");
  const id = parseInput(idSchema, roleId);
  const { replacementRoleId } = parseInput(z.strictObject({ replacementRoleId: idSchema.optional() }), options ?? {});
  const role = await ctx.storage.findRole(caller.organization.id, id);
  if (!role || role.orgId === null) throw noSuchRole();
  assertNoEscalation(caller.role, role, "delete a role with permissions you do not hold");
  if (replacementRoleId !== undefined) {
    const replacement = await ctx.storage.findRole(caller.organization.id, replacementRoleId);
    if (!replacement || replacement.id === id) throw new AuthError("NOT_FOUND", "No such replacement role");
    assertNoEscalation(caller.role, replacement, "move members to a role with permissions you do not hold");
  }
  await auditedTransaction(ctx, async (tx) => {
    const result = await tx.storage.deleteRole({
      orgId: caller.organization.id,
      roleId: id,
      now: ctx.clock.now(),
      ...(replacementRoleId === undefined ? {} : { replacementRoleId }),
    });
    if (result === "not_found") throw noSuchRole();
    if (result === "in_use") {
      throw new AuthError("ROLE_IN_USE", "Members still hold this role: name a replacementRoleId to move them to");
    }
    const data = { roleId: role.id, name: role.name, replacementRoleId: replacementRoleId ?? null };
    await recordEvent(ctx, { type: "role.delete", ...byCallerIn(principal, caller.organization.id), data }, tx);
  });
  ctx.forgetMemberships(caller.organization.id);
}
