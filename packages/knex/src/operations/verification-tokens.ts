import type { ConsumeTokenResult, CreateVerificationTokenInput, TokenPurpose } from "@tenantauth/core";
import { atomic, type Db } from "../db.js";
import { num, numOrNull, type Row } from "../rows.js";
import { insertMailIntent } from "./outbox.js";

/**
 * See MailStorage.createVerificationToken: supersede older unspent tokens, insert the new one and its mail.
 * Calls for one user are serialized by a lock on the user's row (by primary key). The older tokens are then found
 * with a plain read and superseded by primary key: an UPDATE by (user_id, purpose) would take InnoDB gap locks
 * even when it matches nothing (every signup), and concurrent signups' inserts into that index then deadlock.
 */
export async function createVerificationToken(db: Db, input: CreateVerificationTokenInput): Promise<void> {
  await atomic(db, async (tx) => {
    if (tx.dialect !== "sqlite") await tx.q(tx.t.users).where({ id: input.userId }).forUpdate().first("id");
    const older = (await tx
      .q(tx.t.verificationTokens)
      .where({ user_id: input.userId, purpose: input.purpose })
      .whereNull("used_at")
      .whereNull("superseded_at")
      .select("token_hash")) as Row[];
    if (older.length > 0) {
      await tx
        .q(tx.t.verificationTokens)
        .whereIn(
          "token_hash",
          older.map((row) => String(row.token_hash)),
        )
        .whereNull("used_at")
        .update({ superseded_at: input.now });
    }
    await tx.q(tx.t.verificationTokens).insert({
      token_hash: input.tokenHash,
      purpose: input.purpose,
      user_id: input.userId,
      expires_at: input.expiresAt,
      created_at: input.now,
      used_at: null,
      superseded_at: null,
    });
    await insertMailIntent(tx, input.mail, input.now);
  });
}

/**
 * See MailStorage.consumeVerificationToken. The token row is locked (FOR UPDATE where the dialect has it) and
 * spent with a conditional update, so of concurrent calls exactly one consumes it.
 */
export async function consumeVerificationToken(
  db: Db,
  tokenHash: string,
  purpose: TokenPurpose,
  now: number,
): Promise<ConsumeTokenResult> {
  return atomic(db, async (tx): Promise<ConsumeTokenResult> => {
    const row = (await tx.q(tx.t.verificationTokens).where({ token_hash: tokenHash, purpose }).forUpdate().first()) as
      | Row
      | undefined;
    if (!row) return { status: "not_found" };
    if (numOrNull(row.used_at) !== null) return { status: "used" };
    if (numOrNull(row.superseded_at) !== null) return { status: "superseded" };
    if (now >= num(row.expires_at)) return { status: "expired" };
    const spent = await tx
      .q(tx.t.verificationTokens)
      .where({ token_hash: tokenHash })
      .whereNull("used_at")
      .update({ used_at: now });
    return spent === 1 ? { status: "consumed", userId: num(row.user_id) } : { status: "used" };
  });
}

/**
 * See MailStorage.supersedeUserTokens. Like createVerificationToken, the user's row is locked first and the tokens
 * are superseded by primary key (no UPDATE by user_id, whose gap locks deadlock with concurrent signups on InnoDB).
 */
export async function supersedeUserTokens(db: Db, userId: number, now: number): Promise<number> {
  return atomic(db, async (tx) => {
    if (tx.dialect !== "sqlite") await tx.q(tx.t.users).where({ id: userId }).forUpdate().first("id");
    const live = (await tx
      .q(tx.t.verificationTokens)
      .where({ user_id: userId })
      .whereNull("used_at")
      .whereNull("superseded_at")
      .select("token_hash")) as Row[];
    if (live.length === 0) return 0;
    return tx
      .q(tx.t.verificationTokens)
      .whereIn(
        "token_hash",
        live.map((row) => String(row.token_hash)),
      )
      .whereNull("used_at")
      .whereNull("superseded_at")
      .update({ superseded_at: now });
  });
}
