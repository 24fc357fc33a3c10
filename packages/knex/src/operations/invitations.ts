import {
  type StorageCreateInvitationInput as CreateInvitationInput,
  INVITATION_STATUS,
  type InvitationRecord,
  type RenewInvitationInput,
} from "@tenantauth/core";
import { atomic, type Db, insertId } from "../db.js";
import { type Row, toInvitation } from "../rows.js";
import { insertMailIntent } from "./outbox.js";

/** The invitation with this id (any organization), or null. */
async function invitationById(db: Db, id: number): Promise<InvitationRecord | null> {
  const row = (await db.q(db.t.invitations).where({ id }).first()) as Row | undefined;
  return row ? toInvitation(row) : null;
}

/**
 * See TenancyStorage.createInvitation. The organization row is locked first, so two invitations of one email
 * cannot both stay pending.
 */
export function createInvitation(db: Db, input: CreateInvitationInput): Promise<InvitationRecord> {
  const { invitation: i, now } = input;
  return atomic(db, async (tx) => {
    await tx.q(tx.t.organizations).where({ id: i.orgId }).forUpdate().first("id");
    await tx
      .q(tx.t.invitations)
      .where({ org_id: i.orgId, email: i.email, status: INVITATION_STATUS.pending })
      .update({ status: INVITATION_STATUS.revoked, updated_at: now });
    const row: Row = {
      org_id: i.orgId,
      email: i.email,
      role_id: i.roleId,
      invited_by: i.invitedBy,
      token_hash: i.tokenHash,
      status: INVITATION_STATUS.pending,
      expires_at: i.expiresAt,
      created_at: now,
      updated_at: now,
      accepted_at: null,
      accepted_by: null,
    };
    const id = await insertId(tx, tx.t.invitations, row);
    await insertMailIntent(tx, input.mail, now);
    return toInvitation({ ...row, id });
  });
}

/** See TenancyStorage.listInvitations: newest first, on invitations(org_id, status, …). */
export async function listInvitations(db: Db, orgId: number, status: number): Promise<InvitationRecord[]> {
  const rows = (await db
    .q(db.t.invitations)
    .where({ org_id: orgId, status })
    .orderBy([
      { column: "created_at", order: "desc" },
      { column: "id", order: "desc" },
    ])) as Row[];
  return rows.map((row) => toInvitation(row));
}

/** See TenancyStorage.findInvitation. */
export async function findInvitation(db: Db, orgId: number, invitationId: number): Promise<InvitationRecord | null> {
  const row = (await db.q(db.t.invitations).where({ id: invitationId, org_id: orgId }).first()) as Row | undefined;
  return row ? toInvitation(row) : null;
}

/** See TenancyStorage.findInvitationByTokenHash. */
export async function findInvitationByTokenHash(db: Db, tokenHash: string): Promise<InvitationRecord | null> {
  const row = (await db.q(db.t.invitations).where({ token_hash: tokenHash }).first()) as Row | undefined;
  return row ? toInvitation(row) : null;
}

/** See TenancyStorage.revokeInvitation: pending (expired or not) becomes revoked. */
export async function revokeInvitation(db: Db, orgId: number, invitationId: number, now: number): Promise<boolean> {
  const updated = await db
    .q(db.t.invitations)
    .where({ id: invitationId, org_id: orgId, status: INVITATION_STATUS.pending })
    .update({ status: INVITATION_STATUS.revoked, updated_at: now });
  return updated > 0;
}

/** See TenancyStorage.renewInvitation: new token, expiry and mail intent, atomically. */
export function renewInvitation(db: Db, input: RenewInvitationInput): Promise<InvitationRecord | null> {
  return atomic(db, async (tx) => {
    const updated = await tx
      .q(tx.t.invitations)
      .where({ id: input.invitationId, org_id: input.orgId, status: INVITATION_STATUS.pending })
      .update({ token_hash: input.tokenHash, expires_at: input.expiresAt, updated_at: input.now });
    if (updated === 0) return null;
    await insertMailIntent(tx, input.mail, input.now);
    return invitationById(tx, input.invitationId);
  });
}
