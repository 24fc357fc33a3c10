import { AuthError } from "../errors.js";
import type { AuthContext } from "../internal/context.js";
import { logError } from "../internal/safe-error.js";
import type { AuditEventRecord } from "../ports/audit-storage.js";
import type { StorageAdapter } from "../ports/storage.js";
import type { Principal } from "../sessions/access-token.js";
import { userIdOf } from "../sessions/principal.js";
import type { RequestMeta } from "../sessions/sessions.js";
import { AUDIT_EVENT_SCHEMAS, type AuditEvent, type AuditEventInput } from "./events.js";

/** An open transaction whose audit events are handed to `onEvent` only after it commits. */
export interface AuditTransaction {
  /** The transaction-bound storage: use it for every write of the change. */
  readonly storage: StorageAdapter;
  /** Events written in the transaction, published after commit. */
  readonly pending: AuditEvent[];
}

const clip = (value: unknown, max: number): string | null =>
  typeof value === "string" && value !== "" ? value.slice(0, max) : null;

/** The request facts of a principal (attached by the HTTP handler or `withRequestMeta`), or none. */
export function metaOf(principal: Principal): RequestMeta {
  return principal.meta ?? {};
}

/** Who did it, where and from which request: the fields of an event the caller caused in an organization. */
export function byCallerIn(
  principal: Principal,
  orgId: number,
): { actorUserId: number; orgId: number; meta: RequestMeta } {
  return { actorUserId: userIdOf(principal), orgId, meta: metaOf(principal) };
}

/**
 * Records an audit event: writes the row through the storage port (inside `tx` when given, so it commits or rolls
 * back with the change), then hands it to the `onEvent` hook. Inside a transaction the hook is called by
 * {@link auditedTransaction} after the commit, never for a change that rolled back.
 *
 * The data is parsed with the event type's strict schema (events.ts) before anything is written: the schemas have
 * no field for a secret, so a password, token or hash cannot reach the row or the hook.
 * @throws AuthError `INTERNAL_ERROR` when the data does not fit its type's schema (a bug in a flow)
 */
export async function recordEvent(ctx: AuthContext, input: AuditEventInput, tx?: AuditTransaction): Promise<void> {
  const parsed = AUDIT_EVENT_SCHEMAS[input.type].safeParse(input.data);
  if (!parsed.success) {
    throw new AuthError("INTERNAL_ERROR", `Audit event ${input.type} has data outside its schema`, {
      cause: parsed.error,
    });
  }
  const storage = tx?.storage ?? ctx.storage;
  const meta = input.meta ?? {};
  const record = await storage.insertAuditEvent({
    type: input.type,
    at: ctx.clock.now(),
    actorUserId: input.actorUserId,
    orgId: input.orgId ?? null,
    targetUserId: input.targetUserId ?? null,
    ip: clip(meta.ip, 64),
    userAgent: clip(meta.userAgent, 512),
    data: parsed.data,
  });
  const event = toAuditEvent(record);
  if (tx) tx.pending.push(event);
  else publish(ctx, event);
}

/**
 * Runs `fn` in one storage transaction; events recorded with its `tx` are written in the transaction and handed
 * to `onEvent` once it has committed. If the transaction is retried (deadlock), only the last attempt's events
 * are published.
 */
export async function auditedTransaction<T>(ctx: AuthContext, fn: (tx: AuditTransaction) => Promise<T>): Promise<T> {
  let pending: AuditEvent[] = [];
  const result = await ctx.storage.transaction((storage) => {
    pending = [];
    return fn({ storage, pending });
  });
  for (const event of pending) publish(ctx, event);
  return result;
}

/** A stored row as the public event type (rows are only ever written through `recordEvent`). */
export function toAuditEvent(record: AuditEventRecord): AuditEvent {
  return { ...record } as AuditEvent;
}

/**
 * Calls the `onEvent` hook with a copy of the event. The hook must never break the operation that caused the
 * event: a throw or a rejected promise is caught and logged (`logError`: its safe fields only), and a returned promise is not
 * awaited (`auth.mail.idle()` waits for it).
 */
function publish(ctx: AuthContext, event: AuditEvent): void {
  const hook = ctx.options.onEvent;
  if (!hook) return;
  const failed = (error: unknown): void => logError(`onEvent hook failed for ${event.type}`, error);
  try {
    const result: unknown = hook(structuredClone(event));
    if (typeof (result as PromiseLike<unknown> | undefined)?.then === "function") {
      ctx.track(Promise.resolve(result).catch(failed));
    }
  } catch (error) {
    failed(error);
  }
}
