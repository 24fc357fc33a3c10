import { INVITATION_STATUS, type InvitationRecord, type NewMailIntent, type StorageAdapter } from "@tenantauth/core";
import { expect } from "vitest";
import { builtInRoleId, DAY, newUser, T0, tokenHash, unique } from "./fixtures.js";

/** Ids of the three built-in roles. */
export interface BuiltInRoleIds {
  owner: number;
  admin: number;
  member: number;
}

/** The built-in roles' ids; fails the test when one is missing. */
export async function roleIds(storage: StorageAdapter): Promise<BuiltInRoleIds> {
  return {
    owner: await builtInRoleId(storage, "Owner"),
    admin: await builtInRoleId(storage, "Admin"),
    member: await builtInRoleId(storage, "Member"),
  };
}

/** A fresh, normalised email address. */
export function newEmail(prefix = "invitee"): string {
  return `${prefix}-${unique()}@example.test`;
}

/** An invitation mail intent for `recipient`, with a payload the outbox must keep as given. */
export function invitationMail(recipient: string, availableAt = T0): NewMailIntent {
  return { template: "invitation", recipient, payload: { sealedToken: `sealed-${unique()}` }, availableAt };
}

/** What {@link invite} needs; email, token hash, expiry and time are fresh or default when absent. */
export interface InviteOptions {
  orgId: number;
  invitedBy: number;
  roleId: number;
  email?: string;
  hash?: string;
  expiresAt?: number;
  now?: number;
}

/** Invites an email into an organization; returns the stored invitation, its token hash and the email. */
export async function invite(
  storage: StorageAdapter,
  options: InviteOptions,
): Promise<{ invitation: InvitationRecord; hash: string; email: string }> {
  const email = options.email ?? newEmail();
  const hash = options.hash ?? tokenHash();
  const now = options.now ?? T0;
  const invitation = await storage.createInvitation({
    invitation: {
      orgId: options.orgId,
      email,
      roleId: options.roleId,
      invitedBy: options.invitedBy,
      tokenHash: hash,
      expiresAt: options.expiresAt ?? now + DAY,
    },
    mail: invitationMail(email, now),
    now,
  });
  return { invitation, hash, email };
}

/**
 * A new user who joins `orgId` with `roleId` through an invitation, the port's only way to add a member to an
 * existing organization. Fails the test unless it worked.
 */
export async function addMember(
  storage: StorageAdapter,
  orgId: number,
  invitedBy: number,
  roleId: number,
  now = T0,
): Promise<{ userId: number; memberId: number; email: string }> {
  const { hash, email } = await invite(storage, { orgId, invitedBy, roleId, now });
  const result = await storage.createUserFromInvitation({ user: newUser({ email }), tokenHash: hash, now });
  if (result.status !== "created") return expect.fail(`invitation signup failed: ${result.status}`);
  return { userId: result.user.id, memberId: result.member.id, email };
}

/** An existing user joins `orgId` with `roleId` by accepting an invitation. Fails the test unless it worked. */
export async function join(
  storage: StorageAdapter,
  orgId: number,
  invitedBy: number,
  roleId: number,
  user: { userId: number; email: string },
): Promise<number> {
  const { hash } = await invite(storage, { orgId, invitedBy, roleId, email: user.email });
  const result = await storage.acceptInvitation(hash, user.userId, T0);
  if (result.status !== "accepted") return expect.fail(`acceptInvitation failed: ${result.status}`);
  return result.member.id;
}

/**
 * Everything the port shows about these organizations and users, and the outbox: equal before and after a call
 * proves that the call changed nothing.
 */
export async function snapshot(storage: StorageAdapter, orgIds: number[], userIds: number[]): Promise<unknown> {
  const organizations = [];
  for (const orgId of orgIds) {
    const invitations = [];
    for (const status of Object.values(INVITATION_STATUS)) {
      invitations.push(await storage.listInvitations(orgId, status));
    }
    organizations.push({
      organization: await storage.findOrganizationById(orgId),
      members: await storage.listMembers({ orgId, limit: 200 }),
      roles: await storage.listOrganizationRoles(orgId),
      invitations,
      stats: await storage.organizationStats(orgId, T0),
    });
  }
  const users = [];
  for (const userId of userIds) {
    users.push({ user: await storage.findUserById(userId), orgs: await storage.listUserOrganizations(userId) });
  }
  return { organizations, users, mail: await storage.listMail({ limit: 1000 }) };
}
