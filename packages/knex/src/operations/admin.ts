import {
  INVITATION_STATUS,
  type ListOrganizationsInput,
  type ListUsersInput,
  ORGANIZATION_STATUS,
  type OrganizationWithMemberCount,
  type UserPage,
} from "@tenantauth/core";
import type { Knex } from "knex";
import type { Db } from "../db.js";
import { columnsAs, num, ORGANIZATION_COLUMNS, type Row, toOrganization, toUser } from "../rows.js";

/** `%text%` for LIKE with `!` as the escape character, so `%`, `_` and `!` in the text match themselves. */
const containsPattern = (text: string): string => `%${text.replace(/[!%_]/g, (c) => `!${c}`)}%`;

/** See AdminStorage.listUsers: the page and the filtered total, two statements. */
export async function listUsers(db: Db, input: ListUsersInput): Promise<UserPage> {
  const filtered = (): Knex.QueryBuilder => {
    const query = db.q(db.t.users);
    if (input.query !== undefined) query.whereRaw("?? like ? escape '!'", ["email", containsPattern(input.query)]);
    if (input.status !== undefined) query.where("status", input.status);
    return query;
  };
  const rows = (await filtered()
    .where("id", ">", input.afterId ?? 0)
    .orderBy("id")
    .limit(input.limit)
    .select("*")) as Row[];
  const total = (await filtered().count({ n: "*" }).first()) as Row | undefined;
  return { users: rows.map((r) => toUser(r)), total: num(total?.n ?? 0) };
}

/** See AdminStorage.listOrganizationsWithMemberCounts: one statement, the count as a correlated subquery. */
export async function listOrganizationsWithMemberCounts(
  db: Db,
  input: ListOrganizationsInput,
): Promise<OrganizationWithMemberCount[]> {
  const { q, t } = db;
  const memberCount = q({ m: t.members }).whereRaw("?? = ??", ["m.org_id", "o.id"]).count("*");
  const query = q({ o: t.organizations })
    .whereNot("o.status", ORGANIZATION_STATUS.deleted)
    .where("o.id", ">", input.afterId ?? 0);
  if (input.query !== undefined) {
    query.whereRaw("lower(??) like ? escape '!'", ["o.name", containsPattern(input.query.toLowerCase())]);
  }
  const rows = (await query
    .orderBy("o.id")
    .limit(input.limit)
    .select({ ...columnsAs("o", "o_", ORGANIZATION_COLUMNS), member_count: memberCount })) as Row[];
  return rows.map((r) => ({ organization: toOrganization(r, "o_"), memberCount: num(r.member_count) }));
}

/** See AdminStorage.countOwnedOrganizations. */
export async function countOwnedOrganizations(db: Db, userId: number, ownerRoleId: number): Promise<number> {
  const row = (await db
    .q({ m: db.t.members })
    .join({ o: db.t.organizations }, "o.id", "m.org_id")
    .where({ "m.user_id": userId, "m.role_id": ownerRoleId })
    .whereNot("o.status", ORGANIZATION_STATUS.deleted)
    .count({ n: "*" })
    .first()) as Row | undefined;
  return num(row?.n ?? 0);
}

/** See AdminStorage.countMembers. */
export async function countMembers(db: Db, orgId: number): Promise<number> {
  const row = (await db.q(db.t.members).where({ org_id: orgId }).count({ n: "*" }).first()) as Row | undefined;
  return num(row?.n ?? 0);
}

/** See AdminStorage.countPendingInvitations. */
export async function countPendingInvitations(db: Db, orgId: number, now: number): Promise<number> {
  const row = (await db
    .q(db.t.invitations)
    .where({ org_id: orgId, status: INVITATION_STATUS.pending })
    .where("expires_at", ">", now)
    .count({ n: "*" })
    .first()) as Row | undefined;
  return num(row?.n ?? 0);
}

/** See AdminStorage.setSessionActiveOrganization. */
export async function setSessionActiveOrganization(db: Db, sessionId: string, orgId: number | null): Promise<boolean> {
  const updated = await db.q(db.t.sessions).where({ id: sessionId }).update({ active_org_id: orgId });
  // MySQL counts changed rows: setting the same value again reports 0.
  if (updated > 0) return true;
  return (await db.q(db.t.sessions).where({ id: sessionId }).first("id")) !== undefined;
}
