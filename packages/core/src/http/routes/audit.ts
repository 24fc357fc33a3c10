import * as z from "zod";
import type { AuditEvent } from "../../audit/events.js";
import type { AuditPage } from "../../audit/list.js";
import { userIdOf } from "../../sessions/principal.js";
import { defineRoute, type Route } from "../route.js";
import { idParam } from "../wire.js";

const nullableId = z.number().int().positive().nullable();

/** An audit event on the wire: snake_case, its data's keys too. */
export const auditEventWire = z.object({
  id: z.number().int().positive(),
  type: z.string().describe("e.g. signin.failure, member.role_change (docs/audit.md)"),
  at: z.number().int().describe("epoch milliseconds"),
  actor_user_id: nullableId,
  org_id: nullableId,
  target_user_id: nullableId,
  ip: z.string().nullable(),
  user_agent: z.string().nullable(),
  data: z.record(z.string(), z.unknown()).describe("depends on the type; never a secret"),
});

const snake = (key: string): string => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

const toAuditEventWire = (e: AuditEvent): z.infer<typeof auditEventWire> => ({
  id: e.id,
  type: e.type,
  at: e.at,
  actor_user_id: e.actorUserId,
  org_id: e.orgId,
  target_user_id: e.targetUserId,
  ip: e.ip,
  user_agent: e.userAgent,
  data: Object.fromEntries(Object.entries(e.data).map(([k, v]) => [snake(k), v])),
});

const pageWire = z.object({ items: z.array(auditEventWire), next_cursor: z.string().nullable() });
const toPageWire = (page: AuditPage): z.infer<typeof pageWire> => ({
  items: page.items.map(toAuditEventWire),
  next_cursor: page.nextCursor,
});
const pageQuery = z.strictObject({ cursor: z.string().optional(), limit: idParam.max(200).optional() });

/** Audit events of an organization, and the signed-in user's own. */
export const auditRoutes: Route[] = [
  defineRoute({
    method: "GET",
    path: "/organizations/{org_id}/audit-events",
    operationId: "listOrganizationAuditEvents",
    summary: "A page of the organization's audit events, newest first",
    tag: "audit",
    auth: true,
    permission: "audit:read",
    params: z.strictObject({ org_id: idParam }),
    query: pageQuery,
    response: { status: 200, description: "Events and the cursor of the next page", schema: pageWire },
    errors: ["NOT_FOUND", "FORBIDDEN"],
    handle: async ({ auth, principal, params, query }) =>
      toPageWire(await auth.audit.list(principal, { orgId: params.org_id }, query)),
  }),
  defineRoute({
    method: "GET",
    path: "/me/audit-events",
    operationId: "listMyAuditEvents",
    summary: "A page of the signed-in user's audit events (as actor or target), newest first",
    tag: "audit",
    auth: true,
    query: pageQuery,
    response: { status: 200, description: "Events and the cursor of the next page", schema: pageWire },
    errors: [],
    handle: async ({ auth, principal, query }) =>
      toPageWire(await auth.audit.list(principal, { userId: userIdOf(principal) }, query)),
  }),
];
