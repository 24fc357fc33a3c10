import * as z from "zod";
import { requirePlatformAdmin } from "../admin/platform-admin.js";
import type { AuthContext } from "../internal/context.js";
import { parseInput } from "../internal/validate.js";
import { MEMBER_STATUS, USER_STATUS } from "../ports/records.js";
import type { Principal } from "../sessions/access-token.js";
import { requireMembership } from "./permissions.js";

/** One row of the seed's `GET /stats/org-role-wise-users`. */
export interface OrgRoleWiseUsers {
  organization: string;
  role: string;
  userCount: number;
}

/** `auth.stats.organization()`: one organization's members by role and status, and its pending invitations. */
export interface OrganizationStats {
  membersByRole: Array<{ roleId: number; role: string; count: number }>;
  membersByStatus: Array<{ status: "active" | "suspended"; count: number }>;
  pendingInvitations: number;
}

const DAY_MS = 86_400_000;
const PLATFORM_STATS = "Only platform administrators can read platform statistics";
const MAX_DAYS = 3_660;

/** Active members of active users, per active organization and role (the seed's statistic). Platform admins only. */
export async function orgRoleWiseUsers(ctx: AuthContext, principal: Principal): Promise<OrgRoleWiseUsers[]> {
  await requirePlatformAdmin(ctx, principal, PLATFORM_STATS);
  return (await ctx.storage.countMembersByOrgAndRole()).map((r) => ({
    organization: r.organization,
    role: r.role,
    userCount: r.userCount,
  }));
}

/** One organization's statistics. Needs `stats:read`. */
export async function organizationStats(
  ctx: AuthContext,
  principal: Principal,
  orgId: number,
): Promise<OrganizationStats> {
  const { organization } = await requireMembership(ctx, principal, orgId, "stats:read");
  const stats = await ctx.storage.organizationStats(organization.id, ctx.clock.now());
  return {
    membersByRole: stats.byRole,
    membersByStatus: stats.byStatus.map((s) => ({
      status: s.status === MEMBER_STATUS.active ? "active" : "suspended",
      count: s.count,
    })),
    pendingInvitations: stats.pendingInvitations,
  };
}

/** Number of users per status. Platform admins only. */
export async function usersByStatus(
  ctx: AuthContext,
  principal: Principal,
): Promise<Array<{ status: "active" | "disabled"; count: number }>> {
  await requirePlatformAdmin(ctx, principal, PLATFORM_STATS);
  return (await ctx.storage.countUsersByStatus()).map((s) => ({
    status: s.status === USER_STATUS.active ? "active" : "disabled",
    count: s.count,
  }));
}

const dateSchema = z.iso.date({ error: "must be a date as YYYY-MM-DD" });
const rangeSchema = z
  .strictObject({ from: dateSchema, to: dateSchema })
  .refine((r) => r.from <= r.to, { error: "from must not be after to" })
  .refine((r) => (Date.parse(r.to) - Date.parse(r.from)) / DAY_MS < MAX_DAYS, {
    error: `the range must be shorter than ${MAX_DAYS} days`,
  });

/**
 * Signups per UTC day from `from` to `to` (both inclusive, `YYYY-MM-DD`), one entry per day, zeros included.
 * Platform admins only.
 */
export async function signupsPerDay(
  ctx: AuthContext,
  principal: Principal,
  range: { from: string; to: string },
): Promise<Array<{ date: string; count: number }>> {
  await requirePlatformAdmin(ctx, principal, PLATFORM_STATS);
  const { from, to } = parseInput(rangeSchema, range);
  const start = Date.parse(from);
  const end = Date.parse(to) + DAY_MS;
  const counts = new Map((await ctx.storage.countSignupsPerDay(start, end)).map((r) => [r.day, r.count]));
  const days: Array<{ date: string; count: number }> = [];
  for (let day = start; day < end; day += DAY_MS) {
    days.push({ date: new Date(day).toISOString().slice(0, 10), count: counts.get(day) ?? 0 });
  }
  return days;
}
