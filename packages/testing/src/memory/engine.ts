import { type MailStorage, type StorageAdapter, uniqueNameKey } from "@tenantauth/core";
import * as admin from "./admin.js";
import * as apiKeys from "./api-keys.js";
import * as audit from "./audit.js";
import * as invitations from "./invitations.js";
import * as mail from "./mail.js";
import { listBuiltInRoles, listUserOrganizations } from "./memberships.js";
import { createOrganizationWithMember, findOrganizationById } from "./organizations.js";
import * as rateLimits from "./rate-limits.js";
import * as revocations from "./revocations.js";
import * as sessionListing from "./session-listing.js";
import {
  createSession,
  findSessionById,
  revokeSessionByRefreshToken,
  revokeUserSessions,
  rotateRefreshToken,
} from "./sessions.js";
import type { Tables } from "./state.js";
import * as stats from "./stats.js";
import * as members from "./tenancy-members.js";
import * as roles from "./tenancy-roles.js";
import * as twoFactor from "./two-factor.js";
import { createUserWithOrganization, findUserByEmail, findUserById, updateUserPasswordHash } from "./users.js";

/** How an adapter reaches the tables: directly (the root adapter) or through an open transaction. */
export interface Engine {
  /** Runs a read-only query. */
  read<T>(query: (tables: Tables) => T): Promise<T>;
  /** Runs a write; it must check every constraint before changing anything, so it is all-or-nothing. */
  write<T>(statement: (tables: Tables) => T): Promise<T>;
  transaction<T>(fn: (tx: StorageAdapter) => Promise<T>): Promise<T>;
}

/** The port's methods over an engine. Each query or write function is synchronous, hence atomic. */
export function adapterOn(engine: Engine): StorageAdapter & MailStorage {
  return {
    name: "memory",
    transaction: (fn) => engine.transaction(fn),
    listBuiltInRoles: () => engine.read(listBuiltInRoles),
    createUserWithOrganization: (input) => engine.write((t) => createUserWithOrganization(t, input)),
    findUserByEmail: (email) => engine.read((t) => findUserByEmail(t, email)),
    findUserById: (id) => engine.read((t) => findUserById(t, id)),
    updateUserPasswordHash: (userId, hash, now) => engine.write((t) => updateUserPasswordHash(t, userId, hash, now)),
    createOrganizationWithMember: (input) => engine.write((t) => createOrganizationWithMember(t, input)),
    findOrganizationById: (id) => engine.read((t) => findOrganizationById(t, id)),
    isOrganizationNameTaken: (name) => engine.read((t) => t.organizationIdByNameKey.has(uniqueNameKey(name))),
    listUserOrganizations: (userId) => engine.read((t) => listUserOrganizations(t, userId)),
    createSession: (input) => engine.write((t) => createSession(t, input)),
    findSessionById: (id) => engine.read((t) => findSessionById(t, id)),
    rotateRefreshToken: (input) => engine.write((t) => rotateRefreshToken(t, input)),
    revokeSessionByRefreshToken: (hash, reason, now) =>
      engine.write((t) => revokeSessionByRefreshToken(t, hash, reason, now)),
    revokeUserSessions: (userId, reason, now, options) =>
      engine.write((t) => revokeUserSessions(t, userId, reason, now, options)),
    listLiveSessions: (userId, now) => engine.read((t) => sessionListing.listLiveSessions(t, userId, now)),
    revokeSession: (userId, sessionId, reason, now) =>
      engine.write((t) => sessionListing.revokeSession(t, userId, sessionId, reason, now)),

    // audit events
    insertAuditEvent: (event) => engine.write((t) => audit.insertAuditEvent(t, event)),
    listAuditEvents: (input) => engine.read((t) => audit.listAuditEvents(t, input)),

    // tenancy
    markEmailVerified: (userId, now) => engine.write((t) => members.markEmailVerified(t, userId, now)),
    updateUserStatus: (userId, status, now) => engine.write((t) => members.updateUserStatus(t, userId, status, now)),
    findMembership: (orgId, userId) => engine.read((t) => members.findMembership(t, orgId, userId)),
    updateOrganization: (orgId, patch, now) => engine.write((t) => members.updateOrganization(t, orgId, patch, now)),
    listMembers: (input) => engine.read((t) => members.listMembers(t, input)),
    changeMemberRole: (input) => engine.write((t) => members.changeMemberRole(t, input)),
    removeMember: (input) => engine.write((t) => members.removeMember(t, input)),
    listOrganizationRoles: (orgId) => engine.read((t) => roles.listOrganizationRoles(t, orgId)),
    findRole: (orgId, roleId) => engine.read((t) => roles.findRole(t, orgId, roleId)),
    createRole: (input, now) => engine.write((t) => roles.createRole(t, input, now)),
    updateRole: (orgId, roleId, patch, now) => engine.write((t) => roles.updateRole(t, orgId, roleId, patch, now)),
    deleteRole: (input) => engine.write((t) => roles.deleteRole(t, input)),
    createInvitation: (input) => engine.write((t) => invitations.createInvitation(t, input)),
    listInvitations: (orgId, status) => engine.read((t) => invitations.listInvitations(t, orgId, status)),
    findInvitation: (orgId, id) => engine.read((t) => invitations.findInvitation(t, orgId, id)),
    findInvitationByTokenHash: (hash) => engine.read((t) => invitations.findInvitationByTokenHash(t, hash)),
    revokeInvitation: (orgId, id, now) => engine.write((t) => invitations.revokeInvitation(t, orgId, id, now)),
    renewInvitation: (input) => engine.write((t) => invitations.renewInvitation(t, input)),
    acceptInvitation: (hash, userId, now) => engine.write((t) => invitations.acceptInvitation(t, hash, userId, now)),
    createUserFromInvitation: (input) => engine.write((t) => invitations.createUserFromInvitation(t, input)),
    countMembersByOrgAndRole: () => engine.read(stats.countMembersByOrgAndRole),
    organizationStats: (orgId, now) => engine.read((t) => stats.organizationStats(t, orgId, now)),
    countUsersByStatus: () => engine.read(stats.countUsersByStatus),
    countSignupsPerDay: (from, to) => engine.read((t) => stats.countSignupsPerDay(t, from, to)),

    // rate limits
    hitRateLimit: (input) => engine.write((t) => rateLimits.hitRateLimit(t, input)),
    peekRateLimits: (keys, now) => engine.read((t) => rateLimits.peekRateLimits(t, keys, now)),
    resetRateLimits: (keys) => engine.write((t) => rateLimits.resetRateLimits(t, keys)),
    pruneRateLimits: (now) => engine.write((t) => rateLimits.pruneRateLimits(t, now)),
    // platform admin, limits, active organization
    listUsers: (input) => engine.read((t) => admin.listUsers(t, input)),
    listOrganizationsWithMemberCounts: (input) => engine.read((t) => admin.listOrganizationsWithMemberCounts(t, input)),
    countOwnedOrganizations: (userId, ownerRoleId) =>
      engine.read((t) => admin.countOwnedOrganizations(t, userId, ownerRoleId)),
    countMembers: (orgId) => engine.read((t) => admin.countMembers(t, orgId)),
    countPendingInvitations: (orgId, now) => engine.read((t) => admin.countPendingInvitations(t, orgId, now)),
    setSessionActiveOrganization: (sessionId, orgId) =>
      engine.write((t) => admin.setSessionActiveOrganization(t, sessionId, orgId)),

    // mail
    createVerificationToken: (input) => engine.write((t) => mail.createVerificationToken(t, input)),
    consumeVerificationToken: (hash, purpose, now) =>
      engine.write((t) => mail.consumeVerificationToken(t, hash, purpose, now)),
    supersedeUserTokens: (userId, now) => engine.write((t) => mail.supersedeUserTokens(t, userId, now)),
    enqueueMail: (intent, now) => engine.write((t) => mail.insertMail(t, intent, now)),
    claimMail: (input) => engine.write((t) => mail.claimMail(t, input)),
    markMailSent: (id, claimId, now) => engine.write((t) => mail.markMailSent(t, id, claimId, now)),
    markMailFailed: (id, claimId, failure) => engine.write((t) => mail.markMailFailed(t, id, claimId, failure)),
    listMail: (filter) => engine.read((t) => mail.listMail(t, filter)),

    // two-factor sign-in
    findTwoFactor: (userId) => engine.read((t) => twoFactor.findTwoFactor(t, userId)),
    savePendingTwoFactor: (userId, sealed, now) =>
      engine.write((t) => twoFactor.savePendingTwoFactor(t, userId, sealed, now)),
    enableTwoFactor: (input) => engine.write((t) => twoFactor.enableTwoFactor(t, input)),
    deleteTwoFactor: (userId) => engine.write((t) => twoFactor.deleteTwoFactor(t, userId)),
    recordTotpStep: (userId, step, now) => engine.write((t) => twoFactor.recordTotpStep(t, userId, step, now)),
    consumeBackupCode: (userId, hash, now) => engine.write((t) => twoFactor.consumeBackupCode(t, userId, hash, now)),
    countBackupCodes: (userId) => engine.read((t) => twoFactor.countBackupCodes(t, userId)),
    createTwoFactorChallenge: (input) => engine.write((t) => twoFactor.createTwoFactorChallenge(t, input)),
    spendChallengeAttempt: (hash, now, max) => engine.write((t) => twoFactor.spendChallengeAttempt(t, hash, now, max)),
    completeTwoFactorChallenge: (hash, now) => engine.write((t) => twoFactor.completeTwoFactorChallenge(t, hash, now)),

    // API keys
    createApiKey: (input) => engine.write((t) => apiKeys.createApiKey(t, input)),
    listApiKeys: (orgId) => engine.read((t) => apiKeys.listApiKeys(t, orgId)),
    findApiKey: (orgId, id) => engine.read((t) => apiKeys.findApiKey(t, orgId, id)),
    revokeApiKey: (orgId, id, now) => engine.write((t) => apiKeys.revokeApiKey(t, orgId, id, now)),
    revokeApiKeysCreatedBy: (userId, now) => engine.write((t) => apiKeys.revokeApiKeysCreatedBy(t, userId, now)),
    rotateApiKey: (orgId, id, rotation) => engine.write((t) => apiKeys.rotateApiKey(t, orgId, id, rotation)),
    findApiKeyForAuthentication: (hash) => engine.read((t) => apiKeys.findApiKeyForAuthentication(t, hash)),
    touchApiKey: (id, now, interval) => engine.write((t) => apiKeys.touchApiKey(t, id, now, interval)),

    // revocation records
    recordRevocations: (records, now) => engine.write((t) => revocations.recordRevocations(t, records, now)),
    listRevocations: (input) => engine.read((t) => revocations.listRevocations(t, input)),
    pruneRevocations: (before) => engine.write((t) => revocations.pruneRevocations(t, before)),
  };
}
