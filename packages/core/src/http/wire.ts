import * as z from "zod";
import type { User } from "../accounts/public-user.js";
import type { TokenPair } from "../sessions/sessions.js";
import type { Invitation } from "../tenancy/invitations.js";
import type { Member } from "../tenancy/members.js";
import type { Role } from "../tenancy/organizations.js";
import type { Organization } from "../tenancy/public-organization.js";

/**
 * The JSON shapes on the wire: snake_case, as in the seed service. Each zod schema documents the shape in the
 * OpenAPI document and each mapper builds it from core's camelCase objects.
 */
const id = z.number().int().positive();
const epochMs = z.number().int().describe("epoch milliseconds");
const json = z.record(z.string(), z.unknown());

export const userWire = z.object({
  id,
  email: z.string(),
  email_verified: z.boolean(),
  profile: json,
  status: z.enum(["active", "disabled"]),
  created_at: epochMs,
  updated_at: epochMs,
});

export const organizationWire = z.object({
  id,
  name: z.string(),
  details: z.string().nullable(),
  personal: z.boolean(),
  status: z.enum(["active", "deleted"]),
  settings: json,
  created_at: epochMs,
  updated_at: epochMs,
});

export const roleWire = z.object({
  id,
  name: z.string(),
  description: z.string().nullable(),
  built_in: z.boolean(),
  permissions: z.array(z.string()),
});

export const membershipWire = z.object({ organization: organizationWire, role: roleWire });

export const memberWire = z.object({
  user_id: id,
  email: z.string(),
  profile: json,
  role: roleWire,
  status: z.enum(["active", "suspended"]),
  joined_at: epochMs,
});

export const invitationWire = z.object({
  id,
  org_id: id,
  email: z.string(),
  role_id: id,
  invited_by: id,
  status: z.enum(["pending", "accepted", "revoked", "expired"]),
  expires_at: epochMs,
  created_at: epochMs,
});

export const tokensWire = z.object({
  access_token: z.string(),
  refresh_token: z.string(),
  token_type: z.literal("Bearer"),
  expires_in: z.number().int().describe("seconds until the access token expires"),
});

export const errorWire = z.object({
  error: z.object({
    code: z.string().describe("stable UPPER_SNAKE code"),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});

export const toUserWire = (u: User): z.infer<typeof userWire> => ({
  id: u.id,
  email: u.email,
  email_verified: u.emailVerified,
  profile: u.profile,
  status: u.status,
  created_at: u.createdAt,
  updated_at: u.updatedAt,
});

export const toOrganizationWire = (o: Organization): z.infer<typeof organizationWire> => ({
  id: o.id,
  name: o.name,
  details: o.details,
  personal: o.personal,
  status: o.status,
  settings: o.settings,
  created_at: o.createdAt,
  updated_at: o.updatedAt,
});

export const toRoleWire = (r: Role): z.infer<typeof roleWire> => ({
  id: r.id,
  name: r.name,
  description: r.description,
  built_in: r.builtIn,
  permissions: r.permissions,
});

export const toMemberWire = (m: Member): z.infer<typeof memberWire> => ({
  user_id: m.userId,
  email: m.email,
  profile: m.profile,
  role: toRoleWire(m.role),
  status: m.status,
  joined_at: m.joinedAt,
});

export const toInvitationWire = (i: Invitation): z.infer<typeof invitationWire> => ({
  id: i.id,
  org_id: i.orgId,
  email: i.email,
  role_id: i.roleId,
  invited_by: i.invitedBy,
  status: i.status,
  expires_at: i.expiresAt,
  created_at: i.createdAt,
});

export const toTokensWire = (t: TokenPair): z.infer<typeof tokensWire> => ({
  access_token: t.accessToken,
  refresh_token: t.refreshToken,
  token_type: t.tokenType,
  expires_in: t.expiresIn,
});

/** A path parameter that is a positive integer id. */
export const idParam = z.coerce.number({ error: "must be a number" }).int().positive().max(Number.MAX_SAFE_INTEGER);
