import {
  type ClaimMailInput,
  type ConsumeTokenResult,
  type CreateVerificationTokenInput,
  MAIL_STATUS,
  type MailFailure,
  type MailIntentRecord,
  type NewMailIntent,
  type TokenPurpose,
} from "@tenantauth/core";
import { deepFreeze, detach, jsonColumn, storageError } from "./copy.js";
import { type MailRow, nextId, type Tables } from "./state.js";

const toRecord = ({ claimId: _c, claimedUntil: _u, ...record }: MailRow): MailIntentRecord => detach(record);

/** Writes a pending mail intent; returns its id. */
export function insertMail(tables: Tables, mail: NewMailIntent, now: number): number {
  const id = nextId(tables, "mail");
  tables.mailOutbox.set(
    id,
    deepFreeze({
      id,
      template: mail.template,
      recipient: mail.recipient,
      payload: jsonColumn(mail.payload),
      status: MAIL_STATUS.pending,
      attempts: 0,
      lastError: null,
      availableAt: mail.availableAt,
      createdAt: now,
      sentAt: null,
      claimId: null,
      claimedUntil: null,
    }),
  );
  return id;
}

/** Supersedes the user's unspent tokens of the purpose, then stores the new one and its mail. */
export function createVerificationToken(tables: Tables, input: CreateVerificationTokenInput): void {
  if (!tables.users.has(input.userId)) throw storageError(`no user with id ${input.userId}`);
  if (tables.verificationTokens.has(input.tokenHash)) throw storageError("duplicate token hash");
  for (const [hash, row] of [...tables.verificationTokens]) {
    if (
      row.userId === input.userId &&
      row.purpose === input.purpose &&
      row.usedAt === null &&
      row.supersededAt === null
    ) {
      tables.verificationTokens.set(hash, deepFreeze({ ...row, supersededAt: input.now }));
    }
  }
  tables.verificationTokens.set(
    input.tokenHash,
    deepFreeze({
      purpose: input.purpose,
      userId: input.userId,
      expiresAt: input.expiresAt,
      createdAt: input.now,
      usedAt: null,
      supersededAt: null,
    }),
  );
  insertMail(tables, input.mail, input.now);
}

/** Supersedes every unspent token of the user (any purpose); returns how many. */
export function supersedeUserTokens(tables: Tables, userId: number, now: number): number {
  let count = 0;
  for (const [hash, row] of [...tables.verificationTokens]) {
    if (row.userId === userId && row.usedAt === null && row.supersededAt === null) {
      tables.verificationTokens.set(hash, deepFreeze({ ...row, supersededAt: now }));
      count++;
    }
  }
  return count;
}

/** Spends a token; synchronous, so exactly one of concurrent callers consumes it. */
export function consumeVerificationToken(
  tables: Tables,
  tokenHash: string,
  purpose: TokenPurpose,
  now: number,
): ConsumeTokenResult {
  const row = tables.verificationTokens.get(tokenHash);
  if (!row || row.purpose !== purpose) return { status: "not_found" };
  if (row.usedAt !== null) return { status: "used" };
  if (row.supersededAt !== null) return { status: "superseded" };
  if (now >= row.expiresAt) return { status: "expired" };
  tables.verificationTokens.set(tokenHash, deepFreeze({ ...row, usedAt: now }));
  return { status: "consumed", userId: row.userId };
}

/** Claims due, unclaimed (or lapsed) pending intents, oldest first. */
export function claimMail(tables: Tables, input: ClaimMailInput): MailIntentRecord[] {
  const due = [...tables.mailOutbox.values()]
    .filter(
      (m) =>
        m.status === MAIL_STATUS.pending &&
        m.availableAt <= input.now &&
        (m.claimedUntil === null || m.claimedUntil < input.now),
    )
    .sort((a, b) => a.id - b.id)
    .slice(0, input.limit);
  return due.map((m) => {
    const claimed = deepFreeze({ ...m, claimId: input.claimId, claimedUntil: input.now + input.leaseMs });
    tables.mailOutbox.set(m.id, claimed);
    return toRecord(claimed);
  });
}

/** Marks a claimed intent sent and clears its payload. */
export function markMailSent(tables: Tables, id: number, claimId: string, now: number): boolean {
  const row = tables.mailOutbox.get(id);
  if (!row || row.claimId !== claimId || row.status !== MAIL_STATUS.pending) return false;
  tables.mailOutbox.set(
    id,
    deepFreeze({
      ...row,
      status: MAIL_STATUS.sent,
      sentAt: now,
      payload: {},
      attempts: row.attempts + 1,
      claimId: null,
      claimedUntil: null,
    }),
  );
  return true;
}

/** Records a failed attempt and releases the claim (or gives up). */
export function markMailFailed(tables: Tables, id: number, claimId: string, failure: MailFailure): boolean {
  const row = tables.mailOutbox.get(id);
  if (!row || row.claimId !== claimId || row.status !== MAIL_STATUS.pending) return false;
  tables.mailOutbox.set(
    id,
    deepFreeze({
      ...row,
      attempts: row.attempts + 1,
      lastError: failure.error.slice(0, 500),
      claimId: null,
      claimedUntil: null,
      ...(failure.retryAt === null ? { status: MAIL_STATUS.failed, payload: {} } : { availableAt: failure.retryAt }),
    }),
  );
  return true;
}

/** Intents, newest first. */
export function listMail(
  tables: Tables,
  filter: { status?: number; recipient?: string; limit: number },
): MailIntentRecord[] {
  return [...tables.mailOutbox.values()]
    .filter(
      (m) =>
        (filter.status === undefined || m.status === filter.status) &&
        (filter.recipient === undefined || m.recipient === filter.recipient),
    )
    .sort((a, b) => b.id - a.id)
    .slice(0, filter.limit)
    .map(toRecord);
}
