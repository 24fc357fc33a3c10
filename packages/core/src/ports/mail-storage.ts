import type { MailIntentRecord, NewMailIntent, TokenPurpose } from "./records.js";

/** Input of {@link MailStorage.createVerificationToken}. */
export interface CreateVerificationTokenInput {
  /** SHA-256 (hex) of the token; the token itself is never stored. */
  tokenHash: string;
  purpose: TokenPurpose;
  userId: number;
  expiresAt: number;
  now: number;
  /** The mail carrying the token (sealed), written to the outbox in the same transaction. */
  mail: NewMailIntent;
}

/**
 * Outcome of {@link MailStorage.consumeVerificationToken}: `consumed` (the caller won; the token is now spent),
 * or why not. `superseded` is a token replaced by a newer one for the same user and purpose.
 */
export type ConsumeTokenResult =
  | { status: "consumed"; userId: number }
  | { status: "not_found" | "used" | "expired" | "superseded" };

/** Input of {@link MailStorage.claimMail}. */
export interface ClaimMailInput {
  now: number;
  /** At most this many intents. */
  limit: number;
  /** The claim holds until `now + leaseMs`; after that another deliverer may claim the intent. */
  leaseMs: number;
  /** A random id of this claim; later calls prove the claim with it. */
  claimId: string;
}

/** Input of {@link MailStorage.markMailFailed}. */
export interface MailFailure {
  /** The error's message (no secrets). */
  error: string;
  /** When to try again, or null to give up (status failed). */
  retryAt: number | null;
  now: number;
}

/**
 * The outbox and single-use tokens: the storage side of transactional mail. Rules of {@link StorageAdapter} hold.
 */
export interface MailStorage {
  /**
   * Stores a single-use token and its mail intent atomically, and supersedes the user's earlier unspent tokens of
   * the same purpose.
   */
  createVerificationToken(input: CreateVerificationTokenInput): Promise<void>;

  /** Spends a token of this purpose. Of concurrent calls with one token, exactly one gets `consumed`. */
  consumeVerificationToken(tokenHash: string, purpose: TokenPurpose, now: number): Promise<ConsumeTokenResult>;

  /**
   * Supersedes every unspent token of the user, of every purpose (a password change or reset spends the links sent
   * before it). Returns how many. Later `consumeVerificationToken` calls on them answer `superseded`.
   */
  supersedeUserTokens(userId: number, now: number): Promise<number>;

  /** Writes a mail intent (status pending, attempts 0). Returns its id. */
  enqueueMail(intent: NewMailIntent, now: number): Promise<number>;

  /**
   * Claims pending intents whose `availableAt <= now` and whose earlier claim (if any) has lapsed, oldest first.
   * Concurrency: an intent is held by at most one unexpired claim, so two deliverers never get the same intent.
   */
  claimMail(input: ClaimMailInput): Promise<MailIntentRecord[]>;

  /**
   * Marks a claimed intent sent and clears its payload of secrets (the payload becomes `{}`). False when the
   * claim `claimId` no longer holds the intent.
   */
  markMailSent(id: number, claimId: string, now: number): Promise<boolean>;

  /** Records a failed attempt (attempts + 1, lastError) and releases the claim. False when the claim was lost. */
  markMailFailed(id: number, claimId: string, failure: MailFailure): Promise<boolean>;

  /** Intents, newest first, optionally by status and recipient (for operators and tests). */
  listMail(filter: { status?: number; recipient?: string; limit: number }): Promise<MailIntentRecord[]>;
}
