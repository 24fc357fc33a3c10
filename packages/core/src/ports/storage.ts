import type { AdminStorage } from "./admin-storage.js";
import type { ApiKeyStorage } from "./api-key-storage.js";
import type { AuditStorage } from "./audit-storage.js";
import type { MailStorage } from "./mail-storage.js";
import type { RateLimitStorage } from "./rate-limit-store.js";
import type {
  MemberRecord,
  NewOrganization,
  NewSession,
  NewUser,
  OrganizationRecord,
  RoleRecord,
  SessionRecord,
  UserRecord,
} from "./records.js";
import type { RevocationStorage } from "./revocation-storage.js";
import type { TenancyStorage } from "./tenancy-storage.js";
import type { TwoFactorStorage } from "./two-factor-storage.js";

/** Input of {@link StorageAdapter.createUserWithOrganization}. */
export interface CreateUserWithOrganizationInput {
  user: NewUser;
  organization: NewOrganization;
  /** Role of the new membership (the built-in Owner role's id, in practice). */
  roleId: number;
  /** Epoch ms written to every `created_at` / `updated_at`. */
  now: number;
}

/** Result of {@link StorageAdapter.createUserWithOrganization}: the rows written, or the unique key that was taken. */
export type CreateUserWithOrganizationResult =
  | { ok: true; user: UserRecord; organization: OrganizationRecord; member: MemberRecord }
  | { ok: false; conflict: "email" | "organization_name" };

/** Input of {@link StorageAdapter.createOrganizationWithMember}. */
export interface CreateOrganizationWithMemberInput {
  organization: NewOrganization;
  userId: number;
  roleId: number;
  now: number;
}

/** Result of {@link StorageAdapter.createOrganizationWithMember}. */
export type CreateOrganizationWithMemberResult =
  | { ok: true; organization: OrganizationRecord; member: MemberRecord }
  | { ok: false; conflict: "organization_name" };

/** An organization the user belongs to, with the membership and its role. */
export interface UserOrganization {
  organization: OrganizationRecord;
  member: MemberRecord;
  role: RoleRecord;
}

/** Input of {@link StorageAdapter.createSession}. */
export interface CreateSessionInput {
  session: NewSession;
  /** SHA-256 (lower-case hex) of the session's first refresh token. The token itself is never stored. */
  refreshTokenHash: string;
}

/** Input of {@link StorageAdapter.rotateRefreshToken}. */
export interface RotateRefreshTokenInput {
  /** SHA-256 hex of the token presented. */
  tokenHash: string;
  /** SHA-256 hex of the token that replaces it. */
  newTokenHash: string;
  now: number;
  /** New idle deadline written on success. */
  idleExpiresAt: number;
  /**
   * A token spent at most this long before `now` is a repeat (two tabs, a retried request, two nodes), not a theft:
   * it gets a sibling (`newTokenHash` is added to the session beside the successor, and nothing is spent or
   * revoked), while the session holds fewer than {@link REFRESH_REPEAT_MAX_LIVE} unspent tokens. Absent or 0: no
   * grace (every repeat is reuse).
   */
  reuseGraceMs?: number;
}

/** The most unspent refresh tokens a session may hold after repeats within the grace; past it, a repeat is reuse. */
export const REFRESH_REPEAT_MAX_LIVE = 4;

/**
 * Result of {@link StorageAdapter.rotateRefreshToken}.
 * - `rotated`: the token was current and live; it is now spent and `newTokenHash` is the session's current token.
 * - `rotated` also answers a repeat within `reuseGraceMs` (see {@link RotateRefreshTokenInput.reuseGraceMs}).
 * - `reused`: the token had already been rotated (or lost a concurrent rotation) longer ago than the grace, or the
 *   session holds too many unspent tokens; the adapter revoked the session with reason `reuse` before answering.
 *   `session` is the revoked row.
 * - `revoked`: the session was revoked earlier (sign-out, reuse, password change …); nothing changed.
 * - `expired`: `now` is at or past the session's idle or absolute deadline; nothing changed.
 * - `not_found`: no token has that hash.
 */
export type RotateRefreshTokenResult =
  | { status: "rotated"; session: SessionRecord }
  | { status: "reused"; session: SessionRecord }
  | { status: "revoked"; session: SessionRecord }
  | { status: "expired"; session: SessionRecord }
  | { status: "not_found" };

/**
 * The storage port. Every method is narrow and named for its intention; the schema is tenantauth's own.
 *
 * Rules every adapter follows (`runStorageConformance` from `@tenantauth/testing/conformance` checks them):
 * - A method that writes several rows is atomic: it writes all of them or none.
 * - Unique violations come back as typed results (`{ ok: false, conflict }`), never as driver errors.
 * - "Nothing here" is `null`, not an exception.
 * - Emails are stored and compared exactly as given: core trims and lower-cases them first.
 * - Driver errors never escape: anything unexpected is rethrown as `AuthError("STORAGE_ERROR")` or
 *   `AuthError("STORAGE_UNAVAILABLE")` with the driver error as `cause`. A write that references a missing row
 *   (user, role, organization) is such an error, as a foreign key would make it.
 * - A membership written by any method starts with status active (1) and settings `{}`.
 * - A conflict inside a transaction is a value and leaves the transaction usable (on PostgreSQL this needs a
 *   savepoint around the insert).
 */
export interface StorageAdapter
  extends TenancyStorage,
    MailStorage,
    AuditStorage,
    RateLimitStorage,
    TwoFactorStorage,
    ApiKeyStorage,
    AdminStorage,
    RevocationStorage {
  /** Short name for logs and test titles, e.g. `memory`, `knex:mysql2`. */
  readonly name: string;

  /**
   * Runs `fn` in one transaction. `fn` gets an adapter bound to it; every call on that adapter is part of the
   * transaction. If `fn` throws, nothing it wrote remains, and the error is rethrown as is.
   * Calls on a transaction-bound adapter's own `transaction` run inside the same transaction, as a savepoint:
   * if the inner `fn` throws and the outer one catches it, only the inner writes are undone.
   * Inside `fn`, use only the bound adapter: a write awaited on the outer adapter may wait for this transaction.
   */
  transaction<T>(fn: (tx: StorageAdapter) => Promise<T>): Promise<T>;

  /** The built-in roles (`orgId === null`): Owner, Admin and Member at least. Stable for the adapter's life. */
  listBuiltInRoles(): Promise<RoleRecord[]>;

  /**
   * Inserts a user, an organization and the user's membership of it with `roleId`, atomically.
   * When the email or the organization name is taken, nothing is written and the conflict is returned.
   * Concurrency: of many calls with one email, exactly one returns `ok: true`; the others return
   * `conflict: "email"` and leave no row behind.
   */
  createUserWithOrganization(input: CreateUserWithOrganizationInput): Promise<CreateUserWithOrganizationResult>;

  /** The user with exactly this (already normalised) email, or null. */
  findUserByEmail(email: string): Promise<UserRecord | null>;

  /** The user with this id, or null. */
  findUserById(id: number): Promise<UserRecord | null>;

  /** Replaces the password hash (rehash on sign-in, password change). Returns false when no such user. */
  updateUserPasswordHash(userId: number, passwordHash: string, now: number): Promise<boolean>;

  /**
   * Inserts an organization and one membership (`userId` with `roleId`), atomically.
   * A taken name writes nothing and returns `conflict: "organization_name"`.
   */
  createOrganizationWithMember(input: CreateOrganizationWithMemberInput): Promise<CreateOrganizationWithMemberResult>;

  /** The organization with this id (whatever its status), or null. */
  findOrganizationById(id: number): Promise<OrganizationRecord | null>;

  /**
   * True when creating an organization with this name would be refused as `organization_name` (the same rule as
   * the unique index). Used by enumeration-safe signup to answer a taken email as a new one would be answered.
   */
  isOrganizationNameTaken(name: string): Promise<boolean>;

  /** The user's memberships of organizations that are not deleted, oldest membership first. */
  listUserOrganizations(userId: number): Promise<UserOrganization[]>;

  /** Inserts a session and its first refresh-token hash, atomically. Returns the stored session. */
  createSession(input: CreateSessionInput): Promise<SessionRecord>;

  /** The session with this id, or null. */
  findSessionById(id: string): Promise<SessionRecord | null>;

  /**
   * Spends a refresh token and installs its successor, in one transaction. See {@link RotateRefreshTokenResult}.
   * Checks apply in this order: not_found, revoked, expired (`now >= idleExpiresAt` or `now >= expiresAt`),
   * reused, rotated. The stored idle deadline may pass the absolute one; both are always checked.
   * Concurrency: of many calls with one token, at most one returns `rotated`; every other returns `reused`
   * (and the session ends revoked) or `revoked`. None throws.
   */
  rotateRefreshToken(input: RotateRefreshTokenInput): Promise<RotateRefreshTokenResult>;

  /**
   * Revokes the session that the token (current or already rotated) belongs to, with `reason`.
   * Returns the session as stored after the call, or null when no token has that hash.
   * Revoking an already revoked session keeps its first `revokedAt` and reason.
   */
  revokeSessionByRefreshToken(tokenHash: string, reason: string, now: number): Promise<SessionRecord | null>;

  /**
   * Revokes every live session of the user (not revoked, and `now` before both deadlines), except
   * `exceptSessionId` when given. Returns how many it revoked. Sessions that are already dead are left as they are.
   */
  revokeUserSessions(
    userId: number,
    reason: string,
    now: number,
    options?: { exceptSessionId?: string },
  ): Promise<number>;

  /**
   * The user's live sessions (not revoked, `now` before both deadlines), most recently used first (ties: newest
   * first, then by id).
   */
  listLiveSessions(userId: number, now: number): Promise<SessionRecord[]>;

  /**
   * Revokes one live session of the user with `reason`. Returns false (and changes nothing) when the session does
   * not exist, belongs to another user, or is already revoked or expired.
   */
  revokeSession(userId: number, sessionId: string, reason: string, now: number): Promise<boolean>;
}
