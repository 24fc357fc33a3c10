import { MAIL_STATUS, type NewMailIntent } from "@tenantauth/core";
import { type Db, insertId } from "../db.js";
import { toJson } from "../rows.js";

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
