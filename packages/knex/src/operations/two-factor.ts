import type {
  EnableTwoFactorInput,
  NewTwoFactorChallenge,
  SpendChallengeAttemptResult,
  TwoFactorRecord,
} from "@tenantauth/core";
import { atomic, type Db } from "../db.js";
import { num, numOrNull, type Row } from "../rows.js";

const toTwoFactor = (row: Row): TwoFactorRecord => ({
  userId: num(row.user_id),
  sealedSecret: String(row.sealed_secret),
  enabledAt: numOrNull(row.enabled_at),
  lastUsedStep: numOrNull(row.last_used_step),
  createdAt: num(row.created_at),
  updatedAt: num(row.updated_at),
});

/** See TwoFactorStorage.findTwoFactor: by primary key. */
export async function findTwoFactor(db: Db, userId: number): Promise<TwoFactorRecord | null> {
  const row = (await db.q(db.t.twoFactor).where({ user_id: userId }).first()) as Row | undefined;
  return row ? toTwoFactor(row) : null;
}

/** See TwoFactorStorage.savePendingTwoFactor: the user's row is locked, then replaced unless enabled. */
export async function savePendingTwoFactor(
  db: Db,
  userId: number,
  sealedSecret: string,
  now: number,
): Promise<boolean> {
  return atomic(db, async (tx) => {
    const row = (await tx.q(tx.t.twoFactor).where({ user_id: userId }).forUpdate().first()) as Row | undefined;
    if (row && numOrNull(row.enabled_at) !== null) return false;
    if (row) await tx.q(tx.t.twoFactor).where({ user_id: userId }).delete();
    await tx.q(tx.t.twoFactor).insert({
      user_id: userId,
      sealed_secret: sealedSecret,
      enabled_at: null,
      last_used_step: null,
      created_at: now,
      updated_at: now,
    });
    return true;
  });
}

/** See TwoFactorStorage.enableTwoFactor: a conditional update decides the winner, then the codes are replaced. */
export async function enableTwoFactor(db: Db, input: EnableTwoFactorInput): Promise<boolean> {
  return atomic(db, async (tx) => {
    const enabled = await tx
      .q(tx.t.twoFactor)
      .where({ user_id: input.userId })
      .whereNull("enabled_at")
      .update({ enabled_at: input.now, last_used_step: input.step, updated_at: input.now });
    if (enabled !== 1) return false;
    await tx.q(tx.t.twoFactorBackupCodes).where({ user_id: input.userId }).delete();
    if (input.backupCodeHashes.length > 0) {
      await tx.q(tx.t.twoFactorBackupCodes).insert(
        input.backupCodeHashes.map((hash) => ({
          code_hash: hash,
          user_id: input.userId,
          used_at: null,
          created_at: input.now,
        })),
      );
    }
    return true;
  });
}

/** See TwoFactorStorage.deleteTwoFactor. */
export async function deleteTwoFactor(db: Db, userId: number): Promise<boolean> {
  return atomic(db, async (tx) => {
    await tx.q(tx.t.twoFactorChallenges).where({ user_id: userId }).delete();
    await tx.q(tx.t.twoFactorBackupCodes).where({ user_id: userId }).delete();
    return (await tx.q(tx.t.twoFactor).where({ user_id: userId }).delete()) > 0;
  });
}

/** See TwoFactorStorage.recordTotpStep: one conditional update, so exactly one caller records a step. */
export async function recordTotpStep(db: Db, userId: number, step: number, now: number): Promise<boolean> {
  const updated = await db
    .q(db.t.twoFactor)
    .where({ user_id: userId })
    .andWhere((w) => w.whereNull("last_used_step").orWhere("last_used_step", "<", step))
    .update({ last_used_step: step, updated_at: now });
  return updated === 1;
}

/** See TwoFactorStorage.consumeBackupCode: one conditional update. */
export async function consumeBackupCode(db: Db, userId: number, codeHash: string, now: number): Promise<boolean> {
  const updated = await db
    .q(db.t.twoFactorBackupCodes)
    .where({ code_hash: codeHash, user_id: userId })
    .whereNull("used_at")
    .update({ used_at: now });
  return updated === 1;
}

/** See TwoFactorStorage.countBackupCodes. */
export async function countBackupCodes(db: Db, userId: number): Promise<number> {
  const row = (await db
    .q(db.t.twoFactorBackupCodes)
    .where({ user_id: userId })
    .whereNull("used_at")
    .count({ n: "*" })
    .first()) as Row | undefined;
  return num(row?.n ?? 0);
}

/** See TwoFactorStorage.createTwoFactorChallenge. */
export async function createTwoFactorChallenge(db: Db, input: NewTwoFactorChallenge): Promise<void> {
  await db.q(db.t.twoFactorChallenges).insert({
    challenge_hash: input.challengeHash,
    user_id: input.userId,
    expires_at: input.expiresAt,
    attempts: 0,
    completed_at: null,
    created_at: input.now,
  });
}

/** See TwoFactorStorage.spendChallengeAttempt: the row is locked, checked and counted in one transaction. */
export async function spendChallengeAttempt(
  db: Db,
  challengeHash: string,
  now: number,
  maxAttempts: number,
): Promise<SpendChallengeAttemptResult> {
  return atomic(db, async (tx): Promise<SpendChallengeAttemptResult> => {
    const row = (await tx.q(tx.t.twoFactorChallenges).where({ challenge_hash: challengeHash }).forUpdate().first()) as
      | Row
      | undefined;
    if (!row) return { status: "not_found" };
    if (numOrNull(row.completed_at) !== null) return { status: "completed" };
    if (num(row.attempts) >= maxAttempts) return { status: "locked" };
    if (now >= num(row.expires_at)) return { status: "expired" };
    const counted = await tx
      .q(tx.t.twoFactorChallenges)
      .where({ challenge_hash: challengeHash })
      .whereNull("completed_at")
      .where("attempts", "<", maxAttempts)
      .increment("attempts", 1);
    if (counted !== 1) return { status: "locked" };
    return { status: "ok", userId: num(row.user_id), attempts: num(row.attempts) + 1 };
  });
}

/** See TwoFactorStorage.completeTwoFactorChallenge: one conditional update. */
export async function completeTwoFactorChallenge(db: Db, challengeHash: string, now: number): Promise<boolean> {
  const updated = await db
    .q(db.t.twoFactorChallenges)
    .where({ challenge_hash: challengeHash })
    .whereNull("completed_at")
    .update({ completed_at: now });
  return updated === 1;
}
