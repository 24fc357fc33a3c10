import * as z from "zod";
import { defineRoute, type Route } from "../route.js";
import { idParam, organizationWire, toOrganizationWire, toUserWire, userWire } from "../wire.js";

const userParams = z.strictObject({ user_id: idParam });
const page = { cursor: z.string().optional(), limit: idParam.max(200).optional() };

/** Platform administration: platform admins only (`platformAdmins`, `isPlatformAdmin`). */
export const adminRoutes: Route[] = [
  defineRoute({
    method: "GET",
    path: "/admin/users",
    operationId: "adminListUsers",
    summary: "Users by id; filter by email text and status (platform admins)",
    tag: "admin",
    auth: true,
    query: z.strictObject({
      query: z.string().optional().describe("part of the email, case-insensitive, matched literally"),
      status: z.enum(["active", "disabled"]).optional(),
      ...page,
    }),
    response: {
      status: 200,
      description: "A page of users; total counts every user matching the filter",
      schema: z.object({ users: z.array(userWire), total: z.number().int(), next_cursor: z.string().nullable() }),
    },
    errors: ["FORBIDDEN"],
    async handle({ auth, principal, query }) {
      const result = await auth.admin.users.list(principal, query);
      return { users: result.users.map(toUserWire), total: result.total, next_cursor: result.nextCursor };
    },
  }),
  defineRoute({
    method: "POST",
    path: "/admin/users/{user_id}/disable",
    operationId: "adminDisableUser",
    summary: "Disable a user and revoke every session and API key of theirs (platform admins)",
    tag: "admin",
    auth: true,
    params: userParams,
    response: { status: 200, description: "The disabled user", schema: userWire },
    errors: ["FORBIDDEN", "NOT_FOUND"],
    handle: async ({ auth, principal, params }) =>
      toUserWire(await auth.admin.users.disable(principal, params.user_id)),
  }),
  defineRoute({
    method: "POST",
    path: "/admin/users/{user_id}/enable",
    operationId: "adminEnableUser",
    summary: "Enable a disabled user (platform admins)",
    tag: "admin",
    auth: true,
    params: userParams,
    response: { status: 200, description: "The enabled user", schema: userWire },
    errors: ["FORBIDDEN", "NOT_FOUND"],
    handle: async ({ auth, principal, params }) => toUserWire(await auth.admin.users.enable(principal, params.user_id)),
  }),
  defineRoute({
    method: "POST",
    path: "/admin/users/{user_id}/impersonate",
    operationId: "adminImpersonateUser",
    summary: "A one-hour access token for the user, marked with the admin (`act` claim); audited (platform admins)",
    tag: "admin",
    auth: true,
    params: userParams,
    response: {
      status: 200,
      description: "An access token; no refresh token",
      schema: z.object({
        access_token: z.string(),
        token_type: z.literal("Bearer"),
        expires_in: z.number().int().describe("3600"),
      }),
    },
    errors: ["FORBIDDEN", "NOT_FOUND", "USER_DISABLED"],
    async handle({ auth, principal, params }) {
      const t = await auth.admin.users.impersonate(principal, params.user_id);
      return { access_token: t.accessToken, token_type: t.tokenType, expires_in: t.expiresIn };
    },
  }),
  defineRoute({
    method: "GET",
    path: "/admin/organizations",
    operationId: "adminListOrganizations",
    summary: "Organizations by id with member counts; filter by name (platform admins)",
    tag: "admin",
    auth: true,
    query: z.strictObject({ query: z.string().optional().describe("part of the name, case-insensitive"), ...page }),
    response: {
      status: 200,
      description: "A page of organizations",
      schema: z.object({
        organizations: z.array(z.object({ organization: organizationWire, member_count: z.number().int() })),
        next_cursor: z.string().nullable(),
      }),
    },
    errors: ["FORBIDDEN"],
    async handle({ auth, principal, query }) {
      const result = await auth.admin.organizations.list(principal, query);
      return {
        organizations: result.organizations.map((o) => ({
          organization: toOrganizationWire(o.organization),
          member_count: o.memberCount,
        })),
        next_cursor: result.nextCursor,
      };
    },
  }),
];
