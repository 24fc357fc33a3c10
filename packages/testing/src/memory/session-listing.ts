import type { SessionRecord } from "@tenantauth/core";
import { deepFreeze, detach } from "./copy.js";
import type { Tables } from "./state.js";

const isLive = (session: SessionRecord, now: number): boolean =>
  session.revokedAt === null && now < session.idleExpiresAt && now < session.expiresAt;

/** The user's live sessions, most recently used first (then newest, then by id). */
export function listLiveSessions(tables: Tables, userId: number, now: number): SessionRecord[] {
  return [...tables.sessions.values()]
    .filter((s) => s.userId === userId && isLive(s, now))
    .sort(
      (a, b) => b.lastUsedAt - a.lastUsedAt || b.createdAt - a.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    )
    .map(detach);
}

/** Revokes one live session of the user; false when there is none with that id. */
export function revokeSession(tables: Tables, userId: number, sessionId: string, reason: string, now: number): boolean {
  const session = tables.sessions.get(sessionId);
  if (!session || session.userId !== userId || !isLive(session, now)) return false;
  tables.sessions.set(sessionId, deepFreeze({ ...session, revokedAt: now, revokeReason: reason }));
  return true;
}
