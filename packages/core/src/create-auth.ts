import * as z from "zod";
import { resendVerification, verifyEmail } from "./accounts/email-verification.js";
import { me } from "./accounts/me.js";
import { changePassword, requestPasswordReset, resetPassword } from "./accounts/password-reset.js";
import { presentedTokenSchema } from "./accounts/schemas.js";
import { type SigninInput, signin } from "./accounts/signin.js";
import { signup } from "./accounts/signup.js";
import * as adminOrganizations from "./admin/organizations.js";
import * as adminUsers from "./admin/users.js";
import * as apiKeys from "./api-keys/api-keys.js";
import { authenticateApiKey, looksLikeApiKey } from "./api-keys/authenticate-key.js";
import { listAuditEvents } from "./audit/list.js";
import type { Auth } from "./auth.js";
import { createHttpHandler, type HttpHandler } from "./http/handler.js";
import { type AuthContext, createContext } from "./internal/context.js";
import { parseInput } from "./internal/validate.js";
import { deliverPending } from "./mail/outbox.js";
import { type AuthOptions, resolveOptions } from "./options.js";
import { accessTokenVerifier } from "./sessions/access-token.js";
import { switchOrganization } from "./sessions/active-organization.js";
import { listSessions, revokeAllSessions, revokeOtherSessions, revokeSession } from "./sessions/session-management.js";
import { endSession, type RequestMeta, refreshSession } from "./sessions/sessions.js";
import * as invitations from "./tenancy/invitations.js";
import * as members from "./tenancy/members.js";
import { deleteOrganization, transferOwnership } from "./tenancy/organization-lifecycle.js";
import * as organizations from "./tenancy/organizations.js";
import { assertAuthorized, authorize } from "./tenancy/permissions.js";
import * as roles from "./tenancy/roles.js";
import * as stats from "./tenancy/stats.js";
import { verifySecondFactor } from "./two-factor/challenge.js";
import { confirmTwoFactor, disableTwoFactor, enrollTwoFactor, twoFactorStatus } from "./two-factor/enrolment.js";

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

  let handler: HttpHandler | undefined;
  const verifyToken = accessTokenVerifier(ctx.accessToken);
  const auth: Auth = {
    options: resolved,
    handler: (request, context) => {
      handler ??= createHttpHandler(auth);
      return handler(request, context);
    },
    signup: (input, meta) => signup(ctx, input, meta),
    signin: Object.assign((input: SigninInput, meta?: RequestMeta) => signin(ctx, input, meta), {
      verifyTotp: (challenge: string, code: string, meta?: RequestMeta) =>
        verifySecondFactor(ctx, challenge, code, meta),
    }),
    authenticate: async (token) => {
      if (typeof token === "string" && looksLikeApiKey(ctx, token)) return authenticateApiKey(ctx, token);
      const now = ctx.clock.now();
      const principal = verifyToken(token, now);
      // Map lookups; one storage query per `revocation.refreshSeconds` on this node, not per request.
      if (ctx.revocations.stale(now)) await ctx.revocations.refresh(now);
      ctx.revocations.assertLive(principal);
      return principal;
    },
    twoFactor: {
      enroll: (principal) => enrollTwoFactor(ctx, principal),
      confirm: async (principal, code) => ({ backupCodes: await confirmTwoFactor(ctx, principal, code) }),
      disable: (principal, proof) => disableTwoFactor(ctx, principal, proof),
      status: (principal) => twoFactorStatus(ctx, principal),
    },
    apiKeys: {
      create: (principal, orgId, input) => apiKeys.createApiKey(ctx, principal, orgId, input),
      list: (principal, orgId) => apiKeys.listApiKeys(ctx, principal, orgId),
      revoke: (principal, orgId, keyId) => apiKeys.revokeApiKey(ctx, principal, orgId, keyId),
      rotate: (principal, orgId, keyId) => apiKeys.rotateApiKey(ctx, principal, orgId, keyId),
    },
    refresh: async (refreshToken, meta) => refreshSession(ctx, token(refreshToken), meta),
    switchOrganization: async (refreshToken, orgId) => switchOrganization(ctx, token(refreshToken), orgId),
    signout: async (refreshToken) => endSession(ctx, token(refreshToken)),
    me: (principal) => me(ctx, principal),
    verifyEmail: (verificationToken, meta) => verifyEmail(ctx, verificationToken, meta),
    resendVerification: (email, meta) => resendVerification(ctx, email, meta),
    requestPasswordReset: (email, meta) => requestPasswordReset(ctx, email, meta),
    resetPassword: (resetToken, newPassword, meta) => resetPassword(ctx, resetToken, newPassword, meta),
    changePassword: (principal, current, next) => changePassword(ctx, principal, current, next),
    mail: {
      deliverPending: (opts) => deliverPending(ctx, opts),
      idle: () => ctx.idle(),
    },
    signoutAll: (principal) => revokeAllSessions(ctx, principal),
    authorize: (principal, orgId, permission) => authorize(ctx, principal, orgId, permission),
    assertAuthorized: (principal, orgId, permission) => assertAuthorized(ctx, principal, orgId, permission),
    organizations: {
      create: (principal, input) => organizations.createOrganization(ctx, principal, input),
      list: (principal) => organizations.listOrganizations(ctx, principal),
      get: (principal, orgId) => organizations.getOrganization(ctx, principal, orgId),
      update: (principal, orgId, input) => organizations.updateOrganization(ctx, principal, orgId, input),
      delete: (principal, orgId) => deleteOrganization(ctx, principal, orgId),
      transferOwnership: (principal, orgId, toUserId) => transferOwnership(ctx, principal, orgId, toUserId),
    },
    members: {
      list: (principal, orgId, opts) => members.listMembers(ctx, principal, orgId, opts),
      updateRole: (principal, orgId, userId, roleId) => members.updateMemberRole(ctx, principal, orgId, userId, roleId),
      remove: (principal, orgId, userId) => members.removeMember(ctx, principal, orgId, userId),
      leave: (principal, orgId) => members.leaveOrganization(ctx, principal, orgId),
    },
    roles: {
      list: (principal, orgId) => roles.listRoles(ctx, principal, orgId),
      create: (principal, orgId, input) => roles.createRole(ctx, principal, orgId, input),
      update: (principal, orgId, roleId, input) => roles.updateRole(ctx, principal, orgId, roleId, input),
      delete: (principal, orgId, roleId, opts) => roles.deleteRole(ctx, principal, orgId, roleId, opts),
    },
    invitations: {
      create: (principal, orgId, input) => invitations.createInvitation(ctx, principal, orgId, input),
      list: (principal, orgId) => invitations.listInvitations(ctx, principal, orgId),
      revoke: (principal, orgId, id) => invitations.revokeInvitation(ctx, principal, orgId, id),
      resend: (principal, orgId, id) => invitations.resendInvitation(ctx, principal, orgId, id),
      accept: (principal, invitationToken) => invitations.acceptInvitation(ctx, principal, invitationToken),
    },
    audit: {
      list: (principal, scope, opts) => listAuditEvents(ctx, principal, scope, opts),
    },
    sessions: {
      list: (principal) => listSessions(ctx, principal),
      revoke: (principal, sessionId) => revokeSession(ctx, principal, sessionId),
      revokeOthers: (principal) => revokeOtherSessions(ctx, principal),
    },
    admin: {
      users: {
        list: (principal, opts) => adminUsers.listUsers(ctx, principal, opts),
        disable: (principal, userId) => adminUsers.disableUser(ctx, principal, userId),
        enable: (principal, userId) => adminUsers.enableUser(ctx, principal, userId),
        impersonate: (principal, userId) => adminUsers.impersonateUser(ctx, principal, userId),
      },
      organizations: {
        list: (principal, opts) => adminOrganizations.listAllOrganizations(ctx, principal, opts),
      },
    },
    stats: {
      orgRoleWiseUsers: (principal) => stats.orgRoleWiseUsers(ctx, principal),
      organization: (principal, orgId) => stats.organizationStats(ctx, principal, orgId),
      usersByStatus: (principal) => stats.usersByStatus(ctx, principal),
      signupsPerDay: (principal, range) => stats.signupsPerDay(ctx, principal, range),
    },
  };
  return auth;
}
