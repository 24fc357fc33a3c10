import * as z from "zod";
import { presentedTokenSchema } from "./accounts/schemas.js";
import { type SigninInput, type SigninResult, signin } from "./accounts/signin.js";
import { type SignupInput, type SignupResult, signup } from "./accounts/signup.js";
import { type AuthContext, createContext } from "./internal/context.js";
import { parseInput } from "./internal/validate.js";
import { type AuthOptions, type ResolvedAuthOptions, resolveOptions } from "./options.js";
import { type Principal, verifyAccessToken } from "./sessions/access-token.js";
import { assertPrincipal } from "./sessions/principal.js";
import { endAllSessions, endSession, type RequestMeta, refreshSession, type TokenPair } from "./sessions/sessions.js";
import {
  type CreateOrganizationInput,
  createOrganization,
  listOrganizations,
  type OrganizationMembership,
} from "./tenancy/organizations.js";
import type { Organization } from "./tenancy/public-organization.js";

/** The tenantauth instance a host app holds. Every method validates its input before any I/O. */
export interface Auth {
  /** The validated options, defaults applied (the secret included: do not log this object). */
  readonly options: ResolvedAuthOptions;
  /**
   * Creates a user with an organization they own. @throws AuthError `INVALID_INPUT`, `EMAIL_TAKEN`, `ORG_NAME_TAKEN`
   * @example await auth.signup({ email: "ada@example.com", password: "correct horse battery", organizationName: "Acme" })
   */
  signup(input: SignupInput): Promise<SignupResult>;
  /**
   * Signs in with email and password. @throws AuthError `INVALID_CREDENTIALS` (wrong password and unknown email alike),
   * `USER_DISABLED`, `INVALID_INPUT`
   * @example const { accessToken, refreshToken } = await auth.signin({ email, password }, { ip, userAgent })
   */
  signin(input: SigninInput, meta?: RequestMeta): Promise<SigninResult>;
  /**
   * Verifies an access token, with no storage round-trip, and returns who it is for.
   * @throws AuthError `INVALID_TOKEN`, `TOKEN_EXPIRED`
   */
  authenticate(accessToken: string): Promise<Principal>;
  /** Rotates a refresh token. @throws AuthError `REFRESH_TOKEN_REUSED` (family revoked), `INVALID_REFRESH_TOKEN` */
  refresh(refreshToken: string): Promise<TokenPair>;
  /** Revokes the session of this refresh token. Idempotent. */
  signout(refreshToken: string): Promise<void>;
  /** Revokes every session of the principal's user ("sign out everywhere"). Returns how many were live. */
  signoutAll(principal: Principal): Promise<number>;
  organizations: {
    /** Creates an organization owned by the caller. @throws AuthError `ORG_NAME_TAKEN`, `INVALID_INPUT` */
    create(principal: Principal, input: CreateOrganizationInput): Promise<Organization>;
    /** The caller's organizations with the caller's role in each. */
    list(principal: Principal): Promise<OrganizationMembership[]>;
  };
}

const tokenInput = z.strictObject({ token: presentedTokenSchema });

/**
 * Builds a tenantauth instance. Options are validated here, once: a bad option throws `ConfigError` naming
 * the field and the rule, so a misconfigured app fails at start-up rather than at the first request.
 *
 * @throws ConfigError
 * @example
 * import { createAuth } from "@tenantauth/core";
 * import { knexStorage } from "@tenantauth/knex";
 *
 * const auth = createAuth({ secret: process.env.AUTH_SECRET!, storage: knexStorage(process.env.DATABASE_URL!) });
 */
export function createAuth(options: AuthOptions): Auth {
  const resolved = resolveOptions(options);
  const ctx: AuthContext = createContext(resolved);
  const token = (value: unknown): string => parseInput(tokenInput, { token: value }).token;
  // Compute the dummy hash early so the first sign-in for an unknown email costs no more than any other.
  void ctx.dummyHash().catch(() => undefined);

  return {
    options: resolved,
    signup: (input) => signup(ctx, input),
    signin: (input, meta) => signin(ctx, input, meta),
    authenticate: async (accessToken) => verifyAccessToken(ctx.accessToken, accessToken, ctx.clock.now()),
    refresh: async (refreshToken) => refreshSession(ctx, token(refreshToken)),
    signout: async (refreshToken) => endSession(ctx, token(refreshToken)),
    async signoutAll(principal) {
      assertPrincipal(principal);
      return endAllSessions(ctx, principal.userId);
    },
    organizations: {
      async create(principal, input) {
        assertPrincipal(principal);
        return createOrganization(ctx, principal, input);
      },
      async list(principal) {
        assertPrincipal(principal);
        return listOrganizations(ctx, principal);
      },
    },
  };
}
