import * as z from "zod";
import { isPlatformAdminPrincipal } from "../admin/platform-admin.js";
import { AuthError } from "../errors.js";
import type { AuthContext } from "../internal/context.js";
import { idCursor, idCursorSchema } from "../internal/cursor.js";
import { parseInput } from "../internal/validate.js";
import type { Principal } from "../sessions/access-token.js";
import { assertPrincipal } from "../sessions/principal.js";
import { idSchema, requireMembership } from "../tenancy/permissions.js";
import type { AuditEvent } from "./events.js";
import { toAuditEvent } from "./record.js";

/**
 * Whose events `auth.audit.list()` lists: one organization's, one user's (as actor or target), or (platform
 * administrators only) all of them, failed sign-ins of unknown emails included.
 */
export type AuditScope = { orgId: number } | { userId: number } | { all: true };

/** Options of `auth.audit.list()`. */
export interface ListAuditOptions {
  /** `nextCursor` of the previous page. */
  cursor?: string | null | undefined;
  /** Page size, 1..200. @default 50 */
  limit?: number | undefined;
}

/** A page of audit events, newest first; `nextCursor` is null on the last page. */
export interface AuditPage {
  items: AuditEvent[];
  nextCursor: string | null;
}

const scopeSchema = z.union(
  [z.strictObject({ orgId: idSchema }), z.strictObject({ userId: idSchema }), z.strictObject({ all: z.literal(true) })],
  { error: "must be { orgId }, { userId } or { all: true }" },
);

const optionsSchema = z.strictObject({
  cursor: idCursorSchema.nullish(),
  limit: z.number().int().min(1).max(200).default(50),
});

/**
 * A page of audit events, newest first.
 * - `{ orgId }`: needs `audit:read` in the organization (Owner and Admin have it); an outsider gets `NOT_FOUND`.
 * - `{ userId }`: the principal's own events (as actor or target); anyone else's is `NOT_FOUND`.
 * - `{ all: true }`: every event; platform administrators only (others get `FORBIDDEN`).
 * Platform administrators may list any organization's or user's events.
 */
export async function listAuditEvents(
  ctx: AuthContext,
  principal: Principal,
  scope: AuditScope,
  options: ListAuditOptions = {},
): Promise<AuditPage> {
  assertPrincipal(principal);
  const target = parseInput(scopeSchema, scope);
  const o = parseInput(optionsSchema, options ?? {});
  const admin = await isPlatformAdminPrincipal(ctx, principal);
  if (!admin) {
    if ("orgId" in target) await requireMembership(ctx, principal, target.orgId, "audit:read");
    else if ("all" in target) throw new AuthError("FORBIDDEN", "Only platform administrators can list all events");
    else if (target.userId !== principal.userId) throw new AuthError("NOT_FOUND", "User not found");
  }
  const filter = "orgId" in target ? { orgId: target.orgId } : "userId" in target ? { userId: target.userId } : {};
  const rows = await ctx.storage.listAuditEvents({
    ...filter,
    limit: o.limit + 1,
    ...(o.cursor ? { beforeId: o.cursor } : {}),
  });
  const page = rows.slice(0, o.limit);
  const last = page.at(-1);
  return {
    items: page.map(toAuditEvent),
    nextCursor: rows.length > o.limit && last ? idCursor(last.id) : null,
  };
}
