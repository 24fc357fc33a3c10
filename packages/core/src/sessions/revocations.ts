import type { AuthContext } from "../internal/context.js";
import type { NewRevocation } from "../ports/revocation-storage.js";
import type { StorageAdapter } from "../ports/storage.js";

const none = { userId: null, sessionId: null, orgId: null, roleId: null } as const;

/** Every access token of the session stops working. */
export const sessionRevocation = (userId: number, sessionId: string): NewRevocation => ({
  ...none,
  kind: "session",
  userId,
  sessionId,
});

/** The user's impersonation tokens stop working (their sessions get {@link sessionRevocation}s). */
export const userRevocation = (userId: number): NewRevocation => ({ ...none, kind: "user", userId });

/** The user's `org` claim for the organization works only if it names `roleId` (null: none works). */
export const membershipRevocation = (orgId: number, userId: number, roleId: number | null): NewRevocation => ({
  ...none,
  kind: "membership",
  userId,
  orgId,
  roleId,
});

/** No `org` claim for the organization works any more (deleted). */
export const organizationRevocation = (orgId: number): NewRevocation => ({ ...none, kind: "organization", orgId });

/**
 * Writes revocation records (in the caller's transaction when `storage` is one) and makes this node read them at
 * its next `authenticate`; other nodes read them within `revocation.refreshSeconds`.
 */
export async function publishRevocations(
  ctx: AuthContext,
  storage: StorageAdapter,
  records: NewRevocation[],
): Promise<void> {
  if (records.length === 0) return;
  await storage.recordRevocations(records, ctx.clock.now());
  ctx.revocations.expire();
}

/**
 * Revokes the user's live sessions (but `exceptSessionId`) and publishes a revocation for each, so that their
 * access tokens stop working too. Returns how many it revoked.
 */
export async function revokeUserSessionsEverywhere(
  ctx: AuthContext,
  storage: StorageAdapter,
  userId: number,
  reason: string,
  now: number,
  options: { exceptSessionId?: string } = {},
): Promise<number> {
  const live = await storage.listLiveSessions(userId, now);
  const revoked = await storage.revokeUserSessions(userId, reason, now, options);
  const ids = live.map((s) => s.id).filter((id) => id !== options.exceptSessionId);
  await publishRevocations(
    ctx,
    storage,
    ids.map((id) => sessionRevocation(userId, id)),
  );
  return revoked;
}
