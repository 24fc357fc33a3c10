import type { SessionRecord } from "@tenantauth/core";
import type { Db } from "../db.js";
import { type Row, toSession } from "../rows.js";

/** See StorageAdapter.listLiveSessions: one query on sessions(user_id). */
export async function listLiveSessions(db: Db, userId: number, now: number): Promise<SessionRecord[]> {
  const rows = (await db
    .q(db.t.sessions)
    .where({ user_id: userId })
    .whereNull("revoked_at")
    .where("expires_at", ">", now)
    .where("idle_expires_at", ">", now)
    .orderBy([
      { column: "last_used_at", order: "desc" },
      { column: "created_at", order: "desc" },
      { column: "id", order: "asc" },
    ])) as Row[];
  return rows.map((row) => toSession(row));
}

/** See StorageAdapter.revokeSession: one UPDATE by primary key, guarded by user, liveness and `revoked_at IS NULL`. */
export async function revokeSession(
  db: Db,
  userId: number,
  sessionId: string,
  reason: string,
  now: number,
): Promise<boolean> {
  const updated = await db
    .q(db.t.sessions)
    .where({ id: sessionId, user_id: userId })
    .whereNull("revoked_at")
    .where("expires_at", ">", now)
    .where("idle_expires_at", ">", now)
    .update({ revoked_at: now, revoke_reason: reason });
  return updated === 1;
}
