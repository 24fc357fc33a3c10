import * as z from "zod";
import { emailSchema, presentedTokenSchema } from "../accounts/schemas.js";
import { type AuditTransaction, auditedTransaction, byCallerIn, metaOf, recordEvent } from "../audit/record.js";
import { AuthError } from "../errors.js";
import type { AuthContext } from "../internal/context.js";
import { hashToken, randomToken } from "../internal/crypto.js";
import { parseInput } from "../internal/validate.js";
import { mailIntent } from "../mail/intents.js";
import { deliverSoon } from "../mail/outbox.js";
import { INVITATION_STATUS, type InvitationRecord, type NewMailIntent } from "../ports/records.js";
import type { StorageAdapter } from "../ports/storage.js";
import type { AcceptInvitationResult, Membership } from "../ports/tenancy-storage.js";
import type { Principal, UserPrincipal } from "../sessions/access-token.js";
import { assertNotImpersonating, assertPrincipal } from "../sessions/principal.js";
import { membershipRevocation, publishRevocations } from "../sessions/revocations.js";
import { enforceLimit } from "./limits.js";
import { assertNoEscalation, idSchema, requireMembership } from "./permissions.js";

/** Bits of randomness in an invitation token. */
export const INVITATION_TOKEN_BITS = 256;

/** An invitation as the SDK shows it (never its token). */
export interface Invitation {
  id: number;
  orgId: number;
  email: string;
  roleId: number;
  invitedBy: number;
  status: "pending" | "accepted" | "revoked" | "expired";
  expiresAt: number;
  createdAt: number;
}

/**
 * A new or renewed invitation. Its token is not here: it leaves only in the invitation mail to the invitee (only its
 * hash is stored), since a token in the inviter's hands would prove nothing about the invitee's mailbox.
 */
export interface IssuedInvitation {
  invitation: Invitation;
}

/** Input of `auth.invitations.create()`. */
export interface CreateInvitationInput {
  email: string;
  roleId: number;
}

/** Maps a stored invitation to its public shape; a pending one past its expiry shows as `expired`. */
export function toPublicInvitation(record: InvitationRecord, now: number): Invitation {
  const status =
    record.status === INVITATION_STATUS.accepted
      ? "accepted"
      : record.status === INVITATION_STATUS.revoked
        ? "revoked"
        : record.expiresAt <= now
          ? "expired"
          : "pending";
  return {
    id: record.id,
    orgId: record.orgId,
    email: record.email,
    roleId: record.roleId,
    invitedBy: record.invitedBy,
    status,
    expiresAt: record.expiresAt,
    createdAt: record.createdAt,
  };
}

const createSchema = z.strictObject({ email: emailSchema, roleId: idSchema });

/** The outbox intent of an invitation mail; the token travels sealed. */
async function invitationMail(
  ctx: AuthContext,
  caller: Membership,
  inviter: UserPrincipal,
  email: string,
  roleName: string,
  token: string,
  now: number,
): Promise<NewMailIntent> {
  return mailIntent(
    ctx,
    "invitation",
    { email, token, organizationName: caller.organization.name, roleName, invitedByEmail: inviter.email },
    now,
  );
}

/**
 * Invites an email into the organization with a role. Needs `member:invite`, and the role must be one the caller
 * could grant. Replaces any pending invitation for the same email. The mail intent, which alone carries the token,
 * is queued in the same transaction. An impersonation token is refused (`IMPERSONATION_NOT_ALLOWED`).
 * Throttled per organization and per inviter (`rateLimit.invitations`).
 */
export async function createInvitation(
  ctx: AuthContext,
  principal: Principal,
  orgId: number,
  input: CreateInvitationInput,
): Promise<IssuedInvitation> {
  assertPrincipal(principal);
  assertNotImpersonating(principal, "invite");
  const caller = await requireMembership(ctx, principal, orgId, "member:invite");
  const data = parseInput(createSchema, input);
  const role = await ctx.storage.findRole(caller.organization.id, data.roleId);
  if (!role) throw new AuthError("NOT_FOUND", "No such role in this organization");
  assertNoEscalation(caller.role, role, "invite with a role that has permissions you do not hold");
  const existing = await ctx.storage.findUserByEmail(data.email);
  if (existing && (await ctx.storage.findMembership(caller.organization.id, existing.id))) {
    throw new AuthError("ALREADY_MEMBER", "That person is already a member of this organization");
  }
  const org = caller.organization.id;
  await ctx.throttle.invitationMail(org, principal.userId);
  const now = ctx.clock.now();
  const token = randomToken(ctx.random, INVITATION_TOKEN_BITS);
  const mail = await invitationMail(ctx, caller, principal, data.email, role.name, token, now);
  const invitation = await auditedTransaction(ctx, async (tx) => {
    const created = await tx.storage.createInvitation({
      invitation: {
        orgId: org,
        email: data.email,
        roleId: role.id,
        invitedBy: principal.userId,
        tokenHash: hashToken(token),
        expiresAt: now + ctx.options.invitations.ttlSeconds * 1000,
      },
      mail,
      now,
    });
    // Without an invitationLimit this returns before counting.
    await enforceLimit(ctx, tx.storage, "invitationLimit", { orgId: org }, (t) => t.countPendingInvitations(org, now));
    await recordInvitation(ctx, tx, principal, created, false);
    return created;
  });
  deliverSoon(ctx);
  return { invitation: toPublicInvitation(invitation, now) };
}

/** Pending (including expired-but-pending) invitations of the organization. Needs `member:invite`. */
export async function listInvitations(ctx: AuthContext, principal: Principal, orgId: number): Promise<Invitation[]> {
  const caller = await requireMembership(ctx, principal, orgId, "member:invite");
  const now = ctx.clock.now();
  return (await ctx.storage.listInvitations(caller.organization.id, INVITATION_STATUS.pending)).map((i) =>
    toPublicInvitation(i, now),
  );
}

/** Revokes a pending invitation. Needs `member:invite`. */
export async function revokeInvitation(
  ctx: AuthContext,
  principal: Principal,
  orgId: number,
  invitationId: number,
): Promise<void> {
  const caller = await requireMembership(ctx, principal, orgId, "member:invite");
  const id = parseInput(idSchema, invitationId);
  const org = caller.organization.id;
  await auditedTransaction(ctx, async (tx) => {
    if (!(await tx.storage.revokeInvitation(org, id, ctx.clock.now()))) {
      throw new AuthError("INVITATION_NOT_FOUND", "No pending invitation with that id in this organization");
    }
    await recordEvent(
      ctx,
      { type: "invitation.revoke", ...byCallerIn(principal, org), data: { invitationId: id } },
      tx,
    );
  });
}

/** Records `invitation.create` for a new or renewed invitation. */
async function recordInvitation(
  ctx: AuthContext,
  tx: AuditTransaction,
  principal: Principal,
  invitation: InvitationRecord,
  resent: boolean,
): Promise<void> {
  const data = { invitationId: invitation.id, email: invitation.email, roleId: invitation.roleId, resent };
  await recordEvent(ctx, { type: "invitation.create", ...byCallerIn(principal, invitation.orgId), data }, tx);
}

/**
 * Issues a new token and expiry for a pending invitation and queues the mail (the token's only way out) again.
 * Needs `member:invite`; an impersonation token is refused (`IMPERSONATION_NOT_ALLOWED`).
 * Throttled per invitation, per inviter and per organization (`rateLimit.invitations`).
 */
export async function resendInvitation(
  ctx: AuthContext,
  principal: Principal,
  orgId: number,
  invitationId: number,
): Promise<IssuedInvitation> {
  assertPrincipal(principal);
  assertNotImpersonating(principal, "invite");
  const caller = await requireMembership(ctx, principal, orgId, "member:invite");
  const id = parseInput(idSchema, invitationId);
  const found = await ctx.storage.findInvitation(caller.organization.id, id);
  const pending = found?.status === INVITATION_STATUS.pending ? found : null;
  const role = pending ? await ctx.storage.findRole(caller.organization.id, pending.roleId) : null;
  if (!pending || !role) throw new AuthError("INVITATION_NOT_FOUND", "No pending invitation with that id");
  assertNoEscalation(caller.role, role, "resend an invitation with a role that has permissions you do not hold");
  await ctx.throttle.invitationMail(caller.organization.id, principal.userId, id);
  const now = ctx.clock.now();
  const token = randomToken(ctx.random, INVITATION_TOKEN_BITS);
  const mail = await invitationMail(ctx, caller, principal, pending.email, role.name, token, now);
  const renewed = await auditedTransaction(ctx, async (tx) => {
    const result = await tx.storage.renewInvitation({
      orgId: caller.organization.id,
      invitationId: id,
      tokenHash: hashToken(token),
      expiresAt: now + ctx.options.invitations.ttlSeconds * 1000,
      mail,
      now,
    });
    if (!result) throw new AuthError("INVITATION_NOT_FOUND", "No pending invitation with that id");
    await recordInvitation(ctx, tx, principal, result, true);
    return result;
  });
  deliverSoon(ctx);
  return { invitation: toPublicInvitation(renewed, now) };
}

/** Inside the transaction that added a member: `LIMIT_REACHED` (rolling it back) when past `membershipLimit`. */
export async function enforceMembershipLimit(
  ctx: AuthContext,
  tx: StorageAdapter,
  orgId: number,
  userId: number,
): Promise<void> {
  await enforceLimit(ctx, tx, "membershipLimit", { orgId, userId }, (t) => t.countMembers(orgId));
}

/** Turns a non-accepted outcome into its distinct error. */
export function invitationError(status: Exclude<AcceptInvitationResult["status"], "accepted">): AuthError {
  switch (status) {
    case "already_member":
      return new AuthError("ALREADY_MEMBER", "You are already a member of this organization");
    case "used":
      return new AuthError("INVITATION_USED", "This invitation was already accepted");
    case "revoked":
      return new AuthError("INVITATION_REVOKED", "This invitation was revoked");
    case "expired":
      return new AuthError("INVITATION_EXPIRED", "This invitation has expired: ask for a new one");
    default:
      return new AuthError("INVITATION_NOT_FOUND", "No invitation has this token");
  }
}

/**
 * Accepts an invitation as the signed-in user, whose verified email must be the invited one.
 * Returns the organization id joined.
 */
export async function acceptInvitation(
  ctx: AuthContext,
  principal: Principal,
  token: string,
): Promise<{ orgId: number; roleId: number }> {
  assertPrincipal(principal);
  const tokenHash = hashToken(parseInput(presentedTokenSchema, token));
  const [invitation, user] = await Promise.all([
    ctx.storage.findInvitationByTokenHash(tokenHash),
    ctx.storage.findUserById(principal.userId),
  ]);
  if (!invitation || !user) throw invitationError("not_found");
  if (invitation.email !== user.email) {
    throw new AuthError("INVITATION_EMAIL_MISMATCH", "This invitation was sent to another email address");
  }
  if (user.emailVerifiedAt === null) {
    throw new AuthError("EMAIL_NOT_VERIFIED", "Verify your email address before accepting an invitation");
  }
  const now = ctx.clock.now();
  const member = await auditedTransaction(ctx, async (tx) => {
    const result = await tx.storage.acceptInvitation(tokenHash, user.id, now);
    if (result.status !== "accepted") throw invitationError(result.status);
    const { orgId, roleId } = result.member;
    await enforceMembershipLimit(ctx, tx.storage, orgId, user.id); // as signup through an invitation does
    // Replaces an earlier removal's record, so the new membership's `org` claims work at once.
    await publishRevocations(ctx, tx.storage, [membershipRevocation(orgId, user.id, roleId)]);
    const event = { actorUserId: user.id, orgId, data: { roleId }, meta: metaOf(principal) };
    await recordEvent(ctx, { type: "invitation.accept", ...event }, tx);
    return result.member;
  });
  ctx.forgetMemberships(member.orgId);
  return { orgId: member.orgId, roleId: member.roleId };
}
