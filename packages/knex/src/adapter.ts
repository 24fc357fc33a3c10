import type { MailStorage, StorageAdapter } from "@tenantauth/core";
import { bindDb, type Db, retrying, run } from "./db.js";
import { isRetryable, toStorageError } from "./driver-errors.js";
import * as admin from "./operations/admin.js";
import * as apiKeys from "./operations/api-keys.js";
import * as audit from "./operations/audit.js";
import * as acceptance from "./operations/invitation-acceptance.js";
import * as invitations from "./operations/invitations.js";
import * as memberships from "./operations/memberships.js";
import * as organizations from "./operations/organizations.js";
import * as outbox from "./operations/outbox.js";
import * as rateLimits from "./operations/rate-limits.js";
import * as revocations from "./operations/revocations.js";
import * as roles from "./operations/roles.js";
import * as sessionListing from "./operations/session-listing.js";
import * as sessions from "./operations/sessions.js";
import * as stats from "./operations/stats.js";
import * as twoFactor from "./operations/two-factor.js";
import * as users from "./operations/users.js";
import * as tokens from "./operations/verification-tokens.js";

/** Wraps an error thrown by the caller's transaction callback, so it can be told apart from a driver error. */
class CallbackFailure extends Error {
  constructor(readonly original: unknown) {
    super("transaction callback failed");
  }
}

/**
 * Runs `fn` with an adapter bound to a transaction: a new one at top level (retried as a whole on deadlock), a
 * savepoint inside an open one. The callback's own errors come out as they are; driver errors (BEGIN, COMMIT,
 * SAVEPOINT) become AuthErrors.
 */
async function inTransaction<T>(db: Db, name: string, fn: (tx: StorageAdapter) => Promise<T>): Promise<T> {
  const host = db.trx ?? db.root;
  const once = (): Promise<T> =>
    host.transaction(async (trx) => {
      try {
        return await fn(createAdapter(bindDb(db, trx), name));
      } catch (error) {
        throw new CallbackFailure(error);
      }
    });
  try {
    return db.trx
      ? await once()
      : await retrying(db.dialect, once, (error) =>
          isRetryable(error instanceof CallbackFailure ? error.original : error),
        );
  } catch (error) {
    if (error instanceof CallbackFailure) throw error.original;
    throw toStorageError(error, "transaction");
  }
}

/** The StorageAdapter over `db`: the root Knex instance, or an open transaction. */
export function createAdapter(db: Db, name: string): StorageAdapter & MailStorage {
  /** Method `operation`, bound to `db`, with retry (at top level) and error wrapping. */
  const op =
    <A extends unknown[], R>(operation: string, fn: (db: Db, ...args: A) => Promise<R>) =>
    (...args: A): Promise<R> =>
      run(db, operation, () => fn(db, ...args));

  return {
    name,
    transaction: (fn) => inTransaction(db, name, fn),

    // accounts
    createUserWithOrganization: op("createUserWithOrganization", users.createUserWithOrganization),
    findUserByEmail: op("findUserByEmail", users.findUserByEmail),
    findUserById: op("findUserById", users.findUserById),
    updateUserPasswordHash: op("updateUserPasswordHash", users.updateUserPasswordHash),
    markEmailVerified: op("markEmailVerified", users.markEmailVerified),
    updateUserStatus: op("updateUserStatus", users.updateUserStatus),

    // organizations and members
    createOrganizationWithMember: op("createOrganizationWithMember", organizations.createOrganizationWithMember),
    findOrganizationById: op("findOrganizationById", organizations.findOrganizationById),
    isOrganizationNameTaken: op("isOrganizationNameTaken", organizations.isOrganizationNameTaken),
    listUserOrganizations: op("listUserOrganizations", organizations.listUserOrganizations),
    updateOrganization: op("updateOrganization", organizations.updateOrganization),
    findMembership: op("findMembership", memberships.findMembership),
    listMembers: op("listMembers", memberships.listMembers),
    changeMemberRole: op("changeMemberRole", memberships.changeMemberRole),
    removeMember: op("removeMember", memberships.removeMember),

    // roles
    listBuiltInRoles: op("listBuiltInRoles", roles.listBuiltInRoles),
    listOrganizationRoles: op("listOrganizationRoles", roles.listOrganizationRoles),
    findRole: op("findRole", roles.findRole),
    createRole: op("createRole", roles.createRole),
    updateRole: op("updateRole", roles.updateRole),
    deleteRole: op("deleteRole", roles.deleteRole),

    // invitations
    createInvitation: op("createInvitation", invitations.createInvitation),
    listInvitations: op("listInvitations", invitations.listInvitations),
    findInvitation: op("findInvitation", invitations.findInvitation),
    findInvitationByTokenHash: op("findInvitationByTokenHash", invitations.findInvitationByTokenHash),
    revokeInvitation: op("revokeInvitation", invitations.revokeInvitation),
    renewInvitation: op("renewInvitation", invitations.renewInvitation),
    acceptInvitation: op("acceptInvitation", acceptance.acceptInvitation),
    createUserFromInvitation: op("createUserFromInvitation", acceptance.createUserFromInvitation),

    // sessions
    createSession: op("createSession", sessions.createSession),
    findSessionById: op("findSessionById", sessions.findSessionById),
    rotateRefreshToken: op("rotateRefreshToken", sessions.rotateRefreshToken),
    revokeSessionByRefreshToken: op("revokeSessionByRefreshToken", sessions.revokeSessionByRefreshToken),
    revokeUserSessions: op("revokeUserSessions", sessions.revokeUserSessions),
    listLiveSessions: op("listLiveSessions", sessionListing.listLiveSessions),
    revokeSession: op("revokeSession", sessionListing.revokeSession),

    // audit events
    insertAuditEvent: op("insertAuditEvent", audit.insertAuditEvent),
    listAuditEvents: op("listAuditEvents", audit.listAuditEvents),

    // statistics
    countMembersByOrgAndRole: op("countMembersByOrgAndRole", stats.countMembersByOrgAndRole),
    organizationStats: op("organizationStats", stats.organizationStats),
    countUsersByStatus: op("countUsersByStatus", stats.countUsersByStatus),
    countSignupsPerDay: op("countSignupsPerDay", stats.countSignupsPerDay),

    // rate limits
    hitRateLimit: op("hitRateLimit", rateLimits.hitRateLimit),
    peekRateLimits: op("peekRateLimits", rateLimits.peekRateLimits),
    resetRateLimits: op("resetRateLimits", rateLimits.resetRateLimits),
    pruneRateLimits: op("pruneRateLimits", rateLimits.pruneRateLimits),
    // platform admin, limits, active organization
    listUsers: op("listUsers", admin.listUsers),
    listOrganizationsWithMemberCounts: op("listOrganizationsWithMemberCounts", admin.listOrganizationsWithMemberCounts),
    countOwnedOrganizations: op("countOwnedOrganizations", admin.countOwnedOrganizations),
    countMembers: op("countMembers", admin.countMembers),
    countPendingInvitations: op("countPendingInvitations", admin.countPendingInvitations),
    setSessionActiveOrganization: op("setSessionActiveOrganization", admin.setSessionActiveOrganization),

    // mail: single-use tokens and the outbox
    createVerificationToken: op("createVerificationToken", tokens.createVerificationToken),
    consumeVerificationToken: op("consumeVerificationToken", tokens.consumeVerificationToken),
    supersedeUserTokens: op("supersedeUserTokens", tokens.supersedeUserTokens),
    enqueueMail: op("enqueueMail", outbox.enqueueMail),
    claimMail: op("claimMail", outbox.claimMail),
    markMailSent: op("markMailSent", outbox.markMailSent),
    markMailFailed: op("markMailFailed", outbox.markMailFailed),
    listMail: op("listMail", outbox.listMail),

    // two-factor sign-in
    findTwoFactor: op("findTwoFactor", twoFactor.findTwoFactor),
    savePendingTwoFactor: op("savePendingTwoFactor", twoFactor.savePendingTwoFactor),
    enableTwoFactor: op("enableTwoFactor", twoFactor.enableTwoFactor),
    deleteTwoFactor: op("deleteTwoFactor", twoFactor.deleteTwoFactor),
    recordTotpStep: op("recordTotpStep", twoFactor.recordTotpStep),
    consumeBackupCode: op("consumeBackupCode", twoFactor.consumeBackupCode),
    countBackupCodes: op("countBackupCodes", twoFactor.countBackupCodes),
    createTwoFactorChallenge: op("createTwoFactorChallenge", twoFactor.createTwoFactorChallenge),
    spendChallengeAttempt: op("spendChallengeAttempt", twoFactor.spendChallengeAttempt),
    completeTwoFactorChallenge: op("completeTwoFactorChallenge", twoFactor.completeTwoFactorChallenge),

    // API keys
    createApiKey: op("createApiKey", apiKeys.createApiKey),
    listApiKeys: op("listApiKeys", apiKeys.listApiKeys),
    findApiKey: op("findApiKey", apiKeys.findApiKey),
    revokeApiKey: op("revokeApiKey", apiKeys.revokeApiKey),
    revokeApiKeysCreatedBy: op("revokeApiKeysCreatedBy", apiKeys.revokeApiKeysCreatedBy),
    rotateApiKey: op("rotateApiKey", apiKeys.rotateApiKey),
    findApiKeyForAuthentication: op("findApiKeyForAuthentication", apiKeys.findApiKeyForAuthentication),
    touchApiKey: op("touchApiKey", apiKeys.touchApiKey),

    // revocation records
    recordRevocations: op("recordRevocations", revocations.recordRevocations),
    listRevocations: op("listRevocations", revocations.listRevocations),
    pruneRevocations: op("pruneRevocations", revocations.pruneRevocations),
  };
}
