import {
  type AuditEventRecord,
  BUILT_IN_ROLES,
  type InvitationRecord,
  type MailIntentRecord,
  type MemberRecord,
  type OrganizationRecord,
  type RateLimitWindow,
  type RevocationRecord,
  type RoleRecord,
  type SessionRecord,
  type TwoFactorRecord,
  type UserRecord,
} from "@tenantauth/core";
import type { ApiKeyRow } from "./api-keys.js";
import { deepFreeze, jsonColumn } from "./copy.js";
import type { BackupCodeRow, ChallengeRow } from "./two-factor.js";

/** A row of the `refresh_tokens` table: one token ever issued to a session, spent once rotated. */
export interface RefreshTokenRow {
  sessionId: string;
  /** When it was rotated (spent), or null while it is the session's current token. */
  spentAt: number | null;
}

/** A row of `invitations`: the record plus its token's SHA-256. */
export interface InvitationRow extends InvitationRecord {
  tokenHash: string;
}

/** A row of `mail_outbox`: the record plus the claim that holds it. */
export interface MailRow extends MailIntentRecord {
  claimId: string | null;
  claimedUntil: number | null;
}

/** A row of `verification_tokens`, keyed by the token's SHA-256. */
export interface TokenRow {
  purpose: string;
  userId: number;
  expiresAt: number;
  createdAt: number;
  usedAt: number | null;
  supersededAt: number | null;
}

/** Tables whose ids come from an auto-increment counter. */
export type SequenceName =
  | "users"
  | "organizations"
  | "members"
  | "roles"
  | "invitations"
  | "mail"
  | "audit"
  | "revocations";

/**
 * The whole database. Rows are frozen and replaced on update, never changed in place, so {@link forkTables}
 * can share them between a transaction's draft and the committed tables.
 */
export interface Tables {
  users: Map<number, UserRecord>;
  /** Unique index on `users.email`. */
  userIdByEmail: Map<string, number>;
  organizations: Map<number, OrganizationRecord>;
  /** Unique index on the organizations' folded names (`uniqueNameKey(name)`), as `organizations.name_key`. */
  organizationIdByNameKey: Map<string, number>;
  members: Map<number, MemberRecord>;
  /** Unique index on `members (org_id, user_id)`. */
  memberIdByKey: Map<string, number>;
  roles: Map<number, RoleRecord>;
  sessions: Map<string, SessionRecord>;
  /** Keyed by the token's SHA-256 hex. */
  refreshTokens: Map<string, RefreshTokenRow>;
  invitations: Map<number, InvitationRow>;
  /** Unique index on `invitations.token_hash`. */
  invitationIdByToken: Map<string, number>;
  mailOutbox: Map<number, MailRow>;
  verificationTokens: Map<string, TokenRow>;
  /** `audit_events`, by id (insertion order is id order). */
  auditEvents: Map<number, AuditEventRecord>;
  /** `rate_limits`: a fixed-window counter per key. */
  rateLimits: Map<string, RateLimitWindow>;
  /** Keyed by user id. */
  twoFactor: Map<number, TwoFactorRecord>;
  /** Keyed by the code's SHA-256 hex. */
  backupCodes: Map<string, BackupCodeRow>;
  /** Keyed by the challenge's SHA-256 hex. */
  twoFactorChallenges: Map<string, ChallengeRow>;
  apiKeys: Map<string, ApiKeyRow>;
  /** Unique index on `api_keys.key_hash`. */
  apiKeyIdByHash: Map<string, string>;
  /** `revocations`, by id (insertion order is id order). */
  revocations: Map<number, RevocationRecord>;
  /** Last id handed out per table. */
  sequences: Record<SequenceName, number>;
}

/** Empty tables with the built-in roles seeded (ids 1, 2, 3 …), as a migration would leave them. */
export function createTables(): Tables {
  const tables: Tables = {
    users: new Map(),
    userIdByEmail: new Map(),
    organizations: new Map(),
    organizationIdByNameKey: new Map(),
    members: new Map(),
    memberIdByKey: new Map(),
    roles: new Map(),
    sessions: new Map(),
    refreshTokens: new Map(),
    invitations: new Map(),
    invitationIdByToken: new Map(),
    mailOutbox: new Map(),
    verificationTokens: new Map(),
    auditEvents: new Map(),
    rateLimits: new Map(),
    twoFactor: new Map(),
    backupCodes: new Map(),
    twoFactorChallenges: new Map(),
    apiKeys: new Map(),
    apiKeyIdByHash: new Map(),
    revocations: new Map(),
    sequences: { users: 0, organizations: 0, members: 0, roles: 0, invitations: 0, mail: 0, audit: 0, revocations: 0 },
  };
  for (const role of BUILT_IN_ROLES) {
    const id = nextId(tables, "roles");
    tables.roles.set(
      id,
      deepFreeze({
        id,
        name: role.name,
        description: role.description,
        orgId: null,
        permissions: jsonColumn([...role.permissions]),
      }),
    );
  }
  return tables;
}

/** A draft that can be changed without touching `tables` (rows are shared: they are immutable). */
export function forkTables(tables: Tables): Tables {
  return {
    users: new Map(tables.users),
    userIdByEmail: new Map(tables.userIdByEmail),
    organizations: new Map(tables.organizations),
    organizationIdByNameKey: new Map(tables.organizationIdByNameKey),
    members: new Map(tables.members),
    memberIdByKey: new Map(tables.memberIdByKey),
    roles: new Map(tables.roles),
    sessions: new Map(tables.sessions),
    refreshTokens: new Map(tables.refreshTokens),
    invitations: new Map(tables.invitations),
    invitationIdByToken: new Map(tables.invitationIdByToken),
    mailOutbox: new Map(tables.mailOutbox),
    verificationTokens: new Map(tables.verificationTokens),
    auditEvents: new Map(tables.auditEvents),
    rateLimits: new Map(tables.rateLimits),
    twoFactor: new Map(tables.twoFactor),
    backupCodes: new Map(tables.backupCodes),
    twoFactorChallenges: new Map(tables.twoFactorChallenges),
    apiKeys: new Map(tables.apiKeys),
    apiKeyIdByHash: new Map(tables.apiKeyIdByHash),
    revocations: new Map(tables.revocations),
    sequences: { ...tables.sequences },
  };
}

/** The next auto-increment id of `table`. */
export function nextId(tables: Tables, table: SequenceName): number {
  tables.sequences[table] += 1;
  return tables.sequences[table];
}

/** Key of the `members (org_id, user_id)` unique index. */
export function memberKey(orgId: number, userId: number): string {
  return `${orgId}:${userId}`;
}
