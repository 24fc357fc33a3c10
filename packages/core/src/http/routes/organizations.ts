import * as z from "zod";
import { jsonObjectSchema } from "../../accounts/schemas.js";
import { defineRoute, type Route } from "../route.js";
import { idParam, membershipWire, organizationWire, toOrganizationWire, toRoleWire } from "../wire.js";

const orgParams = z.strictObject({ org_id: idParam });
const orgBody = {
  name: z.string(),
  details: z.string().nullable().optional(),
  settings: jsonObjectSchema.optional(),
};

/** Organizations: the seed's create route and the rest of CRUD. */
export const organizationRoutes: Route[] = [
  defineRoute({
    method: "POST",
    path: "/organizations",
    operationId: "createOrganization",
    summary: "Create an organization owned by the caller (seed route)",
    tag: "organizations",
    auth: true,
    body: z.strictObject(orgBody),
    response: {
      status: 200,
      description: "Created",
      schema: z.object({ message: z.literal("Organization created successfully"), org_id: z.number() }),
    },
    errors: ["ORG_NAME_TAKEN", "LIMIT_REACHED"],
    async handle({ auth, principal, body }) {
      const org = await auth.organizations.create(principal, body);
      return { message: "Organization created successfully" as const, org_id: org.id };
    },
  }),
  defineRoute({
    method: "GET",
    path: "/organizations",
    operationId: "listOrganizations",
    summary: "The caller's organizations with the caller's role in each",
    tag: "organizations",
    auth: true,
    response: { status: 200, description: "Memberships", schema: z.array(membershipWire) },
    errors: [],
    handle: async ({ auth, principal }) =>
      (await auth.organizations.list(principal)).map((m) => ({
        organization: toOrganizationWire(m.organization),
        role: toRoleWire(m.role),
      })),
  }),
  defineRoute({
    method: "GET",
    path: "/organizations/{org_id}",
    operationId: "getOrganization",
    summary: "One of the caller's organizations",
    tag: "organizations",
    auth: true,
    params: orgParams,
    response: { status: 200, description: "The organization and the caller's role", schema: membershipWire },
    errors: ["NOT_FOUND"],
    async handle({ auth, principal, params }) {
      const m = await auth.organizations.get(principal, params.org_id);
      return { organization: toOrganizationWire(m.organization), role: toRoleWire(m.role) };
    },
  }),
  defineRoute({
    method: "PATCH",
    path: "/organizations/{org_id}",
    operationId: "updateOrganization",
    summary: "Change name, details or settings",
    tag: "organizations",
    auth: true,
    permission: "org:update",
    params: orgParams,
    body: z.strictObject({ ...orgBody, name: orgBody.name.optional() }),
    response: { status: 200, description: "The organization", schema: organizationWire },
    errors: ["NOT_FOUND", "FORBIDDEN", "ORG_NAME_TAKEN"],
    handle: async ({ auth, principal, params, body }) =>
      toOrganizationWire(await auth.organizations.update(principal, params.org_id, body)),
  }),
  defineRoute({
    method: "DELETE",
    path: "/organizations/{org_id}",
    operationId: "deleteOrganization",
    summary: "Soft-delete an organization (Owners only)",
    tag: "organizations",
    auth: true,
    permission: "org:delete",
    params: orgParams,
    response: { status: 204, description: "Deleted", schema: null },
    errors: ["NOT_FOUND", "FORBIDDEN", "PERSONAL_ORG_UNDELETABLE", "IMPERSONATION_NOT_ALLOWED"],
    async handle({ auth, principal, params }) {
      await auth.organizations.delete(principal, params.org_id);
    },
  }),
  defineRoute({
    method: "POST",
    path: "/organizations/{org_id}/transfer-ownership",
    operationId: "transferOwnership",
    summary: "Make another member the Owner; the caller becomes Admin",
    tag: "organizations",
    auth: true,
    params: orgParams,
    body: z.strictObject({ user_id: z.number().int().positive() }),
    response: { status: 204, description: "Transferred", schema: null },
    errors: ["NOT_FOUND", "FORBIDDEN", "IMPERSONATION_NOT_ALLOWED"],
    async handle({ auth, principal, params, body }) {
      await auth.organizations.transferOwnership(principal, params.org_id, body.user_id);
    },
  }),
];
