import type { JsonObject } from "./records.js";

/** What {@link AuditStorage.insertAuditEvent} writes: one row of `audit_events`. */
export interface NewAuditEvent {
  /** Event type, such as `signin.failure` (at most 64 characters). */
  type: string;
  /** Epoch ms. */
  at: number;
  actorUserId: number | null;
  orgId: number | null;
  targetUserId: number | null;
  /** At most 64 characters. */
  ip: string | null;
  /** At most 512 characters. */
  userAgent: string | null;
  /** Event data; core guarantees it holds no secret. */
  data: JsonObject;
}

/** A stored audit event. */
export interface AuditEventRecord extends NewAuditEvent {
  /** Auto-increment id: a later insert has a larger id. */
  id: number;
}

/**
 * Input of {@link AuditStorage.listAuditEvents}: the events of one organization (`orgId`), those a user did or
 * had done to them (`userId`: actor or target), or every event (neither), newest first.
 */
export type ListAuditEventsInput = (
  | { orgId: number; userId?: undefined }
  | { userId: number; orgId?: undefined }
  | { orgId?: undefined; userId?: undefined }
) & {
  /** Only events with a smaller id (the cursor: the last id of the previous page). */
  beforeId?: number | undefined;
  /** At most this many events. */
  limit: number;
};

/** Where audit events are kept. */
export interface AuditStorage {
  /** Appends an audit event and returns it with its id. Inside a transaction, it is undone with it. */
  insertAuditEvent(event: NewAuditEvent): Promise<AuditEventRecord>;

  /**
   * Audit events of an organization, of a user (as actor or as target; an event with both is listed once), or all
   * of them, by id descending, at most `limit`, only ids below `beforeId` when given. Indexed on
   * `(org_id, id)`, `(actor_user_id, id)`, `(target_user_id, id)` and the primary key.
   */
  listAuditEvents(input: ListAuditEventsInput): Promise<AuditEventRecord[]>;
}
