import { auditedTransaction, byCallerIn, recordEvent } from "../audit/record.js";
import { AuthError } from "../errors.js";
import type { AuthContext } from "../internal/context.js";
import { randomId } from "../internal/crypto.js";
import { parseInput } from "../internal/validate.js";
import { MEMBER_STATUS, ORGANIZATION_STATUS } from "../ports/records.js";
import type { Principal } from "../sessions/access-token.js";
import { assertNotImpersonating, assertPrincipal } from "../sessions/principal.js";
import { membershipRevocation, organizationRevocation, publishRevocations } from "../sessions/revocations.js";
import { idSchema, isOwnerRole, requireMembership } from "./permissions.js";

const ownersOnly = (what: string): AuthError => new AuthError("FORBIDDEN", `Only an Owner can ${what}`);

/**
 * Soft-deletes an organization (status `deleted`). Needs `org:delete` and the Owner role. A personal organization
 * cannot be deleted while its user exists. The name is freed for reuse; the old name is kept in
 * `settings.deletedName`.
 */
export async function deleteOrganization(ctx: AuthContext, principal: Principal, orgId: number): Promise<void> {
  assertPrincipal(principal);
  assertNotImpersonating(principal, "delete an organization");
  const { organization, role } = await requireMembership(ctx, principal, orgId, "org:delete");
  if (!isOwnerRole(role)) throw ownersOnly("delete an organization");
  if (organization.personal) {
    throw new AuthError("PERSONAL_ORG_UNDELETABLE", "A personal organization cannot be deleted while its user exists");
  }
  const now = ctx.clock.now();
  await auditedTransaction(ctx, async (tx) => {
    const result = await tx.storage.updateOrganization(
      organization.id,
      {
        status: ORGANIZATION_STATUS.deleted,
        name: `deleted-${organization.id}-${randomId(ctx.random, 40)}`,
        settings: {
          ...organization.settings,
          deletedName: organization.name,
          deletedAt: now,
          deletedBy: principal.userId,
        },
      },
      now,
    );
    if (result === null || !result.ok) throw new AuthError("NOT_FOUND", "Organization not found");
    await publishRevocations(ctx, tx.storage, [organizationRevocation(organization.id)]);
    const data = { name: organization.name };
    await recordEvent(ctx, { type: "organization.delete", ...byCallerIn(principal, organization.id), data }, tx);
  });
  ctx.forgetMemberships(organization.id);
}

/**
 * Makes another active member the Owner and the caller an Admin, in one transaction. Only an Owner can.
 */
export async function transferOwnership(
  ctx: AuthContext,
  principal: Principal,
  orgId: number,
  toUserId: number,
): Promise<void> {
  assertPrincipal(principal);
  assertNotImpersonating(principal, "transfer ownership");
  const { organization, role } = await requireMembership(ctx, principal, orgId, null);
  if (!isOwnerRole(role)) throw ownersOnly("transfer ownership");
  const target = parseInput(idSchema, toUserId);
  if (target === principal.userId) throw new AuthError("INVALID_INPUT", "You already own this organization");
  const [owner, admin] = [await ctx.builtInRole("Owner"), await ctx.builtInRole("Admin")];
  const now = ctx.clock.now();
  await auditedTransaction(ctx, async (tx) => {
    const { storage } = tx;
    const recipient = await storage.findMembership(organization.id, target);
    if (!recipient || recipient.member.status !== MEMBER_STATUS.active) {
      throw new AuthError("NOT_FOUND", "That user is not an active member of this organization");
    }
    const base = { orgId: organization.id, ownerRoleId: owner.id, now };
    if ((await storage.changeMemberRole({ ...base, userId: target, roleId: owner.id })) !== "ok") {
      throw new AuthError("NOT_FOUND", "That user is not an active member of this organization");
    }
    const demoted = await storage.changeMemberRole({ ...base, userId: principal.userId, roleId: admin.id });
    if (demoted !== "ok") throw new AuthError("NOT_FOUND", "Organization not found");
    await publishRevocations(ctx, storage, [
      membershipRevocation(organization.id, target, owner.id),
      membershipRevocation(organization.id, principal.userId, admin.id),
    ]);
    const changes = [
      { targetUserId: target, data: { fromRoleId: recipient.role.id, toRoleId: owner.id, toRoleName: owner.name } },
      { targetUserId: principal.userId, data: { fromRoleId: role.id, toRoleId: admin.id, toRoleName: admin.name } },
    ];
    for (const change of changes) {
      await recordEvent(ctx, { type: "member.role_change", ...byCallerIn(principal, organization.id), ...change }, tx);
    }
  });
  ctx.forgetMemberships(organization.id);
}
