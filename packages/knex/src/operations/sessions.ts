import {
  type CreateSessionInput,
  REFRESH_REPEAT_MAX_LIVE,
  type RotateRefreshTokenInput,
  type RotateRefreshTokenResult,
  type SessionRecord,
} from "@tenantauth/core";
import { atomic, type Db, together } from "../db.js";
import { columnsAs, numOrNull, type Row, SESSION_COLUMNS, toSession } from "../rows.js";

/** See StorageAdapter.createSession. */
export async function createSession(db: Db, input: CreateSessionInput): Promise<SessionRecord> {
  const s = input.session;
  const session: SessionRecord = { ...s, revokedAt: null, revokeReason: null, activeOrgId: null };
  // Inside a sign-in's transaction (with its audit event) it needs no savepoint: a failure fails the sign-in.
  await together(db, async (tx) => {
    await tx.q(tx.t.sessions).insert({
      id: s.id,
      user_id: s.userId,
      created_at: s.createdAt,
      last_used_at: s.lastUsedAt,
      idle_expires_at: s.idleExpiresAt,
      expires_at: s.expiresAt,
      revoked_at: null,
      revoke_reason: null,
      ip: s.ip,
      user_agent: s.userAgent,
    });
    await tx.q(tx.t.refreshTokens).insert({
      token_hash: input.refreshTokenHash,
      session_id: s.id,
      created_at: s.createdAt,
      used_at: null,
    });
  });
  return session;
}

/** See StorageAdapter.findSessionById. */
export async function findSessionById(db: Db, id: string): Promise<SessionRecord | null> {
  const row = (await db.q(db.t.sessions).where({ id }).first()) as Row | undefined;
  return row ? toSession(row) : null;
}

/** The token's session, joined on the token's primary key; `lock` takes row locks on both (FOR UPDATE). */
async function sessionOfToken(
  db: Db,
  tokenHash: string,
  lock: boolean,
): Promise<{ session: SessionRecord; usedAt: number | null } | null> {
  const query = db
    .q({ rt: db.t.refreshTokens })
    .join({ s: db.t.sessions }, "s.id", "rt.session_id")
    .where("rt.token_hash", tokenHash)
    .select({ rt_used_at: "rt.used_at", ...columnsAs("s", "s_", SESSION_COLUMNS) })
    .first();
  // SQLite has no row locks (its single connection serialises transactions); knex drops the clause there.
  const row = (await (lock ? query.forUpdate() : query)) as Row | undefined;
  return row ? { session: toSession(row, "s_"), usedAt: numOrNull(row.rt_used_at) } : null;
}

async function revoke(db: Db, session: SessionRecord, reason: string, now: number): Promise<SessionRecord> {
  await db.q(db.t.sessions).where({ id: session.id }).whereNull("revoked_at").update({
    revoked_at: now,
    revoke_reason: reason,
  });
  return { ...session, revokedAt: now, revokeReason: reason };
}

/**
 * A spent token presented again within the grace (its first spending time counts), while the session holds fewer
 * than REFRESH_REPEAT_MAX_LIVE unspent tokens: one COUNT, only on this rare path. The caller holds the row locks.
 */
async function isRepeat(db: Db, sessionId: string, usedAt: number, input: RotateRefreshTokenInput): Promise<boolean> {
  const grace = input.reuseGraceMs ?? 0;
  if (grace === 0 || input.now - usedAt > grace) return false;
  const [row] = (await db
    .q(db.t.refreshTokens)
    .where({ session_id: sessionId })
    .whereNull("used_at")
    .count({ live: "*" })) as Row[];
  return Number(row?.live ?? 0) < REFRESH_REPEAT_MAX_LIVE;
}

/**
 * See StorageAdapter.rotateRefreshToken. The token row (and its session) is locked first, so concurrent
 * rotations of one token queue behind each other: the first spends it, the next ones find it spent (reuse).
 */
export function rotateRefreshToken(db: Db, input: RotateRefreshTokenInput): Promise<RotateRefreshTokenResult> {
  return atomic(db, async (tx): Promise<RotateRefreshTokenResult> => {
    const found = await sessionOfToken(tx, input.tokenHash, true);
    if (!found) return { status: "not_found" };
    const { session, usedAt } = found;
    // The port's order: not_found, revoked, expired, reused, rotated.
    if (session.revokedAt !== null) return { status: "revoked", session };
    if (input.now >= session.idleExpiresAt || input.now >= session.expiresAt) return { status: "expired", session };
    if (usedAt !== null) {
      if (!(await isRepeat(tx, session.id, usedAt, input))) {
        return { status: "reused", session: await revoke(tx, session, "reuse", input.now) };
      }
    } else {
      const spent = await tx
        .q(tx.t.refreshTokens)
        .where({ token_hash: input.tokenHash })
        .whereNull("used_at")
        .update({ used_at: input.now });
      // Unreachable while the row lock holds; kept so that a lock-less setup still cannot rotate twice.
      if (spent === 0) return { status: "reused", session: await revoke(tx, session, "reuse", input.now) };
    }
    await tx.q(tx.t.refreshTokens).insert({
      token_hash: input.newTokenHash,
      session_id: session.id,
      created_at: input.now,
      used_at: null,
    });
    await tx
      .q(tx.t.sessions)
      .where({ id: session.id })
      .update({ last_used_at: input.now, idle_expires_at: input.idleExpiresAt });
    return { status: "rotated", session: { ...session, lastUsedAt: input.now, idleExpiresAt: input.idleExpiresAt } };
  });
}

/**
 * See StorageAdapter.revokeSessionByRefreshToken. Reads by the token's primary key, then updates by the session's,
 * with `revoked_at IS NULL` in the WHERE clause so that of concurrent revocations the first one's reason stays.
 */
export async function revokeSessionByRefreshToken(
  db: Db,
  tokenHash: string,
  reason: string,
  now: number,
): Promise<SessionRecord | null> {
  const found = await sessionOfToken(db, tokenHash, false);
  if (!found) return null;
  if (found.session.revokedAt !== null) return found.session;
  const updated = await db
    .q(db.t.sessions)
    .where({ id: found.session.id })
    .whereNull("revoked_at")
    .update({ revoked_at: now, revoke_reason: reason });
  if (updated === 1) return { ...found.session, revokedAt: now, revokeReason: reason };
  return findSessionById(db, found.session.id); // revoked by someone else in between
}

/** See StorageAdapter.revokeUserSessions: one UPDATE on sessions(user_id) of the live (unrevoked, unexpired) ones. */
export async function revokeUserSessions(
  db: Db,
  userId: number,
  reason: string,
  now: number,
  options: { exceptSessionId?: string } = {},
): Promise<number> {
  const query = db
    .q(db.t.sessions)
    .where({ user_id: userId })
    .whereNull("revoked_at")
    .where("expires_at", ">", now)
    .where("idle_expires_at", ">", now);
  if (options.exceptSessionId !== undefined) query.whereNot({ id: options.exceptSessionId });
  return query.update({ revoked_at: now, revoke_reason: reason });
}
