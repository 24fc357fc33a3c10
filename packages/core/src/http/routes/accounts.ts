import * as z from "zod";
import { jsonObjectSchema } from "../../accounts/schemas.js";
import { isAuthError } from "../../errors.js";
import { defineRoute, type Route } from "../route.js";
import {
  membershipWire,
  tokensWire,
  toOrganizationWire,
  toRoleWire,
  toTokensWire,
  toUserWire,
  userWire,
} from "../wire.js";

const credentials = z.strictObject({
  email: z.string().describe("the account's email; trimmed and lower-cased"),
  password: z.string(),
});
const refreshBody = z.strictObject({ refresh_token: z.string() });

/** Sign-up, sign-in, tokens and the current user. The first two are the seed service's routes, body for body. */
export const accountRoutes: Route[] = [
  defineRoute({
    method: "POST",
    path: "/signup",
    operationId: "signup",
    summary: "Register a user and create their organization (seed route)",
    tag: "accounts",
    auth: false,
    body: z.strictObject({
      email: z.string(),
      password: z.string().describe("8 to 128 characters by default"),
      organization_name: z.string().optional().describe("omit for a personal organization"),
      invitation_token: z.string().optional().describe("join the inviting organization instead"),
      profile: jsonObjectSchema.optional(),
    }),
    response: {
      status: 200,
      description:
        "The user and organization were created. With `enumerationSafeSignup` the body is only the message, " +
        "and a taken email gets it too (its owner is mailed instead)",
      schema: z.object({
        message: z.literal("User signed up successfully"),
        user_id: z.number().optional(),
        org_id: z.number().optional(),
      }),
    },
    errors: [
      "EMAIL_TAKEN",
      "ORG_NAME_TAKEN",
      "PASSWORD_TOO_COMMON",
      "INVITATION_NOT_FOUND",
      "INVITATION_EXPIRED",
      "INVITATION_REVOKED",
      "RATE_LIMITED",
      "LIMIT_REACHED",
    ],
    async handle({ auth, body, meta }) {
      const message = "User signed up successfully" as const;
      const input = {
        email: body.email,
        password: body.password,
        organizationName: body.organization_name,
        invitationToken: body.invitation_token,
        profile: body.profile,
      };
      if (auth.options.enumerationSafeSignup) {
        // A taken email must look like a new one: no ids for anyone, and EMAIL_TAKEN (owner mailed) becomes success.
        await auth.signup(input, meta).catch((error: unknown) => {
          if (!isAuthError(error, "EMAIL_TAKEN")) throw error;
        });
        return { message };
      }
      const { user, organization } = await auth.signup(input, meta);
      return { message, user_id: user.id, org_id: organization.id };
    },
  }),
  defineRoute({
    method: "POST",
    path: "/signin",
    operationId: "signin",
    summary: "Authenticate with email and password (seed route)",
    tag: "accounts",
    auth: false,
    body: credentials,
    response: {
      status: 200,
      description: "An access token and a refresh token (seed fields first)",
      schema: tokensWire.extend({ user: userWire }),
    },
    errors: ["INVALID_CREDENTIALS", "USER_DISABLED", "EMAIL_NOT_VERIFIED", "TWO_FACTOR_REQUIRED", "RATE_LIMITED"],
    async handle({ auth, body, meta }) {
      const result = await auth.signin(body, meta);
      return { ...toTokensWire(result), user: toUserWire(result.user) };
    },
  }),
  defineRoute({
    method: "POST",
    path: "/refresh",
    operationId: "refresh",
    summary: "Rotate a refresh token for a new token pair",
    tag: "accounts",
    auth: false,
    body: refreshBody,
    response: { status: 200, description: "A new token pair; the old refresh token is spent", schema: tokensWire },
    errors: ["INVALID_REFRESH_TOKEN", "REFRESH_TOKEN_REUSED"],
    handle: async ({ auth, body, meta }) => toTokensWire(await auth.refresh(body.refresh_token, meta)),
  }),
  defineRoute({
    method: "POST",
    path: "/signout",
    operationId: "signout",
    summary: "Revoke the session of a refresh token (idempotent)",
    tag: "accounts",
    auth: false,
    body: refreshBody,
    response: { status: 204, description: "Signed out", schema: null },
    errors: [],
    async handle({ auth, body }) {
      await auth.signout(body.refresh_token);
    },
  }),
  defineRoute({
    method: "POST",
    path: "/signout-all",
    operationId: "signoutAll",
    summary: "Revoke every session of the signed-in user",
    tag: "accounts",
    auth: true,
    response: { status: 200, description: "How many sessions were revoked", schema: z.object({ revoked: z.number() }) },
    errors: ["IMPERSONATION_NOT_ALLOWED"],
    handle: async ({ auth, principal }) => ({ revoked: await auth.signoutAll(principal) }),
  }),
  defineRoute({
    method: "GET",
    path: "/me",
    operationId: "me",
    summary: "The signed-in user and their organizations",
    tag: "accounts",
    auth: true,
    response: {
      status: 200,
      description: "The user",
      schema: z.object({ user: userWire, organizations: z.array(membershipWire) }),
    },
    errors: [],
    async handle({ auth, principal }) {
      const { user, organizations } = await auth.me(principal);
      return {
        user: toUserWire(user),
        organizations: organizations.map((m) => ({
          organization: toOrganizationWire(m.organization),
          role: toRoleWire(m.role),
        })),
      };
    },
  }),
];
