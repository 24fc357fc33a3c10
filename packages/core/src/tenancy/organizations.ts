import * as z from "zod";
import { jsonObjectSchema, organizationNameSchema } from "../accounts/schemas.js";
import { AuthError } from "../errors.js";
import type { AuthContext } from "../internal/context.js";
import { parseInput } from "../internal/validate.js";
import { ORGANIZATION_STATUS, type RoleRecord } from "../ports/records.js";
import type { Principal } from "../sessions/access-token.js";
import { assertPrincipal } from "../sessions/principal.js";
import { enforceLimit, hasLimit } from "./limits.js";
import { requireMembership } from "./permissions.js";
import { type Organization, toPublicOrganization } from "./public-organization.js";

/** Input of `auth.organizations.create()`; the seed's `POST /organizations {name, details}`. */
export interface CreateOrganizationInput {
  name: string;
  details?: string | null | undefined;
  settings?: Record<string, unknown> | undefined;
}

/** Input of `auth.organizations.update()`: the fields to change. */
export interface UpdateOrganizationInput {
  name?: string | undefined;
  details?: string | null | undefined;
  settings?: Record<string, unknown> | undefined;
}

/** A role as the SDK shows it. */
export interface Role {
  id: number;
  name: string;
  description: string | null;
  /** True for Owner, Admin and Member, which every organization has and nobody can change. */
  builtIn: boolean;
  permissions: string[];
}

/** An organization the caller belongs to, with the caller's role in it. */
export interface OrganizationMembership {
  organization: Organization;
  role: Role;
}

/** Maps a stored role to its public shape. */
export function toPublicRole(role: RoleRecord): Role {
  return {
    id: role.id,
    name: role.name,
    description: role.description,
    builtIn: role.orgId === null,
    permissions: [...role.permissions],
  };
}

const detailsSchema = z.string({ error: "must be a string" }).max(10_000, { error: "is too long" }).nullish();
const createSchema = z.strictObject({
  name: organizationNameSchema,
  details: detailsSchema,
  settings: jsonObjectSchema.optional(),
});
const updateSchema = z.strictObject({
  name: organizationNameSchema.optional(),
  details: detailsSchema,
  settings: jsonObjectSchema.optional(),
});

const nameTaken = (): AuthError => new AuthError("ORG_NAME_TAKEN", "An organization with this name already exists");

/**
 * Creates an organization and makes the caller its Owner, atomically. A taken name gives `ORG_NAME_TAKEN`; past
 * `organizationLimit`, `LIMIT_REACHED`.
 */
export async function createOrganization(
  ctx: AuthContext,
  principal: Principal,
  input: CreateOrganizationInput,
): Promise<Organization> {
  assertPrincipal(principal);
  const data = parseInput(createSchema, input);
  const owner = await ctx.builtInRole("Owner");
  const write = {
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
  };
  const result = hasLimit(ctx, "organizationLimit")
    ? await ctx.storage.transaction(async (tx) => {
        const created = await tx.createOrganizationWithMember(write);
        if (created.ok) {
          await enforceLimit(ctx, tx, "organizationLimit", { userId: principal.userId }, (t) =>
            t.countOwnedOrganizations(principal.userId, owner.id),
          );
        }
        return created;
      })
    : await ctx.storage.createOrganizationWithMember(write);
  if (!result.ok) throw nameTaken();
  return toPublicOrganization(result.organization);
}

/** The caller's organizations, oldest membership first, each with the caller's role. */
export async function listOrganizations(ctx: AuthContext, principal: Principal): Promise<OrganizationMembership[]> {
  assertPrincipal(principal);
  const rows = await ctx.storage.listUserOrganizations(principal.userId);
  return rows.map(({ organization, role }) => ({
    organization: toPublicOrganization(organization),
    role: toPublicRole(role),
  }));
}

/** One organization the caller belongs to, with the caller's role. Outsiders get `NOT_FOUND`. */
export async function getOrganization(
  ctx: AuthContext,
  principal: Principal,
  orgId: number,
): Promise<OrganizationMembership> {
  const { organization, role } = await requireMembership(ctx, principal, orgId, null);
  return { organization: toPublicOrganization(organization), role: toPublicRole(role) };
}

/** Changes name, details or settings. Needs `org:update`; a taken name gives `ORG_NAME_TAKEN`. */
export async function updateOrganization(
  ctx: AuthContext,
  principal: Principal,
  orgId: number,
  input: UpdateOrganizationInput,
): Promise<Organization> {
  const { organization } = await requireMembership(ctx, principal, orgId, "org:update");
  const data = parseInput(updateSchema, input);
  const patch = {
    ...(data.name === undefined ? {} : { name: data.name }),
    ...(data.details === undefined ? {} : { details: data.details }),
    ...(data.settings === undefined ? {} : { settings: data.settings }),
  };
  const result = await ctx.storage.updateOrganization(organization.id, patch, ctx.clock.now());
  if (result === null) throw new AuthError("NOT_FOUND", "Organization not found");
  if (!result.ok) throw nameTaken();
  return toPublicOrganization(result.value);
}
