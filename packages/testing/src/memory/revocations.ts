import type { ListRevocationsInput, NewRevocation, RevocationRecord } from "@tenantauth/core";
import { deepFreeze, detach } from "./copy.js";
import { nextId, type Tables } from "./state.js";

/** Appends the records with ascending ids and `createdAt = now`. */
export function recordRevocations(tables: Tables, records: NewRevocation[], now: number): void {
  for (const r of records) {
    const id = nextId(tables, "revocations");
    const row: RevocationRecord = {
      id,
      kind: r.kind,
      userId: r.userId,
      sessionId: r.sessionId,
      orgId: r.orgId,
      roleId: r.roleId,
      createdAt: now,
    };
    tables.revocations.set(id, deepFreeze(row));
  }
}

/** Records after `afterId` created at or after `since`, by ascending id, at most `limit`. */
export function listRevocations(tables: Tables, input: ListRevocationsInput): RevocationRecord[] {
  const rows: RevocationRecord[] = [];
  for (const row of tables.revocations.values()) {
    if (rows.length >= input.limit) break;
    if (row.id > input.afterId && row.createdAt >= input.since) rows.push(detach(row));
  }
  return rows;
}

/** Deletes records created before `before`; returns how many. */
export function pruneRevocations(tables: Tables, before: number): number {
  let count = 0;
  for (const [id, row] of tables.revocations) {
    if (row.createdAt < before) {
      tables.revocations.delete(id);
      count += 1;
    }
  }
  return count;
}
