import {
  type AcceptInvitationResult,
  type StorageCreateInvitationInput as CreateInvitationInput,
  type CreateUserFromInvitationInput,
  type CreateUserFromInvitationResult,
  INVITATION_STATUS,
  type InvitationRecord,
  ORGANIZATION_STATUS,
  type RenewInvitationInput,
} from "@tenantauth/core";
import { deepFreeze, detach, storageError } from "./copy.js";
import { insertMail } from "./mail.js";
import { checkRoleUsable, checkUserExists, insertMember } from "./memberships.js";
import { type InvitationRow, memberKey, nextId, type Tables } from "./state.js";
import { insertUser } from "./users.js";

const toRecord = ({ tokenHash: _, ...record }: InvitationRow): InvitationRecord => detach(record);

/** Writes a pending invitation and its mail, revoking other pending ones for the same organization and email. */
export function createInvitation(tables: Tables, input: CreateInvitationInput): InvitationRecord {
  const { invitation, now } = input;
  if (!tables.organizations.has(invitation.orgId)) throw storageError(`no organization with id ${invitation.orgId}`);
  checkUserExists(tables, invitation.invitedBy);
  checkRoleUsable(tables, invitation.roleId, invitation.orgId);
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

/** The live invitation with this token, or why it cannot be accepted. */
function usable(
  tables: Tables,
  tokenHash: string,
  now: number,
): InvitationRow | "not_found" | "revoked" | "used" | "expired" {
  const id = tables.invitationIdByToken.get(tokenHash);
  const row = id === undefined ? undefined : tables.invitations.get(id);
  const org = row ? tables.organizations.get(row.orgId) : undefined;
  if (!row || !org || org.status !== ORGANIZATION_STATUS.active) return "not_found";
  if (row.status === INVITATION_STATUS.revoked) return "revoked";
  if (row.status === INVITATION_STATUS.accepted) return "used";
  if (now >= row.expiresAt) return "expired";
  return row;
}

function accept(tables: Tables, row: InvitationRow, userId: number, now: number) {
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

/** Accepts an invitation for an existing user. */
export function acceptInvitation(
  tables: Tables,
  tokenHash: string,
  userId: number,
  now: number,
): AcceptInvitationResult {
  const row = usable(tables, tokenHash, now);
  if (typeof row === "string") return { status: row };
  checkUserExists(tables, userId);
  if (tables.memberIdByKey.has(memberKey(row.orgId, userId))) return { status: "already_member" };
  return { status: "accepted", ...accept(tables, row, userId, now) };
}

/** Signup through an invitation: the user (email verified), the acceptance and the membership. */
export function createUserFromInvitation(
  tables: Tables,
  input: CreateUserFromInvitationInput,
): CreateUserFromInvitationResult {
  const id = tables.invitationIdByToken.get(input.tokenHash);
  const found = id === undefined ? undefined : tables.invitations.get(id);
  if (found && found.email !== input.user.email && usable(tables, input.tokenHash, input.now) !== "not_found") {
    return { status: "email_mismatch" };
  }
  const row = usable(tables, input.tokenHash, input.now);
  if (typeof row === "string") return { status: row };
  if (tables.userIdByEmail.has(input.user.email)) return { status: "email_taken" };
  const user = insertUser(tables, { ...input.user, emailVerifiedAt: input.now }, input.now);
  return { status: "created", user: detach(user), ...accept(tables, row, user.id, input.now) };
}
