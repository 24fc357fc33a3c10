import {
  type CreateSessionInput,
  REFRESH_REPEAT_MAX_LIVE,
  type RotateRefreshTokenInput,
  type RotateRefreshTokenResult,
  type SessionRecord,
} from "@tenantauth/core";
import { deepFreeze, detach, storageError } from "./copy.js";
import { checkUserExists } from "./memberships.js";
import type { Tables } from "./state.js";

/** Inserts a session and its first refresh-token hash. Duplicate ids or hashes break a unique key. */
export function createSession(tables: Tables, input: CreateSessionInput): SessionRecord {
  const s = input.session;
  checkUserExists(tables, s.userId);
  if (tables.sessions.has(s.id)) throw storageError(`duplicate session id ${s.id}`);
  if (tables.refreshTokens.has(input.refreshTokenHash)) throw storageError("duplicate refresh-token hash");
  const session: SessionRecord = deepFreeze({
    id: s.id,
    userId: s.userId,
    createdAt: s.createdAt,
    lastUsedAt: s.lastUsedAt,
    idleExpiresAt: s.idleExpiresAt,
    expiresAt: s.expiresAt,
    revokedAt: null,
    revokeReason: null,
    ip: s.ip,
    userAgent: s.userAgent,
    activeOrgId: null,
  });
  tables.sessions.set(session.id, session);
  tables.refreshTokens.set(input.refreshTokenHash, deepFreeze({ sessionId: session.id, spentAt: null }));
  return detach(session);
}

/** The session with this id, or null. */
export function findSessionById(tables: Tables, id: string): SessionRecord | null {
  const session = tables.sessions.get(id);
  return session ? detach(session) : null;
}

const isExpired = (session: SessionRecord, now: number): boolean =>
  now >= session.idleExpiresAt || now >= session.expiresAt;

function revoke(tables: Tables, session: SessionRecord, reason: string, now: number): SessionRecord {
  if (session.revokedAt !== null) return session;
  const revoked = deepFreeze({ ...session, revokedAt: now, revokeReason: reason });
  tables.sessions.set(revoked.id, revoked);
  return revoked;
}

/**
 * Spends the token and installs its successor. Checks run in this order: unknown token, revoked session,
 * expired session, spent token (reuse: revoke the session), then rotate.
 */
/** A spent token presented again within the grace, while the session holds few enough unspent tokens. */
function isRepeat(tables: Tables, sessionId: string, spentAt: number, input: RotateRefreshTokenInput): boolean {
  const grace = input.reuseGraceMs ?? 0;
  if (grace === 0 || input.now - spentAt > grace) return false;
  let live = 0;
  for (const t of tables.refreshTokens.values()) if (t.sessionId === sessionId && t.spentAt === null) live += 1;
  return live < REFRESH_REPEAT_MAX_LIVE;
}

export function rotateRefreshToken(tables: Tables, input: RotateRefreshTokenInput): RotateRefreshTokenResult {
  const token = tables.refreshTokens.get(input.tokenHash);
  const session = token ? tables.sessions.get(token.sessionId) : undefined;
  if (!token || !session) return { status: "not_found" };
  if (session.revokedAt !== null) return { status: "revoked", session: detach(session) };
  if (isExpired(session, input.now)) return { status: "expired", session: detach(session) };
  if (token.spentAt !== null && !isRepeat(tables, session.id, token.spentAt, input)) {
    return { status: "reused", session: detach(revoke(tables, session, "reuse", input.now)) };
  }
  if (tables.refreshTokens.has(input.newTokenHash)) throw storageError("duplicate refresh-token hash");
  const rotated = deepFreeze({ ...session, lastUsedAt: input.now, idleExpiresAt: input.idleExpiresAt });
  // A repeat keeps the first spending time: the grace runs from it, never from the repeat.
  if (token.spentAt === null) tables.refreshTokens.set(input.tokenHash, deepFreeze({ ...token, spentAt: input.now }));
  tables.refreshTokens.set(input.newTokenHash, deepFreeze({ sessionId: session.id, spentAt: null }));
  tables.sessions.set(rotated.id, rotated);
  return { status: "rotated", session: detach(rotated) };
}

/** Revokes the session of a current or spent token; keeps an earlier revocation. Null for an unknown token. */
export function revokeSessionByRefreshToken(
  tables: Tables,
  tokenHash: string,
  reason: string,
  now: number,
): SessionRecord | null {
  const token = tables.refreshTokens.get(tokenHash);
  const session = token ? tables.sessions.get(token.sessionId) : undefined;
  return session ? detach(revoke(tables, session, reason, now)) : null;
}

/** Revokes the user's live (unrevoked, unexpired) sessions but `exceptSessionId`; returns how many. */
export function revokeUserSessions(
  tables: Tables,
  userId: number,
  reason: string,
  now: number,
  options: { exceptSessionId?: string } = {},
): number {
  let count = 0;
  for (const session of [...tables.sessions.values()]) {
    if (session.userId !== userId || session.id === options.exceptSessionId) continue;
    if (session.revokedAt !== null || isExpired(session, now)) continue;
    revoke(tables, session, reason, now);
    count += 1;
  }
  return count;
}
