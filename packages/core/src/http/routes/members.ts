import * as z from "zod";
import { defineRoute, type Route } from "../route.js";
import { idParam, memberWire, roleWire, toMemberWire, toRoleWire } from "../wire.js";

const orgParams = z.strictObject({ org_id: idParam });
const memberParams = z.strictObject({ org_id: idParam, user_id: idParam });
const roleParams = z.strictObject({ org_id: idParam, role_id: idParam });
const roleBody = {
  name: z.string(),
  description: z.string().nullable().optional(),
  permissions: z.array(z.string()),
};

/** Members and roles of an organization. */
export const memberRoutes: Route[] = [
  defineRoute({
    method: "GET",
    path: "/organizations/{org_id}/members",
    operationId: "listMembers",
    summary: "A page of members, by join order",
    tag: "members",
    auth: true,
    params: orgParams,
    query: z.strictObject({
      cursor: z.string().optional(),
      limit: idParam.max(200).optional(),
      role_id: idParam.optional(),
      status: z.enum(["active", "suspended"]).optional(),
    }),
    response: {
      status: 200,
      description: "Members and the cursor of the next page",
      schema: z.object({ items: z.array(memberWire), next_cursor: z.string().nullable() }),
    },
    errors: ["NOT_FOUND"],
    async handle({ auth, principal, params, query }) {
      const page = await auth.members.list(principal, params.org_id, {
        cursor: query.cursor,
        limit: query.limit,
        roleId: query.role_id,
        status: query.status,
      });
      return { items: page.items.map(toMemberWire), next_cursor: page.nextCursor };
    },
  }),
  defineRoute({
    method: "PATCH",
    path: "/organizations/{org_id}/members/{user_id}",
    operationId: "updateMemberRole",
    summary: "Give a member another role",
    tag: "members",
    auth: true,
    permission: "member:update-role",
    params: memberParams,
    body: z.strictObject({ role_id: z.number().int().positive() }),
    response: { status: 204, description: "Changed", schema: null },
    errors: ["NOT_FOUND", "FORBIDDEN", "LAST_OWNER"],
    async handle({ auth, principal, params, body }) {
      await auth.members.updateRole(principal, params.org_id, params.user_id, body.role_id);
    },
  }),
  defineRoute({
    method: "DELETE",
    path: "/organizations/{org_id}/members/{user_id}",
    operationId: "removeMember",
    summary: "Remove a member",
    tag: "members",
    auth: true,
    permission: "member:remove",
    params: memberParams,
    response: { status: 204, description: "Removed", schema: null },
    errors: ["NOT_FOUND", "FORBIDDEN", "LAST_OWNER"],
    async handle({ auth, principal, params }) {
      await auth.members.remove(principal, params.org_id, params.user_id);
    },
  }),
  defineRoute({
    method: "POST",
    path: "/organizations/{org_id}/leave",
    operationId: "leaveOrganization",
    summary: "Leave an organization",
    tag: "members",
    auth: true,
    params: orgParams,
    response: { status: 204, description: "Left", schema: null },
    errors: ["NOT_FOUND", "LAST_OWNER"],
    async handle({ auth, principal, params }) {
      await auth.members.leave(principal, params.org_id);
    },
  }),
  defineRoute({
    method: "GET",
    path: "/organizations/{org_id}/roles",
    operationId: "listRoles",
    summary: "Built-in and custom roles",
    tag: "roles",
    auth: true,
    params: orgParams,
    response: { status: 200, description: "Roles", schema: z.array(roleWire) },
    errors: ["NOT_FOUND"],
    handle: async ({ auth, principal, params }) => (await auth.roles.list(principal, params.org_id)).map(toRoleWire),
  }),
  defineRoute({
    method: "POST",
    path: "/organizations/{org_id}/roles",
    operationId: "createRole",
    summary: "Create a custom role",
    tag: "roles",
    auth: true,
    permission: "role:manage",
    params: orgParams,
    body: z.strictObject(roleBody),
    response: { status: 201, description: "Created", schema: roleWire },
    errors: ["NOT_FOUND", "FORBIDDEN", "ROLE_NAME_TAKEN"],
    handle: async ({ auth, principal, params, body }) =>
      toRoleWire(await auth.roles.create(principal, params.org_id, body)),
  }),
  defineRoute({
    method: "PATCH",
    path: "/organizations/{org_id}/roles/{role_id}",
    operationId: "updateRole",
    summary: "Change a custom role",
    tag: "roles",
    auth: true,
    permission: "role:manage",
    params: roleParams,
    body: z.strictObject({ ...roleBody, name: roleBody.name.optional(), permissions: roleBody.permissions.optional() }),
    response: { status: 200, description: "The role", schema: roleWire },
    errors: ["NOT_FOUND", "FORBIDDEN", "ROLE_NAME_TAKEN"],
    handle: async ({ auth, principal, params, body }) =>
      toRoleWire(await auth.roles.update(principal, params.org_id, params.role_id, body)),
  }),
  defineRoute({
    method: "DELETE",
    path: "/organizations/{org_id}/roles/{role_id}",
    operationId: "deleteRole",
    summary: "Delete a custom role, moving its members to a replacement",
    tag: "roles",
    auth: true,
    permission: "role:manage",
    params: roleParams,
    query: z.strictObject({ replacement_role_id: idParam.optional() }),
    response: { status: 204, description: "Deleted", schema: null },
    errors: ["NOT_FOUND", "FORBIDDEN", "ROLE_IN_USE"],
    async handle({ auth, principal, params, query }) {
      await auth.roles.delete(principal, params.org_id, params.role_id, {
        replacementRoleId: query.replacement_role_id,
      });
    },
  }),
];
