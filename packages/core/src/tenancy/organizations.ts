import * as z from "zod";
import { jsonObjectSchema, organizationNameSchema } from "../accounts/schemas.js";
import { AuthError } from "../errors.js";
import type { AuthContext } from "../internal/context.js";
import { parseInput } from "../internal/validate.js";
import { ORGANIZATION_STATUS } from "../ports/records.js";
import type { Principal } from "../sessions/access-token.js";
import { type Organization, toPublicOrganization } from "./public-organization.js";

/** Input of `auth.organizations.create()`; the seed's `POST /organizations {name, details}`. */
export interface CreateOrganizationInput {
  name: string;
  details?: string | null | undefined;
  settings?: Record<string, unknown> | undefined;
}

/** An organization the caller belongs to, with the caller's role in it. */
export interface OrganizationMembership {
  organization: Organization;
  role: { id: number; name: string; permissions: string[] };
}

const createSchema = z.strictObject({
  name: organizationNameSchema,
  details: z.string({ error: "must be a string" }).max(10_000, { error: "is too long" }).nullish(),
  settings: jsonObjectSchema.optional(),
});

/** Creates an organization and makes the caller its Owner, atomically. A taken name gives `ORG_NAME_TAKEN`. */
export async function createOrganization(
  ctx: AuthContext,
  principal: Principal,
  input: CreateOrganizationInput,
): Promise<Organization> {
  const data = parseInput(createSchema, input);
  const owner = await ctx.builtInRole("Owner");
  const result = await ctx.storage.createOrganizationWithMember({
    organization: {
      name: data.name,
      details: data.details ?? null,
      status: ORGANIZATION_STATUS.active,
      personal: false,
      settings: data.settings ?? {},
    },
    userId: principal.userId,
    roleId: owner.id,
    now: ctx.clock.now(),
  });
  if (!result.ok) throw new AuthError("ORG_NAME_TAKEN", "An organization with this name already exists");
  return toPublicOrganization(result.organization);
}

/** The caller's organizations, oldest membership first, each with the caller's role. */
export async function listOrganizations(ctx: AuthContext, principal: Principal): Promise<OrganizationMembership[]> {
  const rows = await ctx.storage.listUserOrganizations(principal.userId);
  return rows.map(({ organization, role }) => ({
    organization: toPublicOrganization(organization),
    role: { id: role.id, name: role.name, permissions: [...role.permissions] },
  }));
}
