import {
  type ClaimMailInput,
  MAIL_STATUS,
  type MailFailure,
  type MailIntentRecord,
  type NewMailIntent,
} from "@tenantauth/core";
import { type Db, insertId } from "../db.js";
import { jsonObject, num, numOrNull, type Row, toJson } from "../rows.js";

/** Queues a mail intent (pending, no attempts yet). Call it inside the transaction of the change that causes it. */
export async function insertMailIntent(db: Db, mail: NewMailIntent, now: number): Promise<number> {
  return insertId(db, db.t.mailOutbox, {
    template: mail.template,
    recipient: mail.recipient,
    payload: toJson(mail.payload),
    status: MAIL_STATUS.pending,
    attempts: 0,
    available_at: mail.availableAt,
    created_at: now,
    updated_at: now,
    sent_at: null,
    last_error: null,
  });
}

/** See MailStorage.enqueueMail. */
export const enqueueMail = (db: Db, mail: NewMailIntent, now: number): Promise<number> =>
  insertMailIntent(db, mail, now);

const toIntent = (row: Row): MailIntentRecord => ({
  id: num(row.id),
  template: String(row.template),
  recipient: String(row.recipient),
  payload: jsonObject(row.payload),
  status: num(row.status),
  attempts: num(row.attempts),
  lastError: row.last_error === null || row.last_error === undefined ? null : String(row.last_error),
  availableAt: num(row.available_at),
  createdAt: num(row.created_at),
  sentAt: numOrNull(row.sent_at),
});

/** Pending, due, and not held by a live claim. */
const claimable = (db: Db, now: number) =>
  db
    .q(db.t.mailOutbox)
    .where("status", MAIL_STATUS.pending)
    .where("available_at", "<=", now)
    .where((w) => w.whereNull("claimed_until").orWhere("claimed_until", "<", now));

/**
 * See MailStorage.claimMail. Each candidate is taken with a conditional UPDATE that only succeeds while it is
 * still claimable, so two deliverers racing for one intent cannot both win it.
 */
export async function claimMail(db: Db, input: ClaimMailInput): Promise<MailIntentRecord[]> {
  const candidates = (await claimable(db, input.now).orderBy("id").limit(input.limit).select("id")) as Row[];
  const claimed: number[] = [];
  for (const { id } of candidates) {
    const won = await claimable(db, input.now)
      .where("id", num(id))
      .update({ claim_id: input.claimId, claimed_until: input.now + input.leaseMs });
    if (won === 1) claimed.push(num(id));
  }
  if (claimed.length === 0) return [];
  const rows = (await db.q(db.t.mailOutbox).whereIn("id", claimed).orderBy("id")) as Row[];
  return rows.map(toIntent);
}

/** See MailStorage.markMailSent. */
export async function markMailSent(db: Db, id: number, claimId: string, now: number): Promise<boolean> {
  const changed = await db
    .q(db.t.mailOutbox)
    .where({ id, claim_id: claimId, status: MAIL_STATUS.pending })
    .update({
      status: MAIL_STATUS.sent,
      sent_at: now,
      updated_at: now,
      payload: toJson({}),
      attempts: db.root.raw("attempts + 1"),
      claim_id: null,
      claimed_until: null,
    });
  return changed === 1;
}

/** See MailStorage.markMailFailed. */
export async function markMailFailed(db: Db, id: number, claimId: string, failure: MailFailure): Promise<boolean> {
  const changed = await db
    .q(db.t.mailOutbox)
    .where({ id, claim_id: claimId, status: MAIL_STATUS.pending })
    .update({
      attempts: db.root.raw("attempts + 1"),
      last_error: failure.error.slice(0, 500),
      updated_at: failure.now,
      claim_id: null,
      claimed_until: null,
      ...(failure.retryAt === null
        ? { status: MAIL_STATUS.failed, payload: toJson({}) }
        : { available_at: failure.retryAt }),
    });
  return changed === 1;
}

/** See MailStorage.listMail. */
export async function listMail(
  db: Db,
  filter: { status?: number; recipient?: string; limit: number },
): Promise<MailIntentRecord[]> {
  let query = db.q(db.t.mailOutbox).orderBy("id", "desc").limit(filter.limit);
  if (filter.status !== undefined) query = query.where("status", filter.status);
  if (filter.recipient !== undefined) query = query.where("recipient", filter.recipient);
  return ((await query) as Row[]).map(toIntent);
}
