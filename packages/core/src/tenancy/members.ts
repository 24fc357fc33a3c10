import * as z from "zod";
import { auditedTransaction, byCallerIn, recordEvent } from "../audit/record.js";
import { AuthError } from "../errors.js";
import type { AuthContext } from "../internal/context.js";
import { idCursor, idCursorSchema } from "../internal/cursor.js";
import { parseInput } from "../internal/validate.js";
import { type JsonObject, MEMBER_STATUS } from "../ports/records.js";
import type { MemberChangeResult, Membership } from "../ports/tenancy-storage.js";
import type { Principal } from "../sessions/access-token.js";
import { assertPrincipal } from "../sessions/principal.js";
import { membershipRevocation, publishRevocations } from "../sessions/revocations.js";
import { type Role, toPublicRole } from "./organizations.js";
import { assertNoEscalation, idSchema, requireMembership } from "./permissions.js";

/** A member as the SDK shows it. */
export interface Member {
  userId: number;
  email: string;
  profile: JsonObject;
  role: Role;
  status: "active" | "suspended";
  joinedAt: number;
}

/** Options of `auth.members.list()`. */
export interface ListMembersOptions {
  /** `nextCursor` of the previous page. */
  cursor?: string | null | undefined;
  /** Page size, 1..200. @default 50 */
  limit?: number | undefined;
  /** Only members with this role id. */
  roleId?: number | undefined;
  /** Only members with this status. */
  status?: "active" | "suspended" | undefined;
}

/** A page of members; `nextCursor` is null on the last page. */
export interface MemberPage {
  items: Member[];
  nextCursor: string | null;
}

const STATUS_NAMES = { active: MEMBER_STATUS.active, suspended: MEMBER_STATUS.suspended } as const;

const listSchema = z.strictObject({
  cursor: idCursorSchema.nullish(),
  limit: z.number().int().min(1).max(200).default(50),
  roleId: idSchema.optional(),
  status: z.enum(["active", "suspended"]).optional(),
});

/** One page of an organization's members, by join order. Any active member may list. */
export async function listMembers(
  ctx: AuthContext,
  principal: Principal,
  orgId: number,
  options: ListMembersOptions = {},
): Promise<MemberPage> {
  const { organization } = await requireMembership(ctx, principal, orgId, null);
  const o = parseInput(listSchema, options ?? {});
  const rows = await ctx.storage.listMembers({
    orgId: organization.id,
    limit: o.limit + 1,
    ...(o.cursor ? { afterId: o.cursor } : {}),
    ...(o.roleId === undefined ? {} : { roleId: o.roleId }),
    ...(o.status === undefined ? {} : { status: STATUS_NAMES[o.status] }),
  });
  const page = rows.slice(0, o.limit);
  const last = page.at(-1);
  return {
    items: page.map(({ member, role, user }) => ({
      userId: user.id,
      email: user.email,
      profile: user.profile,
      role: toPublicRole(role),
      status: member.status === MEMBER_STATUS.active ? "active" : "suspended",
      joinedAt: member.createdAt,
    })),
    nextCursor: rows.length > o.limit && last ? idCursor(last.member.id) : null,
  };
}

function check(result: MemberChangeResult): void {
  if (result === "not_found") throw new AuthError("NOT_FOUND", "No such member in this organization");
  if (result === "last_owner") {
    throw new AuthError("LAST_OWNER", "An organization must keep at least one Owner: make someone else Owner first");
  }
}

/**
 * Gives a member another role. Needs `member:update-role`, and the caller must hold every permission of both the
 * member's current role and the new one (no escalation). The last Owner cannot be demoted.
 */
export async function updateMemberRole(
  ctx: AuthContext,
  principal: Principal,
  orgId: number,
  userId: number,
  roleId: number,
): Promise<void> {
  const caller = await requireMembership(ctx, principal, orgId, "member:update-role");
  const [targetUser, newRoleId] = [parseInput(idSchema, userId), parseInput(idSchema, roleId)];
  const role = await ctx.storage.findRole(caller.organization.id, newRoleId);
  if (!role) throw new AuthError("NOT_FOUND", "No such role in this organization");
  const target = await ctx.storage.findMembership(caller.organization.id, targetUser);
  if (!target) throw new AuthError("NOT_FOUND", "No such member in this organization");
  assertNoEscalation(caller.role, target.role, "change the role of a member whose role outranks yours");
  assertNoEscalation(caller.role, role, "grant a role with permissions you do not hold");
  const owner = await ctx.builtInRole("Owner");
  const org = caller.organization.id;
  await auditedTransaction(ctx, async (tx) => {
    check(
      await tx.storage.changeMemberRole({
        orgId: org,
        userId: targetUser,
        roleId: role.id,
        ownerRoleId: owner.id,
        now: ctx.clock.now(),
      }),
    );
    // Tokens whose `org` claim names the old role stop working (the client refreshes and gets the new one).
    await publishRevocations(ctx, tx.storage, [membershipRevocation(org, targetUser, role.id)]);
    const data = { fromRoleId: target.role.id, toRoleId: role.id, toRoleName: role.name };
    await recordEvent(
      ctx,
      { type: "member.role_change", ...byCallerIn(principal, org), targetUserId: targetUser, data },
      tx,
    );
  });
  ctx.forgetMemberships(org);
}

/** Removes a member. Needs `member:remove` and every permission of the member's role. Not the last Owner. */
export async function removeMember(
  ctx: AuthContext,
  principal: Principal,
  orgId: number,
  userId: number,
): Promise<void> {
  const caller = await requireMembership(ctx, principal, orgId, "member:remove");
  const targetUser = parseInput(idSchema, userId);
  const target = await ctx.storage.findMembership(caller.organization.id, targetUser);
  if (!target) throw new AuthError("NOT_FOUND", "No such member in this organization");
  assertNoEscalation(caller.role, target.role, "remove a member whose role outranks yours");
  await removeAudited(ctx, principal, caller.organization.id, target, "removed");
}

/** Leaves an organization. The last Owner cannot leave (`LAST_OWNER`). */
export async function leaveOrganization(ctx: AuthContext, principal: Principal, orgId: number): Promise<void> {
  assertPrincipal(principal);
  const membership = await requireMembership(ctx, principal, orgId, null);
  await removeAudited(ctx, principal, membership.organization.id, membership, "left");
}

/** Removes the membership and records `member.remove`, in one transaction. */
async function removeAudited(
  ctx: AuthContext,
  principal: Principal,
  orgId: number,
  target: Membership,
  reason: "removed" | "left",
): Promise<void> {
  const owner = await ctx.builtInRole("Owner");
  const targetUserId = target.member.userId;
  await auditedTransaction(ctx, async (tx) => {
    check(await tx.storage.removeMember({ orgId, userId: targetUserId, ownerRoleId: owner.id }));
    await publishRevocations(ctx, tx.storage, [membershipRevocation(orgId, targetUserId, null)]);
    const data = { roleId: target.role.id, reason };
    await recordEvent(ctx, { type: "member.remove", ...byCallerIn(principal, orgId), targetUserId, data }, tx);
  });
  ctx.forgetMemberships(orgId);
}
