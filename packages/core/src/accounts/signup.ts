import * as z from "zod";
import { AuthError } from "../errors.js";
import type { AuthContext } from "../internal/context.js";
import { randomId } from "../internal/crypto.js";
import { parseInput } from "../internal/validate.js";
import { ORGANIZATION_STATUS, USER_STATUS } from "../ports/records.js";
import { type Organization, toPublicOrganization } from "../tenancy/public-organization.js";
import { toPublicUser, type User } from "./public-user.js";
import { emailSchema, jsonObjectSchema, organizationNameSchema } from "./schemas.js";

/** Input of `auth.signup()`. */
export interface SignupInput {
  email: string;
  password: string;
  /** Name of the organization to create and own. Without it a personal organization is made. */
  organizationName?: string | undefined;
  /** Free-form profile stored with the user (display name, avatar …). */
  profile?: Record<string, unknown> | undefined;
}

/** Result of `auth.signup()`. */
export interface SignupResult {
  user: User;
  /** The organization the user now owns. */
  organization: Organization;
}

/**
 * Creates the user, their organization (the one named, else a personal one) and an Owner membership,
 * in one transaction. A taken email gives `EMAIL_TAKEN`, a taken organization name `ORG_NAME_TAKEN`;
 * neither leaves a row behind.
 */
export async function signup(ctx: AuthContext, input: SignupInput): Promise<SignupResult> {
  const data = parseInput(
    z.strictObject({
      email: emailSchema,
      password: ctx.newPassword,
      organizationName: organizationNameSchema.optional(),
      profile: jsonObjectSchema.optional(),
    }),
    input,
  );
  const passwordHash = await ctx.hasher.hash(data.password);
  const owner = await ctx.builtInRole("Owner");
  const now = ctx.clock.now();
  const personal = data.organizationName === undefined;
  const result = await ctx.storage.createUserWithOrganization({
    user: {
      email: data.email,
      passwordHash,
      profile: data.profile ?? {},
      status: USER_STATUS.active,
      settings: {},
      emailVerifiedAt: null,
    },
    organization: {
      // A personal organization gets an unguessable name so nobody can squat it ahead of the user.
      name: data.organizationName ?? `personal-${randomId(ctx.random, 80)}`,
      details: null,
      status: ORGANIZATION_STATUS.active,
      personal,
      settings: {},
    },
    roleId: owner.id,
    now,
  });
  if (!result.ok) {
    throw result.conflict === "email"
      ? new AuthError("EMAIL_TAKEN", "An account with this email already exists")
      : new AuthError("ORG_NAME_TAKEN", "An organization with this name already exists");
  }
  return { user: toPublicUser(result.user), organization: toPublicOrganization(result.organization) };
}
