import type { AuthContext } from "../internal/context.js";
import type { StorageAdapter } from "../ports/storage.js";

/** An administrative action that must leave an audit row. */
export interface AdminAuditEvent {
  action: "user.impersonate" | "user.disable" | "user.enable";
  /** The platform administrator. */
  actorUserId: number;
  targetUserId: number;
  at: number;
}

/**
 * AUDIT SEAM (platform admin): every admin action calls this inside its write transaction (impersonation, which
 * writes nothing else, in its own). It is where the action's audit row is written once the audit-event
 * infrastructure exists on the storage port; until then it records nothing.
 */
export async function auditAdminAction(
  _ctx: AuthContext,
  _tx: StorageAdapter,
  _event: AdminAuditEvent,
): Promise<void> {}
