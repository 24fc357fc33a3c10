import * as z from "zod";
import { auditedTransaction, recordEvent } from "../audit/record.js";
import { AuthError, isAuthError } from "../errors.js";
import type { AuthContext } from "../internal/context.js";
import { hashToken, randomId } from "../internal/crypto.js";
import { parseInput } from "../internal/validate.js";
import { mailIntent } from "../mail/intents.js";
import { deliverSoon } from "../mail/outbox.js";
import {
  type NewOrganization,
  type NewUser,
  ORGANIZATION_STATUS,
  TOKEN_PURPOSE,
  USER_STATUS,
} from "../ports/records.js";
import type { RequestMeta } from "../sessions/sessions.js";
import { enforceMembershipLimit, invitationError } from "../tenancy/invitations.js";
import { type Organization, toPublicOrganization } from "../tenancy/public-organization.js";
import { assertPasswordAllowed } from "./password-policy.js";
import { toPublicUser, type User } from "./public-user.js";
import {
  emailSchema,
  jsonObjectSchema,
  organizationNameSchema,
  presentedTokenSchema,
  requestMetaSchema,
} from "./schemas.js";
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
 * Limited per IP and per email (`rateLimit.signup`): over a limit, `RATE_LIMITED`.
 * With `enumerationSafeSignup`, a taken email also queues the "account-exists" notice to the address's owner
 * (the password was hashed all the same, so the time spent matches a new signup); the HTTP route then answers
 * it like a new signup.
 */
export async function signup(ctx: AuthContext, input: SignupInput, meta: RequestMeta = {}): Promise<SignupResult> {
  parseInput(requestMetaSchema, meta);
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
  await assertPasswordAllowed(ctx.options.password, data.password);
  await ctx.throttle.consume("signup", data.email, meta.ip);
  const user: NewUser = {
    email: data.email,
    passwordHash: await ctx.hasher.hash(data.password),
    profile: data.profile ?? {},
    status: USER_STATUS.active,
    settings: {},
    emailVerifiedAt: null,
  };
  try {
    if (data.invitationToken !== undefined) return await signupWithInvitation(ctx, user, data.invitationToken);
    return await signupWithOrganization(ctx, user, data.organizationName);
  } catch (error) {
    if (!ctx.options.enumerationSafeSignup || !isAuthError(error, "EMAIL_TAKEN")) throw error;
    // A new email with a taken organization name gets ORG_NAME_TAKEN: a taken email must get the same answer.
    if (data.organizationName !== undefined && (await ctx.storage.isOrganizationNameTaken(data.organizationName))) {
      throw orgNameTaken();
    }
    await notifyOwner(ctx, user.email);
    throw error;
  }
}

/** Queues the "account already exists" notice to the owner of a taken address (enumeration-safe signup). */
async function notifyOwner(ctx: AuthContext, email: string): Promise<void> {
  const now = ctx.clock.now();
  await ctx.storage.enqueueMail(await mailIntent(ctx, "account-exists", { email }, now), now);
  deliverSoon(ctx);
}

async function signupWithOrganization(
  ctx: AuthContext,
  user: NewUser,
  organizationName: string | undefined,
): Promise<SignupResult> {
  const owner = await ctx.builtInRole("Owner");
  const now = ctx.clock.now();
  const organization: NewOrganization =
    organizationName === undefined
      ? personalOrganization(ctx)
      : {
          name: organizationName,
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
  return auditedTransaction(ctx, async (tx) => {
    const storage = tx.storage;
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
    const { orgId, roleId } = created.member;
    const data = { roleId };
    await recordEvent(ctx, { type: "invitation.accept", actorUserId: created.user.id, orgId, data }, tx);
    return { user: toPublicUser(created.user), organization: toPublicOrganization(organization) };
  });
}
