import type { Me } from "./accounts/me.js";
import type { User } from "./accounts/public-user.js";
import type { SigninInput, SigninResult } from "./accounts/signin.js";
import type { SignupInput, SignupResult } from "./accounts/signup.js";
import type { ListAllOrganizationsOptions, OrganizationPage } from "./admin/organizations.js";
import type { AdminUserPage, ImpersonationToken, ListUsersOptions } from "./admin/users.js";
import type { ApiKey, CreateApiKeyInput, IssuedApiKey } from "./api-keys/api-keys.js";
import type { AuditPage, AuditScope, ListAuditOptions } from "./audit/list.js";
import type { HandlerContext } from "./http/handler.js";
import type { DeliveryReport } from "./mail/outbox.js";
import type { ResolvedAuthOptions } from "./options.js";
import type { Principal } from "./sessions/access-token.js";
import type { SessionInfo } from "./sessions/session-management.js";
import type { RequestMeta, TokenPair } from "./sessions/sessions.js";
import type { Permission } from "./tenancy/built-in-roles.js";
import type { CreateInvitationInput, Invitation, IssuedInvitation } from "./tenancy/invitations.js";
import type { ListMembersOptions, MemberPage } from "./tenancy/members.js";
import type {
  CreateOrganizationInput,
  OrganizationMembership,
  Role,
  UpdateOrganizationInput,
} from "./tenancy/organizations.js";
import type { Organization } from "./tenancy/public-organization.js";
import type { CreateRoleInput, UpdateRoleInput } from "./tenancy/roles.js";
import type { OrganizationStats, OrgRoleWiseUsers } from "./tenancy/stats.js";
import type { TwoFactorEnrolment, TwoFactorProof } from "./two-factor/enrolment.js";

/** `auth.signin`: sign in with a password, and finish a two-factor sign-in with `signin.verifyTotp`. */
export interface SigninFunction {
  /**
   * Signs in with email and password. For a user with two-factor sign-in it throws `TWO_FACTOR_REQUIRED` whose
   * `details.challenge` (valid `details.expiresInSeconds`) goes to {@link SigninFunction.verifyTotp}.
   * @throws AuthError `INVALID_CREDENTIALS` (wrong password and unknown email alike), `USER_DISABLED`,
   * `EMAIL_NOT_VERIFIED`, `TWO_FACTOR_REQUIRED`, `INVALID_INPUT`
   * @example const { accessToken, refreshToken } = await auth.signin({ email, password }, { ip, userAgent })
   */
  (input: SigninInput, meta?: RequestMeta): Promise<SigninResult>;
  /**
   * Finishes a two-factor sign-in with a six-digit TOTP code (a code already used is refused) or one of the
   * backup codes (each works once). Every try counts: after `twoFactor.maxAttempts` (5) the challenge is locked.
   * @throws AuthError `TWO_FACTOR_CODE_INVALID` (`details.attemptsLeft`), `TWO_FACTOR_LOCKED`,
   * `TWO_FACTOR_CHALLENGE_INVALID`, `USER_DISABLED`
   * @example const { accessToken } = await auth.signin.verifyTotp(error.details.challenge, "123456")
   */
  verifyTotp(challenge: string, code: string, meta?: RequestMeta): Promise<SigninResult>;
}

/**
 * The tenantauth instance a host app holds. Every method validates its input before any I/O and fails only with
 * `AuthError` (stable `code`, HTTP `status`). Organization-scoped methods take the caller's principal and check
 * membership and permission first: an outsider gets `NOT_FOUND`, a member without the permission `FORBIDDEN`.
 */
export interface Auth {
  /**
   * The whole HTTP API as one Web-standard handler (routes at the root path). For a prefix or other options use
   * `createHttpHandler(auth, { basePath })`; the Express and Hono adapters mount it for you.
   */
  handler(request: Request, context?: HandlerContext): Promise<Response>;
  /** The validated options, defaults applied (the secret included: do not log this object). */
  readonly options: ResolvedAuthOptions;
  /**
   * Creates a user with an organization they own (or joins an invitation's organization). The password must pass
   * the policy (length, common-password list, `password.isBreached`). With `enumerationSafeSignup`, a taken email
   * still throws `EMAIL_TAKEN` here, after mailing the owner: answer it like a success, as the HTTP route does.
   * `meta.ip` feeds the per-IP limit (`rateLimit.signup`).
   * @throws AuthError `INVALID_INPUT`, `PASSWORD_TOO_COMMON`, `PASSWORD_BREACHED`, `EMAIL_TAKEN`, `ORG_NAME_TAKEN`,
   * `INVITATION_*`, `RATE_LIMITED`
   * @example await auth.signup({ email: "ada@example.com", password: "correct horse battery", organizationName: "Acme" })
   */
  signup(input: SignupInput, meta?: RequestMeta): Promise<SignupResult>;
  /**
   * Signs in with email and password; `signin.verifyTotp` finishes a two-factor sign-in.
   * Throttled per account (the email, known or not) and per IP (`meta.ip`): see `rateLimit.signin`.
   * @throws AuthError `INVALID_CREDENTIALS` (wrong password and unknown email alike), `USER_DISABLED`, `INVALID_INPUT`,
   *   `RATE_LIMITED` (with `details.retryAfterSeconds`), `TWO_FACTOR_REQUIRED` (with `details.challenge`)
   * @example const { accessToken, refreshToken } = await auth.signin({ email, password }, { ip, userAgent })
   */
  readonly signin: SigninFunction;
  /**
   * Verifies an access token or an organization API key (one indexed query; a revoked or expired key, or one whose
   * creator is disabled or left the organization, fails at once). An access token is checked without storage,
   * against this node's copy of the revocation records, read again at most every `revocation.refreshSeconds`
   * (one query per interval per node): a token whose session was revoked (sign-out, refresh-token reuse, password
   * reset or change, sign-out everywhere, a disabled user), or whose `org` claim no longer matches the member's
   * role, fails with `TOKEN_EXPIRED` on every node within that interval; refreshing gives the current role.
   * A user's principal is deeply frozen: copy it to change it, as `withRequestMeta()` does.
   * @throws AuthError `INVALID_TOKEN`, `TOKEN_EXPIRED`, `STORAGE_UNAVAILABLE` (revocation records unreadable)
   */
  authenticate(accessTokenOrApiKey: string): Promise<Principal>;
  twoFactor: {
    /**
     * Starts enrolment: a new TOTP secret (stored sealed, pending) and its `otpauth://` URI for a QR code.
     * @throws AuthError `TWO_FACTOR_ALREADY_ENABLED`
     */
    enroll(principal: Principal): Promise<TwoFactorEnrolment>;
    /**
     * Turns two-factor sign-in on with a code from the app; returns 10 backup codes, shown this once. Sends a
     * notice mail. @throws AuthError `TWO_FACTOR_CODE_INVALID`, `TWO_FACTOR_NOT_ENABLED` (nothing enrolled),
     * `RATE_LIMITED` (after `rateLimit.twoFactorCodes` wrong codes)
     */
    confirm(principal: Principal, code: string): Promise<{ backupCodes: string[] }>;
    /**
     * Turns it off, given the current password or a TOTP or backup code. Sends a notice mail.
     * @throws AuthError `INVALID_CREDENTIALS`, `TWO_FACTOR_CODE_INVALID`, `TWO_FACTOR_NOT_ENABLED`,
     * `RATE_LIMITED` (after `rateLimit.twoFactorCodes` wrong proofs)
     */
    disable(principal: Principal, proof: TwoFactorProof): Promise<void>;
    /** Whether it is on, and how many backup codes are left. */
    status(principal: Principal): Promise<{ enabled: boolean; backupCodesLeft: number }>;
  };
  apiKeys: {
    /**
     * Creates an organization API key; returns it once (only its SHA-256 is stored). Needs `api_key:manage`,
     * and the key's permissions must be the caller's own. @throws AuthError `FORBIDDEN`, `NOT_FOUND`
     * @example const { key } = await auth.apiKeys.create(principal, orgId, { name: "CI", permissions: ["stats:read"] })
     */
    create(principal: Principal, orgId: number, input: CreateApiKeyInput): Promise<IssuedApiKey>;
    /** The organization's keys that are not revoked: prefix, name, permissions, last use. Needs `api_key:manage`. */
    list(principal: Principal, orgId: number): Promise<ApiKey[]>;
    /** Revokes a key; it stops working at once. Needs `api_key:manage`. @throws AuthError `NOT_FOUND` */
    revoke(principal: Principal, orgId: number, keyId: string): Promise<void>;
    /** A new secret for the key (same id and permissions); the old one stops working at once. */
    rotate(principal: Principal, orgId: number, keyId: string): Promise<IssuedApiKey>;
  };
  /**
   * Rotates a refresh token (the session's last use becomes now). `meta` (ip, user agent) is recorded on the
   * `refresh.reuse` audit event when a spent token comes back.
   * @throws AuthError `REFRESH_TOKEN_REUSED` (family revoked), `INVALID_REFRESH_TOKEN`
   */
  refresh(refreshToken: string, meta?: RequestMeta): Promise<TokenPair>;
  /**
   * Rotates a refresh token (as `refresh` does) and makes `orgId` the session's active organization: the new access
   * token, and those of later refreshes, carry the organization id and the caller's role (id, name, permissions)
   * in an `org` claim, so `authorize` for that organization needs no query while the token lives. After a role
   * change or removal, the claim fails `authenticate` (`TOKEN_EXPIRED`) within `revocation.refreshSeconds`, and
   * the next refresh carries the current role (`strictAuthorization` checks storage on every `authorize`).
   * @throws AuthError `NOT_FOUND` (not an active member; the refresh token stays usable), `INVALID_REFRESH_TOKEN`,
   * `REFRESH_TOKEN_REUSED`
   * @example const tokens = await auth.switchOrganization(refreshToken, orgId)
   */
  switchOrganization(refreshToken: string, orgId: number): Promise<TokenPair>;
  /** Revokes the session of this refresh token, and its access tokens (within `revocation.refreshSeconds`). Idempotent. */
  signout(refreshToken: string): Promise<void>;
  /**
   * Verifies an email with the token from the verification mail; `meta` (ip, user agent) goes into the
   * `email.verify` audit event.
   * @throws AuthError `VERIFICATION_TOKEN_INVALID`, `VERIFICATION_TOKEN_USED`, `VERIFICATION_TOKEN_EXPIRED`
   */
  verifyEmail(token: string, meta?: RequestMeta): Promise<User>;
  /**
   * Sends a new verification mail to an unverified account; answers alike, and at once, whether or not it exists
   * (the work runs in the background: `mail.idle()` awaits it). Over a limit (`rateLimit.resendVerification`) it
   * answers alike and sends nothing.
   */
  resendVerification(email: string, meta?: RequestMeta): Promise<void>;
  /**
   * Sends a password-reset mail to an active account; answers alike, and at once, whether or not it exists (the
   * work runs in the background: `mail.idle()` awaits it). Over a limit (`rateLimit.passwordReset`) it answers
   * alike and sends nothing.
   */
  requestPasswordReset(email: string, meta?: RequestMeta): Promise<void>;
  /**
   * Sets a new password with a reset token; revokes every session. A refused password leaves the token usable.
   * @throws AuthError `VERIFICATION_TOKEN_*`, `PASSWORD_TOO_COMMON`, `PASSWORD_BREACHED`, `INVALID_INPUT`
   */
  resetPassword(token: string, newPassword: string, meta?: RequestMeta): Promise<void>;
  /**
   * Changes the password after checking the current one; revokes the user's other sessions.
   * @throws AuthError `INVALID_CREDENTIALS`, `PASSWORD_TOO_COMMON`, `PASSWORD_BREACHED`, `INVALID_INPUT`
   */
  changePassword(principal: Principal, currentPassword: string, newPassword: string): Promise<void>;
  mail: {
    /** Delivers queued mail now (from a cron job or worker). Safe to run on many nodes at once. */
    deliverPending(options?: { limit?: number }): Promise<DeliveryReport>;
    /** Resolves when this instance's background work (deliveries, reset and resend requests) has finished. */
    idle(): Promise<void>;
  };
  /** The signed-in user and their organizations with their role in each. */
  me(principal: Principal): Promise<Me>;
  /** Revokes every session of the principal's user ("sign out everywhere"). Returns how many were live. */
  signoutAll(principal: Principal): Promise<number>;
  /**
   * True when the principal is an active member of the organization and its role grants the permission.
   * One indexed storage query (or none, with `authorization.cacheTtlSeconds`); none either for the organization in
   * the token's `org` claim (`switchOrganization`), answered from the claim unless `strictAuthorization` is on.
   * @example if (await auth.authorize(principal, orgId, "member:invite")) { … }
   */
  authorize(principal: Principal, orgId: number, permission: Permission): Promise<boolean>;
  /** Like `authorize`, but throws `NOT_FOUND` (not a member) or `FORBIDDEN` (no permission). */
  assertAuthorized(principal: Principal, orgId: number, permission: Permission): Promise<void>;
  organizations: {
    /** Creates an organization owned by the caller. @throws AuthError `ORG_NAME_TAKEN`, `LIMIT_REACHED` */
    create(principal: Principal, input: CreateOrganizationInput): Promise<Organization>;
    /** The caller's organizations with the caller's role in each, oldest membership first. */
    list(principal: Principal): Promise<OrganizationMembership[]>;
    /** One of the caller's organizations with the caller's role. */
    get(principal: Principal, orgId: number): Promise<OrganizationMembership>;
    /** Needs `org:update`. @throws AuthError `ORG_NAME_TAKEN` */
    update(principal: Principal, orgId: number, input: UpdateOrganizationInput): Promise<Organization>;
    /** Soft delete; needs `org:delete` and the Owner role. @throws AuthError `PERSONAL_ORG_UNDELETABLE` */
    delete(principal: Principal, orgId: number): Promise<void>;
    /** Makes `toUserId` an Owner and the caller an Admin. Owners only. */
    transferOwnership(principal: Principal, orgId: number, toUserId: number): Promise<void>;
  };
  members: {
    /** A page of members; filter by `roleId` or `status`, continue with `cursor`. Any member may list. */
    list(principal: Principal, orgId: number, options?: ListMembersOptions): Promise<MemberPage>;
    /** Needs `member:update-role` and no escalation. @throws AuthError `LAST_OWNER` */
    updateRole(principal: Principal, orgId: number, userId: number, roleId: number): Promise<void>;
    /** Needs `member:remove` and no escalation. @throws AuthError `LAST_OWNER` */
    remove(principal: Principal, orgId: number, userId: number): Promise<void>;
    /** Leaves the organization. @throws AuthError `LAST_OWNER` */
    leave(principal: Principal, orgId: number): Promise<void>;
  };
  roles: {
    /** Built-in and custom roles of the organization. */
    list(principal: Principal, orgId: number): Promise<Role[]>;
    /** Needs `role:manage`; only permissions the caller holds. @throws AuthError `ROLE_NAME_TAKEN` */
    create(principal: Principal, orgId: number, input: CreateRoleInput): Promise<Role>;
    /** Needs `role:manage`; custom roles only. */
    update(principal: Principal, orgId: number, roleId: number, input: UpdateRoleInput): Promise<Role>;
    /** Needs `role:manage`. @throws AuthError `ROLE_IN_USE` unless `replacementRoleId` is given */
    delete(
      principal: Principal,
      orgId: number,
      roleId: number,
      options?: { replacementRoleId?: number },
    ): Promise<void>;
  };
  invitations: {
    /**
     * Needs `member:invite`. The mail intent is queued in the same transaction; the invitation token leaves only
     * in that mail, never in the answer. @throws AuthError `LIMIT_REACHED` (`invitationLimit`),
     * `IMPERSONATION_NOT_ALLOWED`
     */
    create(principal: Principal, orgId: number, input: CreateInvitationInput): Promise<IssuedInvitation>;
    /** Pending invitations (expired ones show `status: "expired"`). Needs `member:invite`. */
    list(principal: Principal, orgId: number): Promise<Invitation[]>;
    /** Needs `member:invite`. @throws AuthError `INVITATION_NOT_FOUND` */
    revoke(principal: Principal, orgId: number, invitationId: number): Promise<void>;
    /** New token and expiry, mail queued again (the token only in it). Needs `member:invite`. */
    resend(principal: Principal, orgId: number, invitationId: number): Promise<IssuedInvitation>;
    /**
     * Joins the organization as the signed-in user, whose verified email must be the invited one.
     * @throws AuthError `INVITATION_NOT_FOUND`, `INVITATION_USED`, `INVITATION_REVOKED`, `INVITATION_EXPIRED`,
     * `INVITATION_EMAIL_MISMATCH`, `EMAIL_NOT_VERIFIED`, `ALREADY_MEMBER`, `LIMIT_REACHED` (`membershipLimit`)
     */
    accept(principal: Principal, token: string): Promise<{ orgId: number; roleId: number }>;
  };
  audit: {
    /**
     * A page of audit events, newest first (docs/audit.md). `{ orgId }` needs `audit:read` (Owner, Admin);
     * `{ userId }` is the caller's own events (as actor or target). Platform admins may list any scope, and
     * `{ all: true }`. Others get `NOT_FOUND` (`FORBIDDEN` for `{ all: true }`).
     * @example const { items, nextCursor } = await auth.audit.list(principal, { orgId }, { limit: 20 })
     */
    list(principal: Principal, scope: AuditScope, options?: ListAuditOptions): Promise<AuditPage>;
  };
  sessions: {
    /** The caller's live sessions (device, ip, last use), most recently used first; `current` marks this one. */
    list(principal: Principal): Promise<SessionInfo[]>;
    /** Revokes one of the caller's own sessions. @throws AuthError `NOT_FOUND` (unknown, ended or not theirs) */
    revoke(principal: Principal, sessionId: string): Promise<void>;
    /** Revokes every other session of the caller, keeping the current one. Returns how many it revoked. */
    revokeOthers(principal: Principal): Promise<number>;
  };
  /** Platform administration: only for platform admins (`platformAdmins`, `isPlatformAdmin`), else `FORBIDDEN`. */
  admin: {
    users: {
      /**
       * A page of users by ascending id; `query` matches the email (substring, case-insensitive), `status` filters,
       * and `total` counts every user that matches the filter.
       */
      list(principal: Principal, options?: ListUsersOptions): Promise<AdminUserPage>;
      /**
       * Disables the user and revokes every session and API key of theirs in the same transaction (audited);
       * sign-in then fails with `USER_DISABLED` and refresh with `INVALID_REFRESH_TOKEN`. Access tokens already
       * issued, impersonation tokens too, fail with `TOKEN_EXPIRED` on every node within `revocation.refreshSeconds`.
       * @throws AuthError `NOT_FOUND`, `FORBIDDEN` (oneself)
       */
      disable(principal: Principal, userId: number): Promise<User>;
      /** Enables a disabled user. @throws AuthError `NOT_FOUND` */
      enable(principal: Principal, userId: number): Promise<User>;
      /**
       * A one-hour access token (no refresh token) for the user, with an RFC 8693 `act` claim naming the admin
       * (`principal.impersonatorId` after `authenticate`). Audited.
       * @throws AuthError `FORBIDDEN` (another platform admin, or oneself), `USER_DISABLED`, `NOT_FOUND`
       */
      impersonate(principal: Principal, userId: number): Promise<ImpersonationToken>;
    };
    organizations: {
      /** A page of organizations (not deleted) by ascending id, each with its member count, in one statement. */
      list(principal: Principal, options?: ListAllOrganizationsOptions): Promise<OrganizationPage>;
    };
  };
  stats: {
    /** The seed's statistic, platform-wide. Platform admins only. One SQL statement. */
    orgRoleWiseUsers(principal: Principal): Promise<OrgRoleWiseUsers[]>;
    /** Members by role and status, pending invitations. Needs `stats:read`. */
    organization(principal: Principal, orgId: number): Promise<OrganizationStats>;
    /** Users per status. Platform admins only. */
    usersByStatus(principal: Principal): Promise<Array<{ status: "active" | "disabled"; count: number }>>;
    /** Signups per UTC day, zeros included. Platform admins only. */
    signupsPerDay(
      principal: Principal,
      range: { from: string; to: string },
    ): Promise<Array<{ date: string; count: number }>>;
  };
}
