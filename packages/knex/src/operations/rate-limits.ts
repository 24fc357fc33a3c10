import type { HitRateLimitInput, RateLimitWindow } from "@tenantauth/core";
import { atomic, type Db } from "../db.js";
import { num, type Row } from "../rows.js";

const toWindow = (row: Row): RateLimitWindow => ({ count: num(row.hits), resetAt: num(row.reset_at) });

/**
 * See RateLimitStorage.hitRateLimit. One upsert that starts a new window when the old one ended, else adds one.
 * SQLite and PostgreSQL read the row back with RETURNING in the same statement. MySQL has no RETURNING: the upsert
 * and the read share a transaction, and the upsert's row lock keeps other hits out until it commits, so the count
 * read is this hit's own.
 */
export async function hitRateLimit(db: Db, { key, windowMs, now }: HitRateLimitInput): Promise<RateLimitWindow> {
  const fresh = now + windowMs;
  const table = db.t.rateLimits;
  if (db.dialect === "mysql") {
    return atomic(db, async (tx) => {
      // MySQL assigns left to right: `hits` is computed while `reset_at` still holds the old window's end.
      await tx.q.raw(
        "insert into ?? (limit_key, hits, reset_at) values (?, 1, ?) on duplicate key update " +
          "hits = if(reset_at <= ?, 1, hits + 1), reset_at = if(reset_at <= ?, ?, reset_at)",
        [table, key, fresh, now, now, fresh],
      );
      const row = (await tx.q(table).select("hits", "reset_at").where({ limit_key: key }).first()) as Row;
      return toWindow(row);
    });
  }
  // Every SET expression sees the row as it was before the update (standard SQL), so the order does not matter.
  const result = (await db.q.raw(
    "insert into ?? as r (limit_key, hits, reset_at) values (?, 1, ?) on conflict (limit_key) do update set " +
      "hits = case when r.reset_at <= ? then 1 else r.hits + 1 end, " +
      "reset_at = case when r.reset_at <= ? then ? else r.reset_at end returning hits, reset_at",
    [table, key, fresh, now, now, fresh],
  )) as Row[] | { rows: Row[] };
  const rows = Array.isArray(result) ? result : result.rows;
  return toWindow(rows[0] as Row);
}

/** See RateLimitStorage.peekRateLimits: one SELECT by primary key. */
export async function peekRateLimits(
  db: Db,
  keys: readonly string[],
  now: number,
): Promise<Array<RateLimitWindow | null>> {
  if (keys.length === 0) return [];
  const rows = (await db
    .q(db.t.rateLimits)
    .select("limit_key", "hits", "reset_at")
    .whereIn("limit_key", [...keys])
    .where("reset_at", ">", now)) as Row[];
  const byKey = new Map(rows.map((row) => [String(row.limit_key), toWindow(row)]));
  return keys.map((key) => byKey.get(key) ?? null);
}

/** See RateLimitStorage.resetRateLimits. */
export async function resetRateLimits(db: Db, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  await db
    .q(db.t.rateLimits)
    .whereIn("limit_key", [...keys])
    .delete();
}

/** See RateLimitStorage.pruneRateLimits. */
export async function pruneRateLimits(db: Db, now: number): Promise<number> {
  return Number(await db.q(db.t.rateLimits).where("reset_at", "<=", now).delete());
}
