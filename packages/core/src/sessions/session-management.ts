import * as z from "zod";
import type { AuditEventData } from "../audit/events.js";
import { auditedTransaction, metaOf, recordEvent } from "../audit/record.js";
import { AuthError } from "../errors.js";
import type { AuthContext } from "../internal/context.js";
import { parseInput } from "../internal/validate.js";
import type { Principal, UserPrincipal } from "./access-token.js";
import { describeDevice } from "./device.js";
import { assertNotImpersonating, assertPrincipal } from "./principal.js";
import { publishRevocations, revokeUserSessionsEverywhere, sessionRevocation } from "./revocations.js";

/** One live session of the signed-in user, as the sessions page shows it. */
export interface SessionInfo {
  /** The session id: pass it to `auth.sessions.revoke()`. */
  id: string;
  /** A short summary of the user agent, e.g. "Chrome on Linux" ("Unknown device" without one). */
  device: string;
  /** The User-Agent header at sign-in, or null. */
  userAgent: string | null;
  /** The IP address at sign-in, or null. */
  ip: string | null;
  /** Sign-in time, epoch ms. */
  createdAt: number;
  /** Last sign-in or refresh, epoch ms. */
  lastUsedAt: number;
  /** True for the session of the access token the principal came from. */
  current: boolean;
}

const sessionIdSchema = z.string({ error: "must be a session id" }).min(1).max(64);

/** The principal's live sessions, most recently used first. */
export async function listSessions(ctx: AuthContext, principal: Principal): Promise<SessionInfo[]> {
  assertPrincipal(principal);
  const sessions = await ctx.storage.listLiveSessions(principal.userId, ctx.clock.now());
  return sessions.map((s) => ({
    id: s.id,
    device: describeDevice(s.userAgent),
    userAgent: s.userAgent,
    ip: s.ip,
    createdAt: s.createdAt,
    lastUsedAt: s.lastUsedAt,
    current: s.id === principal.sessionId,
  }));
}

/**
 * Revokes one of the principal's own live sessions (the current one too: that is signing out). Another user's
 * session, or one that is unknown or already ended, is `NOT_FOUND`, so session ids reveal nothing.
 */
export async function revokeSession(ctx: AuthContext, principal: Principal, sessionId: string): Promise<void> {
  assertPrincipal(principal);
  const id = parseInput(sessionIdSchema, sessionId);
  await auditedTransaction(ctx, async (tx) => {
    if (!(await tx.storage.revokeSession(principal.userId, id, "revoked_by_user", ctx.clock.now()))) {
      throw new AuthError("NOT_FOUND", "No such session");
    }
    await publishRevocations(ctx, tx.storage, [sessionRevocation(principal.userId, id)]);
    await recordEvent(ctx, revokeEvent(principal, { scope: "one", sessionId: id, sessionsRevoked: 1 }), tx);
  });
}

/** Revokes every live session of the principal's user except the current one. Returns how many it revoked. */
export async function revokeOtherSessions(ctx: AuthContext, principal: Principal): Promise<number> {
  return revokeMany(ctx, principal, "others");
}

/** Revokes every session of the principal's user, the current one included (sign out everywhere). */
export async function revokeAllSessions(ctx: AuthContext, principal: Principal): Promise<number> {
  return revokeMany(ctx, principal, "all");
}

/**
 * Signs the principal's user out of every session (`all`) or every other one (`others`): the sessions, their
 * revocation records and the `session.revoke` event in one transaction. Never under impersonation.
 */
async function revokeMany(ctx: AuthContext, principal: Principal, scope: "others" | "all"): Promise<number> {
  assertPrincipal(principal);
  assertNotImpersonating(
    principal,
    scope === "all" ? "sign out everywhere" : "sign the user out of their other sessions",
  );
  const except = scope === "others" ? { exceptSessionId: principal.sessionId } : undefined;
  const reason = scope === "others" ? "signout_others" : "signout_all";
  return auditedTransaction(ctx, async (tx) => {
    const revoked = await revokeUserSessionsEverywhere(
      ctx,
      tx.storage,
      principal.userId,
      reason,
      ctx.clock.now(),
      except,
    );
    await recordEvent(ctx, revokeEvent(principal, { scope, sessionId: null, sessionsRevoked: revoked }), tx);
    return revoked;
  });
}

/** The `session.revoke` event of sessions a user ended themselves. */
const revokeEvent = (principal: UserPrincipal, data: AuditEventData["session.revoke"]) =>
  ({
    type: "session.revoke",
    actorUserId: principal.userId,
    targetUserId: principal.userId,
    data,
    meta: metaOf(principal),
  }) as const;
