import type { OrganizationRecord, UserRecord } from "./records.js";

/** Input of {@link AdminStorage.listUsers}: a filtered page of users by ascending id. */
export interface ListUsersInput {
  /** Keep users whose email contains this text (already lower-cased; matched literally, `%` and `_` included). */
  query?: string;
  /** Keep users with this status. */
  status?: number;
  /** Return users whose id is greater than this (the cursor). */
  afterId?: number;
  /** Page size (1..200). */
  limit: number;
}

/** A page of users and how many users match the filter in all (the cursor ignored). */
export interface UserPage {
  users: UserRecord[];
  total: number;
}

/** Input of {@link AdminStorage.listOrganizationsWithMemberCounts}. */
export interface ListOrganizationsInput {
  /** Keep organizations whose name contains this text, case-insensitively, matched literally. */
  query?: string;
  afterId?: number;
  /** Page size (1..200). */
  limit: number;
}

/** An organization and how many members (any status) it has. */
export interface OrganizationWithMemberCount {
  organization: OrganizationRecord;
  memberCount: number;
}

/**
 * Storage for platform administration, limits and the active organization. Same rules as the rest of the port.
 */
export interface AdminStorage {
  /** A page of users (any status unless `status` is given) with the filtered total. */
  listUsers(input: ListUsersInput): Promise<UserPage>;

  /** A page of organizations that are not deleted, by ascending id, each with its member count, in one statement. */
  listOrganizationsWithMemberCounts(input: ListOrganizationsInput): Promise<OrganizationWithMemberCount[]>;

  /** How many organizations that are not deleted the user belongs to with role `ownerRoleId`. */
  countOwnedOrganizations(userId: number, ownerRoleId: number): Promise<number>;

  /** How many members (any status) the organization has. */
  countMembers(orgId: number): Promise<number>;

  /** How many pending invitations of the organization are unexpired at `now`. */
  countPendingInvitations(orgId: number, now: number): Promise<number>;

  /**
   * Records the organization the session's tokens carry (null: none). False when there is no such session.
   * Not checked against memberships: core does that before calling.
   */
  setSessionActiveOrganization(sessionId: string, orgId: number | null): Promise<boolean>;
}
