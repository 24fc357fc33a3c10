import * as z from "zod";
import type { AuthContext } from "../internal/context.js";
import { parseInput } from "../internal/validate.js";
import type { Principal } from "../sessions/access-token.js";
import { type Organization, toPublicOrganization } from "../tenancy/public-organization.js";
import { requirePlatformAdmin } from "./platform-admin.js";

/** Options of `auth.admin.organizations.list()`. */
export interface ListAllOrganizationsOptions {
  /** Keep organizations whose name contains this text (case-insensitive, matched literally). */
  query?: string | undefined;
  cursor?: string | undefined;
  /** Page size, 1..200. @default 50 */
  limit?: number | undefined;
}

/** A page of organizations, each with its member count. */
export interface OrganizationPage {
  organizations: Array<{ organization: Organization; memberCount: number }>;
  nextCursor: string | null;
}

const listSchema = z.strictObject({
  query: z.string().trim().max(200, { error: "is too long" }).optional(),
  cursor: z
    .string()
    .regex(/^[1-9]\d{0,15}$/, { error: "must be a cursor from a previous page" })
    .optional(),
  limit: z.number().int().min(1).max(200).default(50),
});

/** Every organization that is not deleted, by ascending id, with member counts (one statement). Platform admins only. */
export async function listAllOrganizations(
  ctx: AuthContext,
  principal: Principal,
  options: ListAllOrganizationsOptions = {},
): Promise<OrganizationPage> {
  await requirePlatformAdmin(ctx, principal);
  const input = parseInput(listSchema, options);
  const rows = await ctx.storage.listOrganizationsWithMemberCounts({
    ...(input.query ? { query: input.query } : {}),
    ...(input.cursor ? { afterId: Number(input.cursor) } : {}),
    limit: input.limit + 1,
  });
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    organizations: page.map((r) => ({
      organization: toPublicOrganization(r.organization),
      memberCount: r.memberCount,
    })),
    nextCursor: rows.length > input.limit && last ? String(last.organization.id) : null,
  };
}
