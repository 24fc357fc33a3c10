import type { AuditEventRecord, ListAuditEventsInput, NewAuditEvent } from "@tenantauth/core";
import { deepFreeze, detach, jsonColumn } from "./copy.js";
import { nextId, type Tables } from "./state.js";

/** Appends an audit event with the next id. */
export function insertAuditEvent(tables: Tables, event: NewAuditEvent): AuditEventRecord {
  const id = nextId(tables, "audit");
  const record: AuditEventRecord = deepFreeze({ id, ...event, data: jsonColumn(event.data) });
  tables.auditEvents.set(id, record);
  return detach(record);
}

/** Events of an organization, with the user as actor or target, or all; newest first, below `beforeId`, at most `limit`. */
export function listAuditEvents(tables: Tables, input: ListAuditEventsInput): AuditEventRecord[] {
  const matches =
    input.orgId !== undefined
      ? (e: AuditEventRecord) => e.orgId === input.orgId
      : input.userId !== undefined
        ? (e: AuditEventRecord) => e.actorUserId === input.userId || e.targetUserId === input.userId
        : () => true;
  const found: AuditEventRecord[] = [];
  for (const event of [...tables.auditEvents.values()].reverse()) {
    if (input.beforeId !== undefined && event.id >= input.beforeId) continue;
    if (!matches(event)) continue;
    found.push(detach(event));
    if (found.length >= input.limit) break;
  }
  return found;
}
