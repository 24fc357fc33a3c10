/**
 * The one table of error codes. Each code has one HTTP status; the HTTP layer and every adapter use this table,
 * so a code never means two things.
 */
export const ERROR_CODES = {
  /** Input failed validation; `details.issues` lists each field and rule. */
  INVALID_INPUT: 400,
  /** A new password that is one of the 10,000 most common passwords (NFKC, case-insensitive). */
  PASSWORD_TOO_COMMON: 400,
  /** A new password that the host's `password.isBreached` hook reports as breached. */
  PASSWORD_BREACHED: 400,
  /** The request body is not valid JSON. */
  MALFORMED_JSON: 400,
  /** A verification or password-reset token that is unknown, tampered with or superseded by a newer one. */
  VERIFICATION_TOKEN_INVALID: 400,
  /** Email or password wrong, or no such account: one answer for all, so accounts cannot be enumerated. */
  INVALID_CREDENTIALS: 401,
  /** An access token that is malformed, tampered with, of the wrong type, audience or issuer, or expired. */
  INVALID_TOKEN: 401,
  /** No credentials, or no principal where one is needed. */
  UNAUTHENTICATED: 401,
  /** A genuine access token past its `exp`: refresh it. */
  TOKEN_EXPIRED: 401,
  /** A refresh token that is unknown, expired or belongs to a revoked session. */
  INVALID_REFRESH_TOKEN: 401,
  /** A refresh token that was already rotated: its whole session (token family) has been revoked. */
  REFRESH_TOKEN_REUSED: 401,
  /**
   * The password checked out but the account has two-factor sign-in: `details.challenge` goes to
   * `signin.verifyTotp(challenge, code)` (`POST /signin/totp`) within `details.expiresInSeconds`.
   */
  TWO_FACTOR_REQUIRED: 401,
  /** A two-factor sign-in challenge that is unknown, expired or already used: sign in again. */
  TWO_FACTOR_CHALLENGE_INVALID: 401,
  /** A wrong (or replayed) TOTP or backup code; `details.attemptsLeft` tells how many tries the challenge has left. */
  TWO_FACTOR_CODE_INVALID: 401,
  /** Too many wrong codes: the sign-in challenge is locked for good. Sign in again. */
  TWO_FACTOR_LOCKED: 403,
  /** An API key was used for something only a signed-in user may do (account, sessions, managing the org). */
  API_KEY_NOT_ALLOWED: 403,
  /**
   * An impersonation token (`auth.admin.users.impersonate`) was used for something only the user may do: create or
   * rotate API keys, change two-factor settings or the password, invite, transfer ownership, delete an organization,
   * or sign out everywhere.
   */
  IMPERSONATION_NOT_ALLOWED: 403,
  /** The account is disabled. Only said after the password checked out. */
  USER_DISABLED: 403,
  /** The caller lacks the permission the operation needs. */
  FORBIDDEN: 403,
  /**
   * A configured limit (`organizationLimit`, `membershipLimit`, `invitationLimit`) is reached;
   * `details.limit` names it and `details.max` gives its value.
   */
  LIMIT_REACHED: 403,
  /** Signin of an account whose email is not verified yet, or an action that needs a verified email. */
  EMAIL_NOT_VERIFIED: 403,
  /** An invitation addressed to another email than the signed-in user's. */
  INVITATION_EMAIL_MISMATCH: 403,
  /** The thing does not exist, or the caller may not know that it exists. */
  NOT_FOUND: 404,
  /** No route has this path. */
  ROUTE_NOT_FOUND: 404,
  /** The path exists but not with this HTTP method. */
  METHOD_NOT_ALLOWED: 405,
  /** Signup with an email that already has an account. */
  EMAIL_TAKEN: 409,
  /** An organization with that name exists. */
  ORG_NAME_TAKEN: 409,
  /** A verification or password-reset token that was already used. */
  VERIFICATION_TOKEN_USED: 409,
  /** The change would leave the organization without an owner. */
  LAST_OWNER: 409,
  /** The organization already has a role with that name (or it is a built-in role's name). */
  ROLE_NAME_TAKEN: 409,
  /** Members still hold the role: name a replacement role to delete it. */
  ROLE_IN_USE: 409,
  /** A personal organization cannot be deleted while its user exists. */
  PERSONAL_ORG_UNDELETABLE: 409,
  /** The user already belongs to the organization. */
  ALREADY_MEMBER: 409,
  /** Two-factor sign-in is already enabled: disable it first to enrol a new secret. */
  TWO_FACTOR_ALREADY_ENABLED: 409,
  /** No two-factor enrolment to confirm or disable. */
  TWO_FACTOR_NOT_ENABLED: 409,
  /** No invitation has that token (or that id, in that organization). */
  INVITATION_NOT_FOUND: 404,
  /** The invitation was already accepted. */
  INVITATION_USED: 409,
  /** The invitation was revoked (or replaced by a newer one). */
  INVITATION_REVOKED: 410,
  /** The invitation expired. */
  INVITATION_EXPIRED: 410,
  /** A verification or password-reset token past its expiry. */
  VERIFICATION_TOKEN_EXPIRED: 410,
  /** The request body is larger than the limit (64 KB by default). */
  PAYLOAD_TOO_LARGE: 413,
  /** A body was sent with another content type than application/json. */
  UNSUPPORTED_MEDIA_TYPE: 415,
  /** Too many attempts; retry after `details.retryAfterSeconds`. */
  RATE_LIMITED: 429,
  /** An unexpected storage failure (the driver error is kept as `cause`, never shown). */
  STORAGE_ERROR: 500,
  /** An unexpected failure inside tenantauth. */
  INTERNAL_ERROR: 500,
  /** The database cannot be reached. */
  STORAGE_UNAVAILABLE: 503,
} as const satisfies Record<string, number>;

/** A stable, UPPER_SNAKE error code. */
export type AuthErrorCode = keyof typeof ERROR_CODES;

/** Options of {@link AuthError}. */
export interface AuthErrorOptions {
  /** The lower error, kept for logs; never sent to clients. */
  cause?: unknown;
  /** Safe, structured details sent to clients (field issues, retry-after …). */
  details?: Record<string, unknown>;
}

/**
 * The one error type that tenantauth's operations throw. `code` is stable; `status` is its HTTP status;
 * `message` is safe to show; `cause` (if any) is not.
 *
 * @example
 * try { await auth.signin(input) } catch (e) {
 *   if (e instanceof AuthError && e.code === "INVALID_CREDENTIALS") { ... }
 * }
 */
export class AuthError extends Error {
  override readonly name = "AuthError";
  readonly code: AuthErrorCode;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: AuthErrorCode, message: string, options: AuthErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = ERROR_CODES[code];
    this.details = options.details;
  }

  /** The client-safe JSON body: `{ error: { code, message, details? } }`. */
  toJSON(): { error: { code: AuthErrorCode; message: string; details?: Record<string, unknown> } } {
    return {
      error: { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) },
    };
  }
}

/** True when `value` is an {@link AuthError}, optionally with the given code. */
export function isAuthError(value: unknown, code?: AuthErrorCode): value is AuthError {
  return value instanceof AuthError && (code === undefined || value.code === code);
}

/**
 * Thrown by `createAuth()` (and adapter factories) only, at start-up, when the configuration is wrong.
 * The message names each bad field and its rule.
 */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  /** One entry per problem: the dotted path of the field and what is wrong with it. */
  readonly issues: ReadonlyArray<{ path: string; message: string }>;

  constructor(issues: ReadonlyArray<{ path: string; message: string }>, options?: { cause?: unknown }) {
    super(
      `Invalid tenantauth configuration:\n${issues.map((i) => `  - ${i.path || "(root)"}: ${i.message}`).join("\n")}`,
      options,
    );
    this.issues = issues;
  }
}
