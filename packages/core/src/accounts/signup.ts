import * as z from "zod";
import { AuthError } from "../errors.js";
import type { AuthContext } from "../internal/context.js";
import { hashToken, randomId } from "../internal/crypto.js";
import { parseInput } from "../internal/validate.js";
import { deliverSoon } from "../mail/outbox.js";
import {
  type NewOrganization,
  type NewUser,
  ORGANIZATION_STATUS,
  TOKEN_PURPOSE,
  USER_STATUS,
} from "../ports/records.js";
import { enforceMembershipLimit, invitationError } from "../tenancy/invitations.js";
import { type Organization, toPublicOrganization } from "../tenancy/public-organization.js";
import { toPublicUser, type User } from "./public-user.js";
import { emailSchema, jsonObjectSchema, organizationNameSchema, presentedTokenSchema } from "./schemas.js";
import { issueToken } from "./verification-tokens.js";

/** Input of `auth.signup()`. */
export interface SignupInput {
  email: string;
  password: string;
  /** Name of the organization to create and own. Without it (and without an invitation) a personal one is made. */
  organizationName?: string | undefined;
  /** Token of an invitation to the same email: the user joins that organization instead. */
  invitationToken?: string | undefined;
  /** Free-form profile stored with the user (display name, avatar …). */
  profile?: Record<string, unknown> | undefined;
}

/** Result of `auth.signup()`. */
export interface SignupResult {
  user: User;
  /** The organization the user now owns, or joined through the invitation. */
  organization: Organization;
}

const personalOrganization = (ctx: AuthContext): NewOrganization => ({
  // An unguessable name, so nobody can squat it ahead of the user (organization names are unique).
  name: `personal-${randomId(ctx.random, 80)}`,
  details: null,
  status: ORGANIZATION_STATUS.active,
  personal: true,
  settings: {},
});

const emailTaken = (): AuthError => new AuthError("EMAIL_TAKEN", "An account with this email already exists");
const orgNameTaken = (): AuthError => new AuthError("ORG_NAME_TAKEN", "An organization with this name already exists");

/**
 * Creates the user, their organization (the one named, else a personal one) and an Owner membership, in one
 * transaction; or, with an invitation token, the user and their membership of the inviting organization.
 * A taken email gives `EMAIL_TAKEN`, a taken organization name `ORG_NAME_TAKEN`; neither leaves a row behind.
 */
export async function signup(ctx: AuthContext, input: SignupInput): Promise<SignupResult> {
  const data = parseInput(
    z
      .strictObject({
        email: emailSchema,
        password: ctx.newPassword,
        organizationName: organizationNameSchema.optional(),
        invitationToken: presentedTokenSchema.optional(),
        profile: jsonObjectSchema.optional(),
      })
      .refine((d) => d.organizationName === undefined || d.invitationToken === undefined, {
        error: "give organizationName or invitationToken, not both",
      }),
    input,
  );
  const user: NewUser = {
    email: data.email,
    passwordHash: await ctx.hasher.hash(data.password),
    profile: data.profile ?? {},
    status: USER_STATUS.active,
    settings: {},
    emailVerifiedAt: null,
  };
  if (data.invitationToken !== undefined) return signupWithInvitation(ctx, user, data.invitationToken);

  const owner = await ctx.builtInRole("Owner");
  const now = ctx.clock.now();
  const organization: NewOrganization =
    data.organizationName === undefined
      ? personalOrganization(ctx)
      : {
          name: data.organizationName,
          details: null,
          status: ORGANIZATION_STATUS.active,
          personal: false,
          settings: {},
        };
  // The user, organization, membership, verification token and its mail intent commit together or not at all.
  const result = await ctx.storage.transaction(async (tx) => {
    const created = await tx.createUserWithOrganization({ user, organization, roleId: owner.id, now });
    if (created.ok) await issueToken(ctx, tx, created.user, TOKEN_PURPOSE.verifyEmail, now);
    return created;
  });
  if (!result.ok) throw result.conflict === "email" ? emailTaken() : orgNameTaken();
  deliverSoon(ctx);
  return { user: toPublicUser(result.user), organization: toPublicOrganization(result.organization) };
}

async function signupWithInvitation(ctx: AuthContext, user: NewUser, token: string): Promise<SignupResult> {
  const now = ctx.clock.now();
  const withPersonal = ctx.options.signup.personalOrganizationOnInvite;
  const owner = withPersonal ? await ctx.builtInRole("Owner") : null;
  return ctx.storage.transaction(async (storage) => {
    const created = await storage.createUserFromInvitation({ user, tokenHash: hashToken(token), now });
    if (created.status === "email_taken") throw emailTaken();
    if (created.status === "email_mismatch") {
      throw new AuthError("INVITATION_EMAIL_MISMATCH", "This invitation was sent to another email address");
    }
    if (created.status !== "created") throw invitationError(created.status);
    await enforceMembershipLimit(ctx, storage, created.member.orgId, created.user.id);
    if (owner) {
      const personal = await storage.createOrganizationWithMember({
        organization: personalOrganization(ctx),
        userId: created.user.id,
        roleId: owner.id,
        now,
      });
      if (!personal.ok) throw orgNameTaken();
    }
    const organization = await storage.findOrganizationById(created.member.orgId);
    if (!organization) throw invitationError("not_found");
    return { user: toPublicUser(created.user), organization: toPublicOrganization(organization) };
  });
}
