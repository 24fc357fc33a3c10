import {
  type AcceptInvitationResult,
  type CreateUserFromInvitationInput,
  type CreateUserFromInvitationResult,
  INVITATION_STATUS,
  type InvitationRecord,
  ORGANIZATION_STATUS,
} from "@tenantauth/core";
import { atomic, ConflictSignal, type Db } from "../db.js";
import { isUniqueViolation } from "../driver-errors.js";
import { columnsAs, INVITATION_COLUMNS, num, type Row, toInvitation } from "../rows.js";
import { insertMember } from "./organizations.js";
import { insertUser } from "./users.js";

type Refusal = "not_found" | "revoked" | "used" | "expired";

/**
 * The invitation with this token, locked (FOR UPDATE) so that of concurrent acceptances exactly one finds it
 * pending; null when there is none (an invitation into a deleted organization counts as none).
 */
async function lockInvitation(db: Db, tokenHash: string): Promise<InvitationRecord | null> {
  const row = (await db
    .q({ i: db.t.invitations })
    .join({ o: db.t.organizations }, "o.id", "i.org_id")
    .where("i.token_hash", tokenHash)
    .forUpdate()
    .first({ ...columnsAs("i", "i_", INVITATION_COLUMNS), o_status: "o.status" })) as Row | undefined;
  return row && num(row.o_status) !== ORGANIZATION_STATUS.deleted ? toInvitation(row, "i_") : null;
}

/** Why a pending-looking invitation cannot be accepted at `now`, or null when it can. */
function refusal(invitation: InvitationRecord, now: number): Exclude<Refusal, "not_found"> | null {
  if (invitation.status === INVITATION_STATUS.revoked) return "revoked";
  if (invitation.status === INVITATION_STATUS.accepted) return "used";
  if (now >= invitation.expiresAt) return "expired";
  return null;
}

/** Marks the invitation accepted by `userId` and returns it as stored. */
async function markAccepted(
  db: Db,
  invitation: InvitationRecord,
  userId: number,
  now: number,
): Promise<InvitationRecord> {
  const accepted = { status: INVITATION_STATUS.accepted, accepted_at: now, accepted_by: userId, updated_at: now };
  await db.q(db.t.invitations).where({ id: invitation.id }).update(accepted);
  return { ...invitation, status: accepted.status, acceptedAt: now, acceptedBy: userId, updatedAt: now };
}

/** See TenancyStorage.acceptInvitation. */
export async function acceptInvitation(
  db: Db,
  tokenHash: string,
  userId: number,
  now: number,
): Promise<AcceptInvitationResult> {
  try {
    return await atomic(db, async (tx): Promise<AcceptInvitationResult> => {
      const invitation = await lockInvitation(tx, tokenHash);
      if (!invitation) return { status: "not_found" };
      const refused = refusal(invitation, now);
      if (refused) return { status: refused };
      const existing = await tx.q(tx.t.members).where({ org_id: invitation.orgId, user_id: userId }).first("id");
      if (existing) return { status: "already_member" };
      let member: Awaited<ReturnType<typeof insertMember>>;
      try {
        member = await insertMember(tx, invitation.orgId, userId, invitation.roleId, now);
      } catch (error) {
        // Joined another way in the meantime: roll back to the savepoint, leave the invitation pending.
        if (isUniqueViolation(error)) throw new ConflictSignal("already_member");
        throw error;
      }
      return { status: "accepted", invitation: await markAccepted(tx, invitation, userId, now), member };
    });
  } catch (error) {
    if (error instanceof ConflictSignal) return { status: "already_member" };
    throw error;
  }
}

/**
 * See TenancyStorage.createUserFromInvitation. Checks, in order: not_found, email_mismatch (someone else's
 * link says nothing about the invitation), revoked, used, expired, then email_taken (by the unique index, as for any signup). The user's email counts as verified
 * from `now` unless the input says otherwise.
 */
export async function createUserFromInvitation(
  db: Db,
  input: CreateUserFromInvitationInput,
): Promise<CreateUserFromInvitationResult> {
  try {
    return await atomic(db, async (tx): Promise<CreateUserFromInvitationResult> => {
      const invitation = await lockInvitation(tx, input.tokenHash);
      if (!invitation) return { status: "not_found" };
      if (invitation.email !== input.user.email) return { status: "email_mismatch" };
      const refused = refusal(invitation, input.now);
      if (refused) return { status: refused };
      const user = await insertUser(
        tx,
        { ...input.user, emailVerifiedAt: input.user.emailVerifiedAt ?? input.now },
        input.now,
      );
      const member = await insertMember(tx, invitation.orgId, user.id, invitation.roleId, input.now);
      return {
        status: "created",
        user,
        invitation: await markAccepted(tx, invitation, user.id, input.now),
        member,
      };
    });
  } catch (error) {
    if (error instanceof ConflictSignal) return { status: "email_taken" };
    throw error;
  }
}
