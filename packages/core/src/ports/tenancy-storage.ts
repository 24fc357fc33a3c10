import type {
  InvitationRecord,
  JsonObject,
  MemberRecord,
  NewInvitation,
  NewMailIntent,
  NewUser,
  OrganizationRecord,
  RoleRecord,
  UserRecord,
} from "./records.js";

/** A user's membership of one active organization, with its role: everything `authorize` needs. */
export interface Membership {
  organization: OrganizationRecord;
  member: MemberRecord;
  role: RoleRecord;
}

/** Fields of an organization that `updateOrganization` may change; absent fields stay as they are. */
export interface OrganizationPatch {
  name?: string;
  details?: string | null;
  settings?: JsonObject;
  status?: number;
}

/** Result of a write that may hit a unique key, or find nothing to change (`null` for "no such row"). */
export type ConflictResult<T, C extends string> = { ok: true; value: T } | { ok: false; conflict: C };

/** Input of {@link TenancyStorage.listMembers}: a page of an organization's members, by ascending member id. */
export interface ListMembersInput {
  orgId: number;
  /** Return members whose id is greater than this (the cursor). */
  afterId?: number;
  /** Page size (1..200). */
  limit: number;
  roleId?: number;
  status?: number;
}

/** One row of a member list: the membership, its role and the member's user (no password hash). */
export interface MemberListItem {
  member: MemberRecord;
  role: RoleRecord;
  user: Pick<UserRecord, "id" | "email" | "profile" | "status" | "emailVerifiedAt">;
}

/**
 * Outcome of a membership change that must keep at least one member with the owner role.
 * `last_owner`: the change would leave the organization without an active owner, so nothing changed.
 */
export type MemberChangeResult = "ok" | "not_found" | "last_owner";

/** Input of {@link TenancyStorage.changeMemberRole}. */
export interface ChangeMemberRoleInput {
  orgId: number;
  userId: number;
  roleId: number;
  /** The built-in Owner role's id: the invariant "at least one active owner" is checked against it. */
  ownerRoleId: number;
  now: number;
}

/** Input of {@link TenancyStorage.removeMember}. */
export interface RemoveMemberInput {
  orgId: number;
  userId: number;
  ownerRoleId: number;
}

/** Input of {@link TenancyStorage.createRole}. */
export interface NewRole {
  orgId: number;
  name: string;
  description: string | null;
  permissions: string[];
}

/** Fields of a custom role that `updateRole` may change. */
export interface RolePatch {
  name?: string;
  description?: string | null;
  permissions?: string[];
}

/** Input of {@link TenancyStorage.deleteRole}. */
export interface DeleteRoleInput {
  orgId: number;
  roleId: number;
  /** Members holding the role move to this role first. Without it, a role still held is not deleted. */
  replacementRoleId?: number;
  now: number;
}

/** Input of {@link TenancyStorage.createInvitation}. */
export interface CreateInvitationInput {
  invitation: NewInvitation;
  /** The invitation mail, written to the outbox in the same transaction. */
  mail: NewMailIntent;
  now: number;
}

/** Input of {@link TenancyStorage.renewInvitation}: a pending invitation gets a new token, expiry and mail. */
export interface RenewInvitationInput {
  orgId: number;
  invitationId: number;
  tokenHash: string;
  expiresAt: number;
  mail: NewMailIntent;
  now: number;
}

/**
 * Outcome of accepting an invitation.
 * - `accepted`: the invitation was pending and unexpired; it is now accepted and the member row exists.
 * - `already_member`: the user already belongs to the organization; the invitation is left pending.
 * - `not_found` / `revoked` / `used` / `expired`: nothing changed.
 */
export type AcceptInvitationResult =
  | { status: "accepted"; invitation: InvitationRecord; member: MemberRecord }
  | { status: "already_member" | "not_found" | "revoked" | "used" | "expired" };

/** Input of {@link TenancyStorage.createUserFromInvitation}: signup through an invitation link. */
export interface CreateUserFromInvitationInput {
  user: NewUser;
  tokenHash: string;
  now: number;
}

/** Outcome of {@link TenancyStorage.createUserFromInvitation}. */
export type CreateUserFromInvitationResult =
  | { status: "created"; user: UserRecord; invitation: InvitationRecord; member: MemberRecord }
  | { status: "email_taken" | "not_found" | "revoked" | "used" | "expired" | "email_mismatch" };

/** One row of the seed's statistic: active members per organization and role. */
export interface OrgRoleCount {
  organizationId: number;
  organization: string;
  roleId: number;
  role: string;
  userCount: number;
}

/** An organization's statistics, read in one statement. */
export interface OrganizationStatsRecord {
  byRole: Array<{ roleId: number; role: string; count: number }>;
  byStatus: Array<{ status: number; count: number }>;
  pendingInvitations: number;
}

/**
 * The multi-tenant part of the storage port: organizations, members, roles, invitations and statistics.
 * The same rules as {@link StorageAdapter} hold: atomic multi-row writes, conflicts as values, null for nothing.
 * Every method that names an organization scopes its reads and writes to it: a row of another organization is
 * "not found", whatever its id.
 */
export interface TenancyStorage {
  /** Sets `emailVerifiedAt` if it is still null. False when there is no such user. */
  markEmailVerified(userId: number, now: number): Promise<boolean>;

  /** Sets a user's status (active, disabled). False when there is no such user. */
  updateUserStatus(userId: number, status: number, now: number): Promise<boolean>;

  /**
   * The user's membership (whatever its status) of the active organization `orgId`, with the organization and
   * role, in one indexed statement; null when the organization is deleted or missing, or the user is not a member.
   * This is the query behind every permission check.
   */
  findMembership(orgId: number, userId: number): Promise<Membership | null>;

  /** Changes an organization. Null when it does not exist; a taken name writes nothing. */
  updateOrganization(
    orgId: number,
    patch: OrganizationPatch,
    now: number,
  ): Promise<ConflictResult<OrganizationRecord, "organization_name"> | null>;

  /** A page of an organization's members (any member status unless `status` is given), by ascending id. */
  listMembers(input: ListMembersInput): Promise<MemberListItem[]>;

  /**
   * Gives the member another role. Concurrency-safe invariant: the organization keeps at least one active member
   * with `ownerRoleId`; a change that would break it returns `last_owner` and changes nothing, even when two such
   * changes race.
   */
  changeMemberRole(input: ChangeMemberRoleInput): Promise<MemberChangeResult>;

  /** Deletes the membership, under the same last-owner invariant as {@link changeMemberRole}. */
  removeMember(input: RemoveMemberInput): Promise<MemberChangeResult>;

  /** The built-in roles followed by the organization's custom roles, by ascending id. */
  listOrganizationRoles(orgId: number): Promise<RoleRecord[]>;

  /** The role with this id if it is built in or belongs to `orgId`; null otherwise. */
  findRole(orgId: number, roleId: number): Promise<RoleRecord | null>;

  /** Creates a custom role. The name must be unique within the organization and not a built-in role's name. */
  createRole(input: NewRole, now: number): Promise<ConflictResult<RoleRecord, "role_name">>;

  /** Changes a custom role of `orgId`. Null when no such custom role (built-in roles are never changed). */
  updateRole(
    orgId: number,
    roleId: number,
    patch: RolePatch,
    now: number,
  ): Promise<ConflictResult<RoleRecord, "role_name"> | null>;

  /**
   * Deletes a custom role of `orgId`, first moving its members to `replacementRoleId` when given, atomically.
   * `in_use` when members hold it and no replacement was named; `not_found` for built-in or foreign roles.
   */
  deleteRole(input: DeleteRoleInput): Promise<"deleted" | "in_use" | "not_found">;

  /**
   * Writes a pending invitation and its mail intent atomically, revoking any other pending invitation for the
   * same organization and email.
   */
  createInvitation(input: CreateInvitationInput): Promise<InvitationRecord>;

  /** Invitations of the organization with this status, newest first. */
  listInvitations(orgId: number, status: number): Promise<InvitationRecord[]>;

  /** The invitation with this id in organization `orgId` (any status), or null. */
  findInvitation(orgId: number, invitationId: number): Promise<InvitationRecord | null>;

  /** The invitation whose token has this SHA-256, or null. */
  findInvitationByTokenHash(tokenHash: string): Promise<InvitationRecord | null>;

  /** Revokes a pending invitation of `orgId`. False when there is no such pending invitation. */
  revokeInvitation(orgId: number, invitationId: number, now: number): Promise<boolean>;

  /** Gives a pending invitation of `orgId` a new token, expiry and mail intent. Null when not pending. */
  renewInvitation(input: RenewInvitationInput): Promise<InvitationRecord | null>;

  /**
   * Accepts the invitation with this token hash for an existing user, adding the membership, atomically.
   * Exactly one of concurrent calls with one token can return `accepted`.
   */
  acceptInvitation(tokenHash: string, userId: number, now: number): Promise<AcceptInvitationResult>;

  /**
   * Signup through an invitation: inserts the user (email verified, since the invitation reached that inbox),
   * accepts the invitation and adds the membership, atomically. The user's email must equal the invitation's.
   */
  createUserFromInvitation(input: CreateUserFromInvitationInput): Promise<CreateUserFromInvitationResult>;

  /**
   * The seed's statistic in one GROUP BY: active members of active users in active organizations, per
   * organization and role, ordered by organization name then role name. Groups with no member are absent.
   */
  countMembersByOrgAndRole(): Promise<OrgRoleCount[]>;

  /**
   * One organization's statistics in one statement: active members of active users by role (ordered by role
   * name, code-point order), members of active users by member status, and pending unexpired invitations.
   */
  organizationStats(orgId: number, now: number): Promise<OrganizationStatsRecord>;

  /** Number of users per status, in one statement. */
  countUsersByStatus(): Promise<Array<{ status: number; count: number }>>;

  /**
   * Signups per UTC day with `from <= created_at < to`, in one statement. `day` is the epoch ms of the day's
   * 00:00 UTC; days without signups are absent.
   */
  countSignupsPerDay(from: number, to: number): Promise<Array<{ day: number; count: number }>>;
}
