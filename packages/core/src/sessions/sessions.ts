import type { AuditEventData } from "../audit/events.js";
import { auditedTransaction, recordEvent } from "../audit/record.js";
import { AuthError } from "../errors.js";
import type { AuthContext } from "../internal/context.js";
import { hashToken, randomId, randomToken } from "../internal/crypto.js";
import { MEMBER_STATUS, type SessionRecord, USER_STATUS, type UserRecord } from "../ports/records.js";
import type { StorageAdapter } from "../ports/storage.js";
import type { Membership } from "../ports/tenancy-storage.js";
import { type ActiveOrganizationClaim, signAccessToken } from "./access-token.js";
import { publishRevocations, revokeUserSessionsEverywhere, sessionRevocation, userRevocation } from "./revocations.js";

/** Bits of randomness in a refresh token (the brief asks for at least 256). */
export const REFRESH_TOKEN_BITS = 256;

/** Where a request came from, recorded on the session it starts. */
export interface RequestMeta {
  ip?: string | undefined;
  userAgent?: string | undefined;
}

/** A fresh access token and refresh token. */
export interface TokenPair {
  accessToken: string;
  /** Shown once; only its SHA-256 is stored. */
  refreshToken: string;
  /** Lifetime of the access token in seconds. */
  expiresIn: number;
  tokenType: "Bearer";
}

// Meta comes from callers as they like: anything but a non-empty string is recorded as unknown.
const clip = (value: unknown, max: number): string | null =>
  typeof value === "string" && value !== "" ? value.slice(0, max) : null;

const invalidRefresh = (): AuthError =>
  new AuthError("INVALID_REFRESH_TOKEN", "Refresh token is invalid or expired. Sign in again.");

/**
 * Starts a session (refresh-token family) for the user and issues its first tokens. Pass a transaction's `storage`
 * to commit the session with the change's other writes (sign-in commits it with its audit event).
 */
export async function startSession(
  ctx: AuthContext,
  user: UserRecord,
  meta: RequestMeta = {},
  storage: StorageAdapter = ctx.storage,
): Promise<TokenPair> {
  const now = ctx.clock.now();
  const { idleTimeoutSeconds, absoluteTimeoutSeconds } = ctx.options.session;
  const expiresAt = now + absoluteTimeoutSeconds * 1000;
  const refreshToken = randomToken(ctx.random, REFRESH_TOKEN_BITS);
  const session = await storage.createSession({
    session: {
      id: randomId(ctx.random, 128),
      userId: user.id,
      createdAt: now,
      lastUsedAt: now,
      idleExpiresAt: Math.min(now + idleTimeoutSeconds * 1000, expiresAt),
      expiresAt,
      ip: clip(meta?.ip, 64),
      userAgent: clip(meta?.userAgent, 512),
    },
    refreshTokenHash: hashToken(refreshToken),
  });
  return tokensFor(ctx, session, user, refreshToken, now);
}

/**
 * Starts the session of a finished sign-in (password, or password and second factor) and records its
 * `signin.success` event in the same transaction: one commit, and never a session without its event.
 */
export function startSignedInSession(
  ctx: AuthContext,
  user: UserRecord,
  meta: RequestMeta,
  data: AuditEventData["signin.success"],
): Promise<TokenPair> {
  return auditedTransaction(ctx, async (tx) => {
    const tokens = await startSession(ctx, user, meta, tx.storage);
    await recordEvent(ctx, { type: "signin.success", actorUserId: user.id, targetUserId: user.id, data, meta }, tx);
    return tokens;
  });
}

/** The token pair of a session; `activeOrganization` goes into the access token's `org` claim. */
export function tokensFor(
  ctx: AuthContext,
  session: SessionRecord,
  user: UserRecord,
  refreshToken: string,
  now: number,
  activeOrganization?: ActiveOrganizationClaim,
): TokenPair {
  const subject = { userId: user.id, email: user.email, sessionId: session.id };
  return {
    accessToken: signAccessToken(ctx.accessToken, subject, now, activeOrganization ? { activeOrganization } : {}),
    refreshToken,
    expiresIn: ctx.accessToken.ttlSeconds,
    tokenType: "Bearer",
  };
}

/**
 * Rotates a refresh token: the presented one is spent and a new pair is issued. A token that was already
 * rotated within `session.refreshReuseGraceSeconds` gets a new pair of the same session too (a repeat); one rotated
 * longer ago revokes its whole session and fails with `REFRESH_TOKEN_REUSED`; an unknown, expired or revoked one,
 * or one whose user is gone or disabled, fails with `INVALID_REFRESH_TOKEN`.
 */
export async function refreshSession(
  ctx: AuthContext,
  refreshToken: string,
  meta: RequestMeta = {},
): Promise<TokenPair> {
  const now = ctx.clock.now();
  const next = randomToken(ctx.random, REFRESH_TOKEN_BITS);
  const result = await ctx.storage.rotateRefreshToken({
    tokenHash: hashToken(refreshToken),
    newTokenHash: hashToken(next),
    now,
    idleExpiresAt: now + ctx.options.session.idleTimeoutSeconds * 1000,
    reuseGraceMs: ctx.options.session.refreshReuseGraceSeconds * 1000,
  });
  if (result.status === "reused") {
    const { id: sessionId, userId } = result.session;
    const data = { sessionId };
    await publishRevocations(ctx, ctx.storage, [sessionRevocation(userId, sessionId)]);
    await recordEvent(ctx, { type: "refresh.reuse", actorUserId: null, targetUserId: userId, data, meta });
    throw new AuthError(
      "REFRESH_TOKEN_REUSED",
      "This refresh token was already used; the session has been revoked. Sign in again.",
    );
  }
  if (result.status !== "rotated") throw invalidRefresh();
  const user = await ctx.storage.findUserById(result.session.userId);
  if (!user || user.status !== USER_STATUS.active) {
    await revokeDisabledUser(ctx, result.session.userId, now);
    throw invalidRefresh();
  }
  const active =
    result.session.activeOrgId === null ? null : await ctx.storage.findMembership(result.session.activeOrgId, user.id);
  return tokensFor(ctx, result.session, user, next, now, active ? activeOrganizationClaim(active) : undefined);
}

/**
 * The `org` claim for a membership, or undefined when it grants nothing (suspended): then the token carries no
 * active organization and `authorize` queries as usual.
 */
export function activeOrganizationClaim(membership: Membership): ActiveOrganizationClaim | undefined {
  if (membership.member.status !== MEMBER_STATUS.active) return undefined;
  const { role } = membership;
  return {
    id: membership.organization.id,
    role: { id: role.id, name: role.name, permissions: [...role.permissions] },
  };
}

/**
 * Revokes the session a refresh token belongs to, and its access tokens with it (a revocation record, in the same
 * transaction). Idempotent: an unknown or spent token is not an error.
 */
export async function endSession(ctx: AuthContext, refreshToken: string): Promise<void> {
  await ctx.storage.transaction(async (tx) => {
    const session = await tx.revokeSessionByRefreshToken(hashToken(refreshToken), "signout", ctx.clock.now());
    if (session) await publishRevocations(ctx, tx, [sessionRevocation(session.userId, session.id)]);
  });
}

/**
 * A refresh found the user gone or disabled in storage (by an admin here, or by another system): their sessions
 * are revoked and every access token of theirs stops working.
 */
export async function revokeDisabledUser(ctx: AuthContext, userId: number, now: number): Promise<void> {
  await ctx.storage.transaction(async (tx) => {
    await revokeUserSessionsEverywhere(ctx, tx, userId, "user_disabled", now);
    await publishRevocations(ctx, tx, [userRevocation(userId)]);
  });
}
