import {
  type AcceptInvitationResult,
  type StorageCreateInvitationInput as CreateInvitationInput,
  type CreateUserFromInvitationInput,
  type CreateUserFromInvitationResult,
  INVITATION_STATUS,
  type InvitationRecord,
  type MemberRecord,
  ORGANIZATION_STATUS,
  type RenewInvitationInput,
} from "@tenantauth/core";
import { deepFreeze, detach, storageError } from "./copy.js";
import { insertMail } from "./mail.js";
import { checkRoleUsable, checkUserExists, insertMember } from "./memberships.js";
import { type InvitationRow, memberKey, nextId, type Tables } from "./state.js";
import { insertUser } from "./users.js";

const toRecord = ({ tokenHash: _, ...record }: InvitationRow): InvitationRecord => detach(record);

/** Throws what the unique index on `invitations.token_hash` would. Call it before writing anything. */
function checkTokenFree(tables: Tables, tokenHash: string): void {
  if (tables.invitationIdByToken.has(tokenHash)) throw storageError("duplicate invitation token hash");
}

/** Writes a pending invitation and its mail, revoking other pending ones for the same organization and email. */
export function createInvitation(tables: Tables, input: CreateInvitationInput): InvitationRecord {
  const { invitation, now } = input;
  if (!tables.organizations.has(invitation.orgId)) throw storageError(`no organization with id ${invitation.orgId}`);
  checkUserExists(tables, invitation.invitedBy);
  checkRoleUsable(tables, invitation.roleId, invitation.orgId);
  checkTokenFree(tables, invitation.tokenHash);
  for (const other of [...tables.invitations.values()]) {
    if (
      other.orgId === invitation.orgId &&
      other.email === invitation.email &&
      other.status === INVITATION_STATUS.pending
    ) {
      tables.invitations.set(other.id, deepFreeze({ ...other, status: INVITATION_STATUS.revoked, updatedAt: now }));
    }
  }
  const id = nextId(tables, "invitations");
  const row: InvitationRow = deepFreeze({
    id,
    orgId: invitation.orgId,
    email: invitation.email,
    roleId: invitation.roleId,
    invitedBy: invitation.invitedBy,
    status: INVITATION_STATUS.pending,
    expiresAt: invitation.expiresAt,
    createdAt: now,
    updatedAt: now,
    acceptedAt: null,
    acceptedBy: null,
    tokenHash: invitation.tokenHash,
  });
  tables.invitations.set(id, row);
  tables.invitationIdByToken.set(row.tokenHash, id);
  insertMail(tables, input.mail, now);
  return toRecord(row);
}

/** Invitations of the organization with this status, newest first. */
export function listInvitations(tables: Tables, orgId: number, status: number): InvitationRecord[] {
  return [...tables.invitations.values()]
    .filter((i) => i.orgId === orgId && i.status === status)
    .sort((a, b) => b.createdAt - a.createdAt || b.id - a.id)
    .map(toRecord);
}

/** The invitation with this id in `orgId`, or null. */
export function findInvitation(tables: Tables, orgId: number, id: number): InvitationRecord | null {
  const row = tables.invitations.get(id);
  return row && row.orgId === orgId ? toRecord(row) : null;
}

/** The invitation with this token hash, or null. */
export function findInvitationByTokenHash(tables: Tables, tokenHash: string): InvitationRecord | null {
  const id = tables.invitationIdByToken.get(tokenHash);
  const row = id === undefined ? undefined : tables.invitations.get(id);
  return row ? toRecord(row) : null;
}

/** Revokes a pending invitation of `orgId`. */
export function revokeInvitation(tables: Tables, orgId: number, id: number, now: number): boolean {
  const row = tables.invitations.get(id);
  if (!row || row.orgId !== orgId || row.status !== INVITATION_STATUS.pending) return false;
  tables.invitations.set(id, deepFreeze({ ...row, status: INVITATION_STATUS.revoked, updatedAt: now }));
  return true;
}

/** New token, expiry and mail for a pending invitation of `orgId`. */
export function renewInvitation(tables: Tables, input: RenewInvitationInput): InvitationRecord | null {
  const row = tables.invitations.get(input.invitationId);
  if (!row || row.orgId !== input.orgId || row.status !== INVITATION_STATUS.pending) return null;
  checkTokenFree(tables, input.tokenHash);
  const next: InvitationRow = deepFreeze({
    ...row,
    tokenHash: input.tokenHash,
    expiresAt: input.expiresAt,
    updatedAt: input.now,
  });
  tables.invitationIdByToken.delete(row.tokenHash);
  tables.invitationIdByToken.set(next.tokenHash, next.id);
  tables.invitations.set(next.id, next);
  insertMail(tables, input.mail, input.now);
  return toRecord(next);
}

/** The invitation with this token, unless there is none or its organization is deleted (then it counts as none). */
function findLive(tables: Tables, tokenHash: string): InvitationRow | undefined {
  const id = tables.invitationIdByToken.get(tokenHash);
  const row = id === undefined ? undefined : tables.invitations.get(id);
  const org = row ? tables.organizations.get(row.orgId) : undefined;
  return row && org?.status === ORGANIZATION_STATUS.active ? row : undefined;
}

/** Why this invitation cannot be accepted at `now`, or null when it can. */
function refusal(row: InvitationRow, now: number): "revoked" | "used" | "expired" | null {
  if (row.status === INVITATION_STATUS.revoked) return "revoked";
  if (row.status === INVITATION_STATUS.accepted) return "used";
  if (now >= row.expiresAt) return "expired";
  return null;
}

/** Marks the invitation accepted by `userId` and inserts the membership with the invitation's role. */
function accept(
  tables: Tables,
  row: InvitationRow,
  userId: number,
  now: number,
): { invitation: InvitationRecord; member: MemberRecord } {
  const accepted: InvitationRow = deepFreeze({
    ...row,
    status: INVITATION_STATUS.accepted,
    acceptedAt: now,
    acceptedBy: userId,
    updatedAt: now,
  });
  tables.invitations.set(row.id, accepted);
  const member = insertMember(tables, { orgId: row.orgId, userId, roleId: row.roleId }, now);
  return { invitation: toRecord(accepted), member: detach(member) };
}

/** Accepts an invitation for an existing user. Checks, in order: not_found, revoked/used/expired, already_member. */
export function acceptInvitation(
  tables: Tables,
  tokenHash: string,
  userId: number,
  now: number,
): AcceptInvitationResult {
  const row = findLive(tables, tokenHash);
  if (!row) return { status: "not_found" };
  const refused = refusal(row, now);
  if (refused) return { status: refused };
  checkUserExists(tables, userId);
  if (tables.memberIdByKey.has(memberKey(row.orgId, userId))) return { status: "already_member" };
  return { status: "accepted", ...accept(tables, row, userId, now) };
}

/**
 * Signup through an invitation: the user (email verified now), the acceptance and the membership. Checks, in
 * order: not_found, email_mismatch (someone else's link tells nothing about the invitation), revoked/used/expired,
 * email_taken.
 */
export function createUserFromInvitation(
  tables: Tables,
  input: CreateUserFromInvitationInput,
): CreateUserFromInvitationResult {
  const row = findLive(tables, input.tokenHash);
  if (!row) return { status: "not_found" };
  if (row.email !== input.user.email) return { status: "email_mismatch" };
  const refused = refusal(row, input.now);
  if (refused) return { status: refused };
  if (tables.userIdByEmail.has(input.user.email)) return { status: "email_taken" };
  const user = insertUser(tables, { ...input.user, emailVerifiedAt: input.now }, input.now);
  return { status: "created", user: detach(user), ...accept(tables, row, user.id, input.now) };
}
