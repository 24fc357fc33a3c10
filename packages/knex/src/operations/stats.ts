import {
  INVITATION_STATUS,
  MEMBER_STATUS,
  ORGANIZATION_STATUS,
  type OrganizationStatsRecord,
  type OrgRoleCount,
  USER_STATUS,
} from "@tenantauth/core";
import type { Db } from "../db.js";
import { num, type Row } from "../rows.js";

const DAY_MS = 86_400_000;

/** Code-point order: the order of MySQL's binary collation and SQLite's BINARY, whatever PostgreSQL's locale. */
const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * See TenancyStorage.countMembersByOrgAndRole: the seed's statistic in one statement. Active members are counted
 * per (organization, role) straight from the covering index members(status, org_id, role_id, user_id), leaving out
 * the few disabled users with an anti-join; only then are the ~one row per organization and role joined to names.
 */
export async function countMembersByOrgAndRole(db: Db): Promise<OrgRoleCount[]> {
  const { q, t } = db;
  const counts = q({ m: t.members })
    .where("m.status", MEMBER_STATUS.active)
    .whereNotIn("m.user_id", q(t.users).whereNot("status", USER_STATUS.active).select("id"))
    .groupBy("m.org_id", "m.role_id")
    .select({ org_id: "m.org_id", role_id: "m.role_id" })
    .count({ n: "*" })
    .as("c");
  const rows = (await q
    .from(counts)
    .join({ o: t.organizations }, "o.id", "c.org_id")
    .join({ r: t.roles }, "r.id", "c.role_id")
    .where("o.status", ORGANIZATION_STATUS.active)
    .orderBy([{ column: "o.name" }, { column: "r.name" }])
    .select({
      organization_id: "o.id",
      organization: "o.name",
      role_id: "r.id",
      role: "r.name",
      user_count: "c.n",
    })) as Row[];
  return rows
    .map((r) => ({
      organizationId: num(r.organization_id),
      organization: String(r.organization),
      roleId: num(r.role_id),
      role: String(r.role),
      userCount: num(r.user_count),
    }))
    .sort((a, b) => byCodePoint(a.organization, b.organization) || byCodePoint(a.role, b.role));
}

/**
 * See TenancyStorage.organizationStats: three grouped counts in one statement (UNION ALL), told apart by `kind`:
 * 1 = active members of active users by role, 2 = members of active users by member status, 3 = pending unexpired invitations.
 */
export async function organizationStats(db: Db, orgId: number, now: number): Promise<OrganizationStatsRecord> {
  const { q, t } = db;
  const raw = (sql: string) => db.root.raw(sql);
  const members = () =>
    q({ m: t.members })
      .join({ u: t.users }, "u.id", "m.user_id")
      .where({ "m.org_id": orgId, "u.status": USER_STATUS.active });
  const byRole = members()
    .where("m.status", MEMBER_STATUS.active)
    .join({ r: t.roles }, "r.id", "m.role_id")
    .groupBy("r.id", "r.name")
    .select(raw("1 as kind"), { k: "r.id", label: "r.name" })
    .count({ n: "*" });
  const byStatus = members()
    .groupBy("m.status")
    .select(raw("2 as kind"), { k: "m.status" }, raw("null as label"))
    .count({ n: "*" });
  const invitations = q(t.invitations)
    .where({ org_id: orgId, status: INVITATION_STATUS.pending })
    .where("expires_at", ">", now)
    .select(raw("3 as kind"), raw("null as k"), raw("null as label"))
    .count({ n: "*" });
  const rows = (await q.unionAll([byRole, byStatus, invitations])) as Row[];

  const stats: OrganizationStatsRecord = { byRole: [], byStatus: [], pendingInvitations: 0 };
  for (const row of rows) {
    const kind = num(row.kind);
    if (kind === 1) stats.byRole.push({ roleId: num(row.k), role: String(row.label), count: num(row.n) });
    else if (kind === 2) stats.byStatus.push({ status: num(row.k), count: num(row.n) });
    else stats.pendingInvitations = num(row.n);
  }
  stats.byRole.sort((a, b) => byCodePoint(a.role, b.role) || a.roleId - b.roleId);
  stats.byStatus.sort((a, b) => a.status - b.status);
  return stats;
}

/** See TenancyStorage.countUsersByStatus: one GROUP BY on users(status). */
export async function countUsersByStatus(db: Db): Promise<Array<{ status: number; count: number }>> {
  const rows = (await db.q(db.t.users).groupBy("status").orderBy("status").select("status").count({ n: "*" })) as Row[];
  return rows.map((r) => ({ status: num(r.status), count: num(r.n) }));
}

/**
 * See TenancyStorage.countSignupsPerDay: one GROUP BY over the users(created_at) range. The day number is the
 * integer quotient of the timestamp by a day's milliseconds (MySQL needs DIV for that; `/` is integer division on
 * SQLite and PostgreSQL BIGINTs).
 */
export async function countSignupsPerDay(
  db: Db,
  from: number,
  to: number,
): Promise<Array<{ day: number; count: number }>> {
  const quotient = db.dialect === "mysql" ? `?? DIV ${DAY_MS}` : `?? / ${DAY_MS}`;
  const rows = (await db
    .q(db.t.users)
    .where("created_at", ">=", from)
    .where("created_at", "<", to)
    .select(db.root.raw(`${quotient} as ??`, ["created_at", "day_number"]))
    .count({ n: "*" })
    .groupBy("day_number")
    .orderBy("day_number")) as Row[];
  return rows.map((r) => ({ day: num(r.day_number) * DAY_MS, count: num(r.n) }));
}
