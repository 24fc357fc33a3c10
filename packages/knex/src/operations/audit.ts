import type { AuditEventRecord, ListAuditEventsInput, NewAuditEvent } from "@tenantauth/core";
import { type Db, insertId } from "../db.js";
import { jsonObject, num, numOrNull, type Row, toJson } from "../rows.js";

const strOrNull = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));

function toAuditEvent(row: Row): AuditEventRecord {
  return {
    id: num(row.id),
    type: String(row.type),
    at: num(row.at),
    actorUserId: numOrNull(row.actor_user_id),
    orgId: numOrNull(row.org_id),
    targetUserId: numOrNull(row.target_user_id),
    ip: strOrNull(row.ip),
    userAgent: strOrNull(row.user_agent),
    data: jsonObject(row.data),
  };
}

/** See StorageAdapter.insertAuditEvent: one INSERT. */
export async function insertAuditEvent(db: Db, event: NewAuditEvent): Promise<AuditEventRecord> {
  const id = await insertId(db, db.t.auditEvents, {
    type: event.type,
    at: event.at,
    actor_user_id: event.actorUserId,
    org_id: event.orgId,
    target_user_id: event.targetUserId,
    ip: event.ip,
    user_agent: event.userAgent,
    data: toJson(event.data),
  });
  return { id, ...event, data: jsonObject(toJson(event.data)) };
}

/** Newest-first page on one `(column, id)` index, or on the primary key when `column` is null. */
async function page(db: Db, column: string | null, value: number, input: ListAuditEventsInput): Promise<Row[]> {
  const query = db.q(db.t.auditEvents).orderBy("id", "desc").limit(input.limit);
  if (column !== null) query.where(column, value);
  if (input.beforeId !== undefined) query.where("id", "<", input.beforeId);
  return (await query) as Row[];
}

/**
 * See StorageAdapter.listAuditEvents. By organization, or all: one indexed query. By user: one query on the actor index
 * and one on the target index (an OR would defeat both), merged; the newest `limit` of the union are among the
 * newest `limit` of each.
 */
export async function listAuditEvents(db: Db, input: ListAuditEventsInput): Promise<AuditEventRecord[]> {
  if (input.orgId !== undefined) return (await page(db, "org_id", input.orgId, input)).map(toAuditEvent);
  if (input.userId === undefined) return (await page(db, null, 0, input)).map(toAuditEvent);
  const byId = new Map<number, AuditEventRecord>();
  for (const column of ["actor_user_id", "target_user_id"]) {
    for (const row of await page(db, column, input.userId, input)) byId.set(num(row.id), toAuditEvent(row));
  }
  return [...byId.values()].sort((a, b) => b.id - a.id).slice(0, input.limit);
}
