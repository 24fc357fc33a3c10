import type {
  EnableTwoFactorInput,
  NewTwoFactorChallenge,
  SpendChallengeAttemptResult,
  TwoFactorRecord,
} from "@tenantauth/core";
import { deepFreeze, detach, storageError } from "./copy.js";
import { checkUserExists } from "./memberships.js";
import type { Tables } from "./state.js";

/** A row of `two_factor_backup_codes`, keyed by the code's SHA-256. */
export interface BackupCodeRow {
  userId: number;
  usedAt: number | null;
}

/** A row of `two_factor_challenges`, keyed by the challenge's SHA-256. */
export interface ChallengeRow {
  userId: number;
  expiresAt: number;
  attempts: number;
  completedAt: number | null;
}

/** The user's enrolment, or null. */
export function findTwoFactor(tables: Tables, userId: number): TwoFactorRecord | null {
  const row = tables.twoFactor.get(userId);
  return row ? detach(row) : null;
}

/** Stores a pending enrolment unless one is enabled. */
export function savePendingTwoFactor(tables: Tables, userId: number, sealedSecret: string, now: number): boolean {
  checkUserExists(tables, userId);
  const current = tables.twoFactor.get(userId);
  if (current && current.enabledAt !== null) return false;
  tables.twoFactor.set(
    userId,
    deepFreeze({ userId, sealedSecret, enabledAt: null, lastUsedStep: null, createdAt: now, updatedAt: now }),
  );
  return true;
}

/** Enables the pending enrolment and replaces the backup codes. */
export function enableTwoFactor(tables: Tables, input: EnableTwoFactorInput): boolean {
  const current = tables.twoFactor.get(input.userId);
  if (!current || current.enabledAt !== null) return false;
  if (input.backupCodeHashes.some((h) => tables.backupCodes.has(h))) throw storageError("duplicate backup code");
  deleteBackupCodes(tables, input.userId);
  tables.twoFactor.set(
    input.userId,
    deepFreeze({ ...current, enabledAt: input.now, lastUsedStep: input.step, updatedAt: input.now }),
  );
  for (const hash of input.backupCodeHashes) {
    tables.backupCodes.set(hash, deepFreeze({ userId: input.userId, usedAt: null }));
  }
  return true;
}

function deleteBackupCodes(tables: Tables, userId: number): void {
  for (const [hash, row] of tables.backupCodes) if (row.userId === userId) tables.backupCodes.delete(hash);
}

/** Deletes the enrolment, backup codes and challenges of the user. */
export function deleteTwoFactor(tables: Tables, userId: number): boolean {
  const existed = tables.twoFactor.delete(userId);
  deleteBackupCodes(tables, userId);
  for (const [hash, row] of tables.twoFactorChallenges) {
    if (row.userId === userId) tables.twoFactorChallenges.delete(hash);
  }
  return existed;
}

/** Records a newer TOTP step; false for a replay. */
export function recordTotpStep(tables: Tables, userId: number, step: number, now: number): boolean {
  const current = tables.twoFactor.get(userId);
  if (!current || (current.lastUsedStep !== null && current.lastUsedStep >= step)) return false;
  tables.twoFactor.set(userId, deepFreeze({ ...current, lastUsedStep: step, updatedAt: now }));
  return true;
}

/** Spends an unused backup code of the user. */
export function consumeBackupCode(tables: Tables, userId: number, codeHash: string, now: number): boolean {
  const row = tables.backupCodes.get(codeHash);
  if (!row || row.userId !== userId || row.usedAt !== null) return false;
  tables.backupCodes.set(codeHash, deepFreeze({ ...row, usedAt: now }));
  return true;
}

/** Unused backup codes of the user. */
export function countBackupCodes(tables: Tables, userId: number): number {
  let count = 0;
  for (const row of tables.backupCodes.values()) if (row.userId === userId && row.usedAt === null) count += 1;
  return count;
}

/** Stores a challenge. */
export function createTwoFactorChallenge(tables: Tables, input: NewTwoFactorChallenge): void {
  checkUserExists(tables, input.userId);
  if (tables.twoFactorChallenges.has(input.challengeHash)) throw storageError("duplicate challenge hash");
  tables.twoFactorChallenges.set(
    input.challengeHash,
    deepFreeze({ userId: input.userId, expiresAt: input.expiresAt, attempts: 0, completedAt: null }),
  );
}

/** Counts an attempt on a live challenge. */
export function spendChallengeAttempt(
  tables: Tables,
  hash: string,
  now: number,
  maxAttempts: number,
): SpendChallengeAttemptResult {
  const row = tables.twoFactorChallenges.get(hash);
  if (!row) return { status: "not_found" };
  if (row.completedAt !== null) return { status: "completed" };
  if (row.attempts >= maxAttempts) return { status: "locked" };
  if (now >= row.expiresAt) return { status: "expired" };
  const attempts = row.attempts + 1;
  tables.twoFactorChallenges.set(hash, deepFreeze({ ...row, attempts }));
  return { status: "ok", userId: row.userId, attempts };
}

/** Marks a challenge completed; false when it already was (or is gone). */
export function completeTwoFactorChallenge(tables: Tables, hash: string, now: number): boolean {
  const row = tables.twoFactorChallenges.get(hash);
  if (!row || row.completedAt !== null) return false;
  tables.twoFactorChallenges.set(hash, deepFreeze({ ...row, completedAt: now }));
  return true;
}
