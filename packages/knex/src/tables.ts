/** Names of the adapter's tables, with the configured prefix applied. */
export interface TableNames {
  readonly users: string;
  readonly organizations: string;
  readonly roles: string;
  readonly members: string;
  readonly sessions: string;
  readonly refreshTokens: string;
  readonly invitations: string;
  /** Mail intents written in the same transaction as the change that causes them (the outbox pattern). */
  readonly mailOutbox: string;
  /** Single-use email-verification and password-reset tokens, stored hashed. */
  readonly verificationTokens: string;
  /** Fixed-window rate-limit counters (the default rate-limit store). */
  readonly rateLimits: string;
  /** Audit events (sign-ins, role changes, …); no secrets, no foreign keys (events outlive their users). */
  readonly auditEvents: string;
  /** TOTP enrolments, one per user (secret sealed). */
  readonly twoFactor: string;
  /** Single-use two-factor backup codes, stored hashed. */
  readonly twoFactorBackupCodes: string;
  /** Two-factor sign-in challenges, stored hashed, with an attempt counter. */
  readonly twoFactorChallenges: string;
  /** Organization API keys, stored hashed. */
  readonly apiKeys: string;
  /** Revocation records (sessions, users, memberships) polled by every node; pruned after the longest token life. */
  readonly revocations: string;
  /** Knex's migration bookkeeping table (its lock table is this name + `_lock`). */
  readonly migrations: string;
}

/** The table names for `prefix` (empty by default, so the seed service's table names are kept). */
export function tableNames(prefix: string): TableNames {
  return {
    users: `${prefix}users`,
    organizations: `${prefix}organizations`,
    roles: `${prefix}roles`,
    members: `${prefix}members`,
    sessions: `${prefix}sessions`,
    refreshTokens: `${prefix}refresh_tokens`,
    invitations: `${prefix}invitations`,
    mailOutbox: `${prefix}mail_outbox`,
    verificationTokens: `${prefix}verification_tokens`,
    rateLimits: `${prefix}rate_limits`,
    auditEvents: `${prefix}audit_events`,
    twoFactor: `${prefix}two_factor`,
    twoFactorBackupCodes: `${prefix}two_factor_backup_codes`,
    twoFactorChallenges: `${prefix}two_factor_challenges`,
    apiKeys: `${prefix}api_keys`,
    revocations: `${prefix}revocations`,
    migrations: `${prefix}tenantauth_migrations`,
  };
}
