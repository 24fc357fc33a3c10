/** A row of `two_factor`: one user's TOTP enrolment. */
export interface TwoFactorRecord {
  userId: number;
  /** The base32 TOTP secret, sealed (AES-256-GCM) by core: storage never sees it in clear. */
  sealedSecret: string;
  /** When the enrolment was confirmed; null while it is pending. */
  enabledAt: number | null;
  /** The last TOTP time step accepted (replay protection), or null. */
  lastUsedStep: number | null;
  createdAt: number;
  updatedAt: number;
}

/** Input of {@link TwoFactorStorage.enableTwoFactor}. */
export interface EnableTwoFactorInput {
  userId: number;
  /** The TOTP time step of the confirming code, recorded as used. */
  step: number;
  /** SHA-256 (hex) of each backup code; they replace any earlier ones. */
  backupCodeHashes: string[];
  now: number;
}

/** Input of {@link TwoFactorStorage.createTwoFactorChallenge}. */
export interface NewTwoFactorChallenge {
  /** SHA-256 (hex) of the challenge; the challenge itself is never stored. */
  challengeHash: string;
  userId: number;
  expiresAt: number;
  now: number;
}

/**
 * Outcome of {@link TwoFactorStorage.spendChallengeAttempt}: `ok` (an attempt was counted; `attempts` is the count
 * now) or why no attempt may be made.
 */
export type SpendChallengeAttemptResult =
  | { status: "ok"; userId: number; attempts: number }
  | { status: "not_found" | "completed" | "locked" | "expired" };

/** Two-factor sign-in (TOTP): enrolments, backup codes and sign-in challenges. Rules of StorageAdapter hold. */
export interface TwoFactorStorage {
  /** The user's enrolment (pending or enabled), or null. */
  findTwoFactor(userId: number): Promise<TwoFactorRecord | null>;

  /**
   * Stores a pending enrolment with this sealed secret, replacing an earlier pending one. Returns false and writes
   * nothing when the user's two-factor sign-in is already enabled.
   */
  savePendingTwoFactor(userId: number, sealedSecret: string, now: number): Promise<boolean>;

  /**
   * Enables the pending enrolment, records `step` as used and replaces the user's backup codes, atomically.
   * Returns false (nothing written) when there is no pending enrolment. Of concurrent calls, exactly one wins.
   */
  enableTwoFactor(input: EnableTwoFactorInput): Promise<boolean>;

  /** Deletes the user's enrolment, backup codes and open challenges. Returns false when there was no enrolment. */
  deleteTwoFactor(userId: number): Promise<boolean>;

  /**
   * Records `step` as the last accepted TOTP step when it is greater than the stored one. False for a replayed
   * (equal or older) step, or no enrolment. Of concurrent calls with one step, exactly one returns true.
   */
  recordTotpStep(userId: number, step: number, now: number): Promise<boolean>;

  /** Spends an unused backup code of the user. Of concurrent calls with one code, exactly one returns true. */
  consumeBackupCode(userId: number, codeHash: string, now: number): Promise<boolean>;

  /** How many unused backup codes the user has. */
  countBackupCodes(userId: number): Promise<number>;

  /** Stores a sign-in challenge with 0 attempts. */
  createTwoFactorChallenge(challenge: NewTwoFactorChallenge): Promise<void>;

  /**
   * Counts one attempt on a live challenge, atomically. Checks apply in this order: not_found, completed, locked
   * (`attempts >= maxAttempts`), expired (`now >= expiresAt`); otherwise attempts + 1 and `ok`. Concurrent calls
   * never let more than `maxAttempts` attempts through.
   */
  spendChallengeAttempt(challengeHash: string, now: number, maxAttempts: number): Promise<SpendChallengeAttemptResult>;

  /** Marks the challenge completed. False when it was already completed (exactly one caller wins). */
  completeTwoFactorChallenge(challengeHash: string, now: number): Promise<boolean>;
}
