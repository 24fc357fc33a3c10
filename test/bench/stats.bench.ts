/**
 * The seed's statistic at scale: 10,000 organizations and 1,000,000 members in MySQL. Times
 * `storage.countMembersByOrgAndRole()` against the same GROUP BY written by hand, side by side in one run.
 * Target: ratio ≤ 1.2 and under 1 s. Smoke mode: 100 organizations, 10,000 members (MySQL when available, else SQLite).
 */
import { type KnexStorage, knexStorage } from "@tenantauth/knex";
import type { Knex } from "knex";
import { type Benchmark, type BenchReport, benchDatabase, measureAlternating, ms, ratio } from "./harness.js";

const HAND_WRITTEN = `
  SELECT o.id AS organization_id, o.name AS organization, r.id AS role_id, r.name AS role, c.n AS user_count
  FROM (
    SELECT m.org_id, m.role_id, COUNT(*) AS n
    FROM members m
    WHERE m.status = 1 AND m.user_id NOT IN (SELECT id FROM users WHERE status <> 1)
    GROUP BY m.org_id, m.role_id
  ) c
  JOIN organizations o ON o.id = c.org_id
  JOIN roles r ON r.id = c.role_id
  WHERE o.status = 1
  ORDER BY o.name, r.name`;

/**
 * Inserts rows 5,000 to a statement; 500 on SQLite, where Knex writes a multi-row insert as a compound SELECT and
 * SQLite allows at most 500 terms in one (the smoke run falls back to SQLite when there is no MySQL).
 */
async function insertChunked(knex: Knex, table: string, rows: Array<Record<string, unknown>>): Promise<void> {
  const size = knex.client.config.client === "better-sqlite3" ? 500 : 5000;
  for (let i = 0; i < rows.length; i += size) await knex(table).insert(rows.slice(i, i + size));
}

/** Seeds users, organizations, custom roles and members with plain multi-row inserts; returns seconds taken. */
export async function seed(knex: Knex, orgs: number, membersPerOrg: number, users: number): Promise<number> {
  const started = performance.now();
  const now = Date.UTC(2030, 0, 1);
  const roleIds = Object.fromEntries(
    ((await knex("roles").whereNull("org_id").select("id", "name")) as Array<{ id: number; name: string }>).map((r) => [
      r.name,
      r.id,
    ]),
  ) as Record<string, number>;
  const userRows = Array.from({ length: users }, (_, i) => ({
    email: `bench-${i}@example.test`,
    password: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA",
    profile: "{}",
    status: i % 20 === 0 ? 2 : 1, // 5% disabled users: not counted
    settings: "{}",
    email_verified_at: now,
    created_at: now,
    updated_at: now,
  }));
  await knex.transaction((trx) => insertChunked(trx, "users", userRows));
  const orgRows = Array.from({ length: orgs }, (_, o) => ({
    name: `bench-org-${String(o).padStart(6, "0")}`,
    details: null,
    status: o % 100 === 99 ? 2 : 1, // 1% deleted organizations: not counted
    personal: false,
    settings: "{}",
    created_at: now,
    updated_at: now,
  }));
  await knex.transaction((trx) => insertChunked(trx, "organizations", orgRows));
  const orgIds = (await knex("organizations").orderBy("id").pluck("id")) as number[];
  const userIds = (await knex("users").orderBy("id").pluck("id")) as number[];
  const custom = orgIds
    .filter((_, o) => o % 10 === 0)
    .map((orgId) => ({
      name: "Billing",
      description: null,
      org_id: orgId,
      permissions: JSON.stringify(["stats:read"]),
      created_at: now,
      updated_at: now,
    }));
  await insertChunked(knex, "roles", custom);
  const customByOrg = new Map(
    ((await knex("roles").whereNotNull("org_id").select("id", "org_id")) as Array<{ id: number; org_id: number }>).map(
      (r) => [Number(r.org_id), Number(r.id)],
    ),
  );
  const memberRows: Array<Record<string, unknown>> = [];
  const flush = async (): Promise<void> => {
    await knex.transaction((trx) => insertChunked(trx, "members", memberRows.splice(0)));
  };
  for (const [o, orgId] of orgIds.entries()) {
    for (let i = 0; i < membersPerOrg; i++) {
      const role =
        i === 0
          ? roleIds.Owner
          : i < 5
            ? roleIds.Admin
            : i < 15 && customByOrg.has(orgId)
              ? customByOrg.get(orgId)
              : roleIds.Member;
      memberRows.push({
        org_id: orgId,
        user_id: userIds[(o * membersPerOrg + i) % users],
        role_id: role,
        status: i % 50 === 49 ? 2 : 1, // 2% suspended members: not counted
        settings: "{}",
        created_at: now,
        updated_at: now,
      });
    }
    if (memberRows.length >= 50_000) await flush();
  }
  await flush();
  return (performance.now() - started) / 1000;
}

export const statsBenchmark: Benchmark = {
  name: "stats",
  async run({ smoke }): Promise<BenchReport> {
    const [orgs, perOrg, users] = smoke ? [100, 100, 1_000] : [10_000, 100, 100_000];
    const db = await benchDatabase(smoke, "statistics");
    let storage: KnexStorage | undefined;
    try {
      storage = knexStorage(db.url);
      await storage.migrate();
      const seconds = await seed(storage.knex, orgs, perOrg, users);
      const s = storage;
      const adapterRows = await s.countMembersByOrgAndRole();
      const handRows = (await s.knex.raw(HAND_WRITTEN)) as unknown;
      const hand = (Array.isArray(handRows) && Array.isArray(handRows[0]) ? handRows[0] : handRows) as Array<{
        user_count: unknown;
      }>;
      const total = (rows: Array<{ user_count?: unknown; userCount?: unknown }>): number =>
        rows.reduce((n, r) => n + Number(r.userCount ?? r.user_count), 0);
      if (adapterRows.length !== hand.length || total(adapterRows) !== total(hand)) {
        throw new Error(
          `the adapter and the hand-written query disagree: ${adapterRows.length} vs ${hand.length} rows`,
        );
      }
      const [adapter, written] = await measureAlternating(
        {
          "storage.countMembersByOrgAndRole()": () => s.countMembersByOrgAndRole(),
          "hand-written GROUP BY": () => s.knex.raw(HAND_WRITTEN),
        },
        { rounds: smoke ? 1 : 5, iterations: 3, warmupIterations: smoke ? 1 : 3 },
      );
      if (!adapter || !written) throw new Error("missing timings");
      const r = adapter.medianMs / written.medianMs;
      return {
        title: `Seed statistic on ${db.label}: ${orgs.toLocaleString("en")} organizations, ${(orgs * perOrg).toLocaleString("en")} members (${adapterRows.length.toLocaleString("en")} result rows)`,
        columns: ["query", "median ms", "MAD ms", "p99 ms"],
        rows: [adapter, written].map((t) => [t.name, ms(t.medianMs), ms(t.madMs), ms(t.p99Ms)]),
        targets: [
          {
            name: `stats query at ${(orgs * perOrg).toLocaleString("en")} members, adapter ÷ hand-written GROUP BY (${db.label})`,
            target: "≤ 1.2",
            measured: ratio(r),
            met: r <= 1.2,
          },
          {
            name: `stats query at ${(orgs * perOrg).toLocaleString("en")} members, median (${db.label})`,
            target: "< 1000 ms",
            measured: `${ms(adapter.medianMs)} ms`,
            met: adapter.medianMs < 1000,
          },
        ],
        notes: [
          `ratio adapter / hand-written: ${ratio(r)} (target ≤ 1.2); adapter median ${ms(adapter.medianMs)} ms (target < 1000 ms)`,
          `seeding took ${seconds.toFixed(1)} s (5% disabled users, 1% deleted organizations, 2% suspended members, a custom role in every tenth organization)`,
        ],
      };
    } finally {
      await storage?.destroy();
      await db.cleanup();
    }
  },
};
