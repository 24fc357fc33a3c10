import type { ListRevocationsInput, NewRevocation, RevocationKind, RevocationRecord } from "@tenantauth/core";
import type { Db } from "../db.js";
import { num, numOrNull, type Row } from "../rows.js";

function toRevocation(row: Row): RevocationRecord {
  return {
    id: num(row.id),
    kind: String(row.kind) as RevocationKind,
    userId: numOrNull(row.user_id),
    sessionId: row.session_id === null || row.session_id === undefined ? null : String(row.session_id),
    orgId: numOrNull(row.org_id),
    roleId: numOrNull(row.role_id),
    createdAt: num(row.created_at),
  };
}

/** See StorageAdapter.recordRevocations: one multi-row INSERT (ids ascend in the order given). */
export async function recordRevocations(db: Db, records: NewRevocation[], now: number): Promise<void> {
  if (records.length === 0) return;
  await db.q(db.t.revocations).insert(
    records.map((r) => ({
      kind: r.kind,
      user_id: r.userId,
      session_id: r.sessionId,
      org_id: r.orgId,
      role_id: r.roleId,
      created_at: now,
    })),
  );
}

/** See StorageAdapter.listRevocations: one range read on the primary key. */
export async function listRevocations(db: Db, input: ListRevocationsInput): Promise<RevocationRecord[]> {
  const rows = (await db
    .q(db.t.revocations)
    .where("id", ">", input.afterId)
    .where("created_at", ">=", input.since)
    .orderBy("id", "asc")
    .limit(input.limit)) as Row[];
  return rows.map(toRevocation);
}

/** See StorageAdapter.pruneRevocations: one DELETE on the `created_at` index. */
export async function pruneRevocations(db: Db, before: number): Promise<number> {
  return db.q(db.t.revocations).where("created_at", "<", before).delete();
}
