/**
 * Plain records that cross the storage port. Field names are camelCase here; adapters map them to the
 * snake_case columns of the seed tables. Timestamps are epoch milliseconds; ids of users, organizations,
 * members and roles are positive integers (the seed's auto-increment keys); session ids are random strings.
 */

/** A JSON object stored in a `profile` or `settings` column. */
export type JsonObject = { [key: string]: unknown };

/** `users.status` values. */
export const USER_STATUS = {
  /** May sign in. */
  active: 1,
  /** Signed out everywhere and refused at sign-in. */
  disabled: 2,
} as const;

/** `organizations.status` values. */
export const ORGANIZATION_STATUS = {
  active: 1,
  /** Soft-deleted: invisible to every query but kept for audit. */
  deleted: 2,
} as const;

/** `members.status` values. */
export const MEMBER_STATUS = {
  active: 1,
  suspended: 2,
} as const;

/** A row of `users`. */
export interface UserRecord {
  id: number;
  /** Trimmed and lower-cased; unique. */
  email: string;
  /** A PHC string (argon2id by default). Never leaves core. */
  passwordHash: string;
  profile: JsonObject;
  status: number;
  settings: JsonObject;
  /** When the address was verified, or null. */
  emailVerifiedAt: number | null;
  createdAt: number;
  updatedAt: number;
}

/** What `createUserWithOrganization` inserts into `users` (id and timestamps are set by the adapter). */
export interface NewUser {
  email: string;
  passwordHash: string;
  profile: JsonObject;
  status: number;
  settings: JsonObject;
  emailVerifiedAt: number | null;
}

/** A row of `organizations`. */
export interface OrganizationRecord {
  id: number;
  /** Unique across all organizations (the seed's rule). */
  name: string;
  /** Free text from the seed's `POST /organizations {details}`. */
  details: string | null;
  status: number;
  /** True for the organization made for a user at signup when no name was given. */
  personal: boolean;
  settings: JsonObject;
  createdAt: number;
  updatedAt: number;
}

/** What the adapter inserts into `organizations` (id and timestamps are set by the adapter). */
export interface NewOrganization {
  name: string;
  details: string | null;
  status: number;
  personal: boolean;
  settings: JsonObject;
}

/** A row of `members`: one user's membership of one organization, with one role. */
export interface MemberRecord {
  id: number;
  orgId: number;
  userId: number;
  roleId: number;
  status: number;
  settings: JsonObject;
  createdAt: number;
  updatedAt: number;
}

/** A row of `roles`. Built-in roles have `orgId === null`. */
export interface RoleRecord {
  id: number;
  name: string;
  description: string | null;
  orgId: number | null;
  /** Permission strings such as `org:update`. */
  permissions: string[];
}

/**
 * A row of `sessions`: one refresh-token family. Every refresh rotates the token but keeps the session;
 * presenting a token that was already rotated revokes the session (and so the whole family).
 */
export interface SessionRecord {
  /** Random, at least 128 bits. */
  id: string;
  userId: number;
  createdAt: number;
  /** Last sign-in or refresh. */
  lastUsedAt: number;
  /** The session dies if not refreshed before this instant (idle timeout). */
  idleExpiresAt: number;
  /** The session dies at this instant whatever happens (absolute timeout). */
  expiresAt: number;
  revokedAt: number | null;
  /** Why it was revoked: `signout`, `signout_all`, `reuse`, `password_change`, `user_disabled`, … */
  revokeReason: string | null;
  ip: string | null;
  userAgent: string | null;
  /** The organization its tokens carry (`auth.switchOrganization`), or null. New sessions start with null. */
  activeOrgId: number | null;
}

/** What `createSession` inserts. */
export interface NewSession {
  id: string;
  userId: number;
  createdAt: number;
  lastUsedAt: number;
  idleExpiresAt: number;
  expiresAt: number;
  ip: string | null;
  userAgent: string | null;
}

/** `invitations.status` values. Expiry is not a status: a pending invitation past `expiresAt` is expired. */
export const INVITATION_STATUS = {
  pending: 1,
  accepted: 2,
  revoked: 3,
} as const;

/** A row of `invitations`: an email invited into an organization with a role. */
export interface InvitationRecord {
  id: number;
  orgId: number;
  /** Normalised (trimmed, lower-case). */
  email: string;
  roleId: number;
  /** User id of whoever sent it. */
  invitedBy: number;
  status: number;
  expiresAt: number;
  createdAt: number;
  updatedAt: number;
  acceptedAt: number | null;
  acceptedBy: number | null;
}

/** What `createInvitation` inserts (the token is stored only as its SHA-256). */
export interface NewInvitation {
  orgId: number;
  email: string;
  roleId: number;
  invitedBy: number;
  tokenHash: string;
  expiresAt: number;
}

/** `mail_outbox.status` values. */
export const MAIL_STATUS = {
  pending: 1,
  sent: 2,
  /** Gave up after the configured number of attempts. */
  failed: 3,
} as const;

/**
 * A mail to send, written in the same transaction as the change that causes it (the outbox pattern).
 * Secrets in `payload` (such as an invitation token) are sealed by core before they reach storage.
 */
export interface NewMailIntent {
  /** Template name, e.g. `invitation`, `verify-email`. */
  template: string;
  /** Recipient address. */
  recipient: string;
  payload: JsonObject;
  /** Earliest delivery time (epoch ms). */
  availableAt: number;
}

/** A row of `mail_outbox`: one mail to deliver, written with the change that caused it. */
export interface MailIntentRecord {
  id: number;
  template: string;
  recipient: string;
  /** Template data; secrets in it are sealed. Cleared of secrets once sent. */
  payload: JsonObject;
  status: number;
  /** Delivery attempts made so far. */
  attempts: number;
  /** The last delivery error's message, or null. */
  lastError: string | null;
  /** Not delivered before this instant (backoff after a failure). */
  availableAt: number;
  createdAt: number;
  sentAt: number | null;
}

/** What a single-use verification token is for. */
export const TOKEN_PURPOSE = {
  verifyEmail: "verify_email",
  passwordReset: "password_reset",
} as const;

/** A verification token purpose: `verify_email` or `password_reset`. */
export type TokenPurpose = (typeof TOKEN_PURPOSE)[keyof typeof TOKEN_PURPOSE];
