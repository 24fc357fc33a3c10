import * as z from "zod";
import type { RequestMeta } from "../sessions/sessions.js";

const id = z.number().int().positive();
const count = z.number().int().min(0);

/**
 * The data each audit event type may carry, as strict zod objects. This table is the only place event types are
 * declared: add a line here to add a type. Data never holds a secret: no password, token, hash or one-time code
 * has a field here, every field is an id, a count, a name, an email or a closed set of words, and `recordEvent`
 * parses the data with these schemas (unknown fields are refused), so nothing else can slip in.
 */
export const AUDIT_EVENT_SCHEMAS = {
  /**
   * A sign-in succeeded: a session was started. Actor and target: the user. For an account with two-factor sign-in
   * it is recorded when the second factor checks out, with `secondFactor` saying which kind was used.
   */
  "signin.success": z.strictObject({ secondFactor: z.enum(["totp", "backup_code"]).optional() }),
  /**
   * A sign-in failed. For a known account the target is the user (the actor is unknown: nobody proved who they
   * are); for an unknown email both are null and the email is not recorded (it may be a mistyped password).
   * `second_factor_invalid`: the password checked out but the code that followed did not.
   */
  "signin.failure": z.strictObject({
    reason: z.enum([
      "invalid_credentials",
      "unknown_account",
      "user_disabled",
      "email_not_verified",
      "second_factor_invalid",
    ]),
  }),
  /**
   * Too many failed sign-ins: something is locked for a while. `account_ip`: the account for the request's IP
   * address (other addresses may still sign in); `account`: the account for every address (its hourly ceiling, or
   * a caller without an IP); `ip`: the IP address; `second_factor`: two-factor sign-in of the account, after too
   * many wrong codes following the right password. Target: the user, if known.
   */
  "signin.lockout": z.strictObject({
    scope: z.enum(["account", "account_ip", "ip", "second_factor"]),
    retryAfterSeconds: count,
  }),
  /** The user turned two-factor sign-in on (confirmed the enrolment with a code from their app). */
  "two_factor.enable": z.strictObject({}),
  /** The user turned two-factor sign-in off, proving it with their password or a code (`proof` says which). */
  "two_factor.disable": z.strictObject({ proof: z.enum(["password", "totp", "backup_code"]) }),
  /**
   * The user ended sessions of their own: one (`sessionId`, possibly the current one), all but the current one
   * (`others`), or all (`all`, sign out everywhere). Actor and target: the user.
   */
  "session.revoke": z.strictObject({
    scope: z.enum(["one", "others", "all"]),
    sessionId: z.string().max(64).nullable(),
    sessionsRevoked: count,
  }),
  /** The user's email address was verified with the link from the verification mail. Actor and target: the user. */
  "email.verify": z.strictObject({}),
  /** A rotated refresh token was presented again: its whole session was revoked. Target: the session's user. */
  "refresh.reuse": z.strictObject({ sessionId: z.string().max(64) }),
  /** The user changed their password; their other sessions were revoked. */
  "password.change": z.strictObject({ sessionsRevoked: count }),
  /** The password was set with a reset link; every session was revoked. */
  "password.reset": z.strictObject({ sessionsRevoked: count }),
  /** A member got another role. Target: the member. */
  "member.role_change": z.strictObject({ fromRoleId: id, toRoleId: id, toRoleName: z.string().max(100) }),
  /** A member was removed (`removed`) or left (`left`, actor = target). */
  "member.remove": z.strictObject({ roleId: id, reason: z.enum(["removed", "left"]) }),
  /** A custom role was created: its id, name and permissions. */
  "role.create": z.strictObject({ roleId: id, name: z.string().max(100), permissions: z.array(z.string().max(64)) }),
  /** A custom role was changed: its id, and its name and permissions after the change. */
  "role.update": z.strictObject({ roleId: id, name: z.string().max(100), permissions: z.array(z.string().max(64)) }),
  /** A custom role was deleted; its members (if any) were moved to `replacementRoleId`. */
  "role.delete": z.strictObject({ roleId: id, name: z.string().max(100), replacementRoleId: id.nullable() }),
  /** An organization API key was created: its id (as in its public prefix), name and permissions. Never the key. */
  "api_key.create": z.strictObject({
    id: z.string().max(64),
    name: z.string().max(100),
    permissions: z.array(z.string().max(64)),
  }),
  /** An API key was revoked. */
  "api_key.revoke": z.strictObject({ id: z.string().max(64) }),
  /**
   * An API key got a new secret; the old one stopped working. The caller is now its creator; `previousCreatedBy`
   * held it before. Never the key.
   */
  "api_key.rotate": z.strictObject({ id: z.string().max(64), previousCreatedBy: id }),
  /** An invitation was sent (`resent: true` when an existing one got a new link). */
  "invitation.create": z.strictObject({
    invitationId: id,
    email: z.string().max(320),
    roleId: id,
    resent: z.boolean(),
  }),
  /** A pending invitation was revoked. */
  "invitation.revoke": z.strictObject({ invitationId: id }),
  /** An invitation was accepted: the actor joined the organization. */
  "invitation.accept": z.strictObject({ roleId: id }),
  /** An organization was deleted (soft delete). `name` is the name it had. */
  "organization.delete": z.strictObject({ name: z.string().max(191) }),
  /** A platform admin disabled a user: every session and API key of theirs revoked (`apiAccessRevoked` counts the keys). Target: the user. */
  "user.disable": z.strictObject({ sessionsRevoked: count, apiAccessRevoked: count }),
  /** A platform admin enabled a disabled user. Target: the user. */
  "user.enable": z.strictObject({}),
  /** A platform admin took a one-hour impersonation token for a user. Target: the user. No token is recorded. */
  "user.impersonate": z.strictObject({ expiresInSeconds: count }),
} as const;

/** An audit event type, such as `signin.failure` or `member.role_change`. */
export type AuditEventType = keyof typeof AUDIT_EVENT_SCHEMAS;

/** Every audit event type. */
export const AUDIT_EVENT_TYPES = Object.keys(AUDIT_EVENT_SCHEMAS) as AuditEventType[];

/** The data of each event type. */
export type AuditEventData = { [K in AuditEventType]: z.output<(typeof AUDIT_EVENT_SCHEMAS)[K]> };

/** Fields every audit event has. */
export interface AuditEventBase {
  /** Storage id; newer events have larger ids. */
  id: number;
  /** Epoch ms. */
  at: number;
  /** Who did it, or null when nobody proved who they are (a failed sign-in, a reused refresh token). */
  actorUserId: number | null;
  /** The organization it happened in, for organization-scoped events. */
  orgId: number | null;
  /** The user it was done to, when not (only) the actor. */
  targetUserId: number | null;
  /** The client's IP address as the HTTP adapter saw it (or as the caller passed it), or null. */
  ip: string | null;
  /** The client's User-Agent header (at most 512 characters), or null. */
  userAgent: string | null;
}

/** One audit event, as stored and as the `onEvent` hook receives it. Switch on `type` to read `data`. */
export type AuditEvent = {
  [K in AuditEventType]: AuditEventBase & { type: K; data: AuditEventData[K] };
}[AuditEventType];

/** What a flow passes to `recordEvent`: the event without id, time and request facts (added for it). */
export type AuditEventInput = {
  [K in AuditEventType]: {
    type: K;
    actorUserId: number | null;
    orgId?: number | null | undefined;
    targetUserId?: number | null | undefined;
    data: AuditEventData[K];
    /** The request's IP address and user agent (`metaOf(principal)` or signin's meta). */
    meta?: RequestMeta | undefined;
  };
}[AuditEventType];
