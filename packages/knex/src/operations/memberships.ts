import {
  type ChangeMemberRoleInput,
  type ListMembersInput,
  MEMBER_STATUS,
  type MemberChangeResult,
  type MemberListItem,
  type Membership,
  ORGANIZATION_STATUS,
  type RemoveMemberInput,
} from "@tenantauth/core";
import { atomic, type Db } from "../db.js";
import {
  columnsAs,
  jsonObject,
  MEMBER_COLUMNS,
  num,
  numOrNull,
  ORGANIZATION_COLUMNS,
  ROLE_COLUMNS,
  type Row,
  toMember,
  toOrganization,
  toRole,
} from "../rows.js";

/** See TenancyStorage.findMembership: one statement on members(org_id, user_id), joined by primary keys. */
export async function findMembership(db: Db, orgId: number, userId: number): Promise<Membership | null> {
  const row = (await db
    .q({ m: db.t.members })
    .join({ o: db.t.organizations }, "o.id", "m.org_id")
    .join({ r: db.t.roles }, "r.id", "m.role_id")
    .where({ "m.org_id": orgId, "m.user_id": userId, "o.status": ORGANIZATION_STATUS.active })
    .first({
      ...columnsAs("m", "m_", MEMBER_COLUMNS),
      ...columnsAs("o", "o_", ORGANIZATION_COLUMNS),
      ...columnsAs("r", "r_", ROLE_COLUMNS),
    })) as Row | undefined;
  return row ? { member: toMember(row, "m_"), organization: toOrganization(row, "o_"), role: toRole(row, "r_") } : null;
}

/** See TenancyStorage.listMembers: keyset pagination on members(org_id, id), or members(org_id, role_id) by role. */
export async function listMembers(db: Db, input: ListMembersInput): Promise<MemberListItem[]> {
  const query = db
    .q({ m: db.t.members })
    .join({ r: db.t.roles }, "r.id", "m.role_id")
    .join({ u: db.t.users }, "u.id", "m.user_id")
    .where("m.org_id", input.orgId)
    .select({
      ...columnsAs("m", "m_", MEMBER_COLUMNS),
      ...columnsAs("r", "r_", ROLE_COLUMNS),
      ...columnsAs("u", "u_", ["id", "email", "profile", "status", "email_verified_at"]),
    })
    .orderBy("m.id", "asc")
    .limit(input.limit);
  if (input.afterId !== undefined) query.where("m.id", ">", input.afterId);
  if (input.roleId !== undefined) query.where("m.role_id", input.roleId);
  if (input.status !== undefined) query.where("m.status", input.status);
  const rows = (await query) as Row[];
  return rows.map((row) => ({
    member: toMember(row, "m_"),
    role: toRole(row, "r_"),
    user: {
      id: num(row.u_id),
      email: String(row.u_email),
      profile: jsonObject(row.u_profile),
      status: num(row.u_status),
      emailVerifiedAt: numOrNull(row.u_email_verified_at),
    },
  }));
}

/**
 * Locks the organization row, then the membership: every change that could remove an owner goes through the
 * organization's lock, so two of them (two owners demoting each other) run one after the other and the second
 * sees the first's result. SQLite has one writer at a time anyway.
 */
async function lockedMembership(db: Db, orgId: number, userId: number): Promise<Row | null> {
  const org = await db.q(db.t.organizations).where({ id: orgId }).forUpdate().first("id");
  if (!org) return null;
  return ((await db.q(db.t.members).where({ org_id: orgId, user_id: userId }).forUpdate().first()) as Row) ?? null;
}

/** True when someone other than `userId` is an active member of `orgId` with the owner role. */
async function hasOtherActiveOwner(db: Db, orgId: number, userId: number, ownerRoleId: number): Promise<boolean> {
  const other = await db
    .q(db.t.members)
    .where({ org_id: orgId, role_id: ownerRoleId, status: MEMBER_STATUS.active })
    .whereNot({ user_id: userId })
    .first("id");
  return other !== undefined;
}

const isActiveOwner = (member: Row, ownerRoleId: number): boolean =>
  num(member.role_id) === ownerRoleId && num(member.status) === MEMBER_STATUS.active;

/**
 * See TenancyStorage.changeMemberRole. A role that is neither built in nor the organization's own is `not_found`
 * (the foreign key alone would accept another organization's role).
 */
export function changeMemberRole(db: Db, input: ChangeMemberRoleInput): Promise<MemberChangeResult> {
  return atomic(db, async (tx): Promise<MemberChangeResult> => {
    const member = await lockedMembership(tx, input.orgId, input.userId);
    if (!member) return "not_found";
    const role = await tx
      .q(tx.t.roles)
      .where({ id: input.roleId })
      .andWhere((w) => w.whereNull("org_id").orWhere("org_id", input.orgId))
      .first("id");
    if (!role) return "not_found";
    if (
      input.roleId !== input.ownerRoleId &&
      isActiveOwner(member, input.ownerRoleId) &&
      !(await hasOtherActiveOwner(tx, input.orgId, input.userId, input.ownerRoleId))
    ) {
      return "last_owner";
    }
    await tx.q(tx.t.members).where({ id: member.id }).update({ role_id: input.roleId, updated_at: input.now });
    return "ok";
  });
}

/** See TenancyStorage.removeMember. */
export function removeMember(db: Db, input: RemoveMemberInput): Promise<MemberChangeResult> {
  return atomic(db, async (tx): Promise<MemberChangeResult> => {
    const member = await lockedMembership(tx, input.orgId, input.userId);
    if (!member) return "not_found";
    if (
      isActiveOwner(member, input.ownerRoleId) &&
      !(await hasOtherActiveOwner(tx, input.orgId, input.userId, input.ownerRoleId))
    ) {
      return "last_owner";
    }
    await tx.q(tx.t.members).where({ id: member.id }).delete();
    return "ok";
  });
}
