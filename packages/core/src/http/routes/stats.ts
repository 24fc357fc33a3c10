import * as z from "zod";
import { defineRoute, type Route } from "../route.js";
import { idParam } from "../wire.js";

/** Statistics; the first is the seed's route, body for body. */
export const statsRoutes: Route[] = [
  defineRoute({
    method: "GET",
    path: "/stats/org-role-wise-users",
    operationId: "orgRoleWiseUsers",
    summary: "Users per organization and role, platform-wide (seed route; platform admins)",
    tag: "stats",
    auth: true,
    response: {
      status: 200,
      description: "One row per organization and role",
      schema: z.array(z.object({ organization: z.string(), role: z.string(), user_count: z.number().int() })),
    },
    errors: ["FORBIDDEN"],
    handle: async ({ auth, principal }) =>
      (await auth.stats.orgRoleWiseUsers(principal)).map((r) => ({
        organization: r.organization,
        role: r.role,
        user_count: r.userCount,
      })),
  }),
  defineRoute({
    method: "GET",
    path: "/stats/users-by-status",
    operationId: "usersByStatus",
    summary: "Users per status (platform admins)",
    tag: "stats",
    auth: true,
    response: {
      status: 200,
      description: "Counts",
      schema: z.array(z.object({ status: z.enum(["active", "disabled"]), count: z.number().int() })),
    },
    errors: ["FORBIDDEN"],
    handle: async ({ auth, principal }) => auth.stats.usersByStatus(principal),
  }),
  defineRoute({
    method: "GET",
    path: "/stats/signups-per-day",
    operationId: "signupsPerDay",
    summary: "Signups per UTC day, zeros included (platform admins)",
    tag: "stats",
    auth: true,
    query: z.strictObject({ from: z.string().describe("YYYY-MM-DD"), to: z.string().describe("YYYY-MM-DD") }),
    response: {
      status: 200,
      description: "One row per day",
      schema: z.array(z.object({ date: z.string(), count: z.number().int() })),
    },
    errors: ["FORBIDDEN"],
    handle: async ({ auth, principal, query }) => auth.stats.signupsPerDay(principal, query),
  }),
  defineRoute({
    method: "GET",
    path: "/organizations/{org_id}/stats",
    operationId: "organizationStats",
    summary: "Members by role and status, pending invitations",
    tag: "stats",
    auth: true,
    permission: "stats:read",
    params: z.strictObject({ org_id: idParam }),
    response: {
      status: 200,
      description: "Statistics",
      schema: z.object({
        members_by_role: z.array(z.object({ role_id: z.number(), role: z.string(), count: z.number().int() })),
        members_by_status: z.array(z.object({ status: z.enum(["active", "suspended"]), count: z.number().int() })),
        pending_invitations: z.number().int(),
      }),
    },
    errors: ["NOT_FOUND", "FORBIDDEN"],
    async handle({ auth, principal, params }) {
      const s = await auth.stats.organization(principal, params.org_id);
      return {
        members_by_role: s.membersByRole.map((r) => ({ role_id: r.roleId, role: r.role, count: r.count })),
        members_by_status: s.membersByStatus,
        pending_invitations: s.pendingInvitations,
      };
    },
  }),
];
