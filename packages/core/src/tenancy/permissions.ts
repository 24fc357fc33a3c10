import * as z from "zod";
import { AuthError } from "../errors.js";
import type { AuthContext } from "../internal/context.js";
import { parseInput } from "../internal/validate.js";
import { MEMBER_STATUS, type RoleRecord } from "../ports/records.js";
import type { Membership } from "../ports/tenancy-storage.js";
import type { Principal } from "../sessions/access-token.js";
import { assertAnyPrincipal, assertPrincipal } from "../sessions/principal.js";
import { PERMISSIONS, type Permission } from "./built-in-roles.js";

/** An id (organization, user, role, invitation) as callers pass it. */
export const idSchema = z
  .number({ error: "must be a number" })
  .int({ error: "must be an integer id" })
  .positive({ error: "must be a positive id" })
  .max(Number.MAX_SAFE_INTEGER);

/** A permission string known to tenantauth. */
export const permissionSchema = z.enum(PERMISSIONS, { error: `must be one of ${PERMISSIONS.join(", ")}` });

/** The built-in Owner role is the one that may delete an organization and transfer ownership. */
export function isOwnerRole(role: RoleRecord): boolean {
  return role.orgId === null && role.name === "Owner";
}

/** True when `role` carries every permission in `wanted`: the no-escalation rule. */
export function covers(role: RoleRecord, wanted: readonly string[]): boolean {
  return wanted.every((p) => role.permissions.includes(p));
}

const notFound = (): AuthError => new AuthError("NOT_FOUND", "Organization not found");

/**
 * Loads the caller's membership of `orgId` and checks `permission` (or mere active membership when null).
 * An outsider gets `NOT_FOUND`, so organization ids reveal nothing; a member without the permission gets
 * `FORBIDDEN`. One storage query.
 */
export async function requireMembership(
  ctx: AuthContext,
  principal: Principal,
  orgId: unknown,
  permission: Permission | null,
): Promise<Membership> {
  assertPrincipal(principal);
  const id = parseInput(idSchema, orgId);
  const membership = await ctx.membership(id, principal.userId);
  if (!membership) throw notFound();
  if (membership.member.status !== MEMBER_STATUS.active) {
    throw new AuthError("FORBIDDEN", "Your membership of this organization is suspended");
  }
  if (permission !== null && !membership.role.permissions.includes(permission)) {
    throw new AuthError("FORBIDDEN", `This needs the ${permission} permission`, { details: { permission } });
  }
  return membership;
}

/** Refuses a change that would hand out, or act on, permissions the caller does not hold. */
export function assertNoEscalation(caller: RoleRecord, target: RoleRecord | readonly string[], what: string): void {
  const wanted = Array.isArray(target) ? (target as readonly string[]) : (target as RoleRecord).permissions;
  const missing = wanted.filter((p) => !caller.permissions.includes(p));
  if (missing.length > 0) {
    throw new AuthError("FORBIDDEN", `You cannot ${what}: it involves permissions you do not hold`, {
      details: { missing },
    });
  }
}

/**
 * The answer of `authorize`, or why not: `outsider` (not an active member; for a key, another organization or a
 * creator who is no active member) or `forbidden`. A user needs an active membership whose role grants the
 * permission; an API key acts in its own organization only, with its permissions, and only while its creator's
 * current role grants every one of them (one query, like a user): a creator demoted below the key stops it whole.
 */
async function decide(
  ctx: AuthContext,
  principal: unknown,
  orgId: unknown,
  permission: unknown,
): Promise<"ok" | "outsider" | "suspended" | "forbidden"> {
  assertAnyPrincipal(principal);
  const id = parseInput(idSchema, orgId);
  const wanted = parseInput(permissionSchema, permission);
  const isKey = principal.kind === "apiKey";
  if (isKey && principal.orgId !== id) return "outsider";
  // The token's active organization answers without a query while the token lives (see strictAuthorization).
  const claim = isKey ? undefined : principal.activeOrganization;
  if (claim?.id === id && !ctx.options.strictAuthorization) {
    return claim.role.permissions.includes(wanted) ? "ok" : "forbidden";
  }
  const membership = await ctx.membership(id, isKey ? principal.createdBy : principal.userId);
  if (!membership) return "outsider";
  if (membership.member.status !== MEMBER_STATUS.active) return isKey ? "outsider" : "suspended";
  if (!membership.role.permissions.includes(wanted)) return "forbidden";
  if (!isKey) return "ok";
  return covers(membership.role, principal.permissions) && principal.permissions.includes(wanted) ? "ok" : "forbidden";
}

/**
 * `authorize(principal, orgId, permission)`: true when the principal is an active member of the active
 * organization and its role grants the permission (for an API key: see {@link decide}). For the organization in
 * the token's `org` claim the answer comes from the claim (the role as it was when the token was issued), unless
 * `strictAuthorization` is on. Never throws for a missing membership; bad arguments give
 * `INVALID_INPUT`/`UNAUTHENTICATED`.
 */
export async function authorize(
  ctx: AuthContext,
  principal: Principal,
  orgId: unknown,
  permission: unknown,
): Promise<boolean> {
  return (await decide(ctx, principal, orgId, permission)) === "ok";
}

/** `assertAuthorized`: like {@link authorize} but throws `NOT_FOUND` (outsider) or `FORBIDDEN`. */
export async function assertAuthorized(
  ctx: AuthContext,
  principal: Principal,
  orgId: unknown,
  permission: unknown,
): Promise<void> {
  const answer = await decide(ctx, principal, orgId, permission);
  if (answer === "outsider") throw notFound();
  if (answer === "suspended") throw new AuthError("FORBIDDEN", "Your membership of this organization is suspended");
  if (answer === "forbidden") {
    throw new AuthError("FORBIDDEN", `This needs the ${String(permission)} permission`, { details: { permission } });
  }
}
