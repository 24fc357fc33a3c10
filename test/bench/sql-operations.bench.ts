/**
 * Two benchmarks on real SQL databases:
 * - `authorize`: `auth.authorize(principal, orgId, permission)` latency, p50 and p99, on MySQL (SQLite only when no
 *   MySQL is configured), with the default settings (no authorization cache: one query per check);
 * - `statements`: SQL statements per operation (signup, signin, refresh, authorize, stats), counted from Knex's
 *   `query` event on SQLite and MySQL. Whatever the operations do on the tree being measured is counted: nothing is
 *   hard-coded.
 */
import { type Auth, createAuth, type Principal } from "@tenantauth/core";
import { captureMailer } from "@tenantauth/testing";
import { statements } from "../support/sql-statements.js";
import { type BenchDatabase, type Benchmark, type BenchReport, measure, ms, sqlDatabases } from "./harness.js";

const PASSWORD = "correct horse battery staple";

interface Setup {
  auth: Auth;
  owner: { principal: Principal; orgId: number };
  admin: Principal;
}

/** An owner with a second member in their organization, and a platform admin (for the statistics). */
async function setup(db: BenchDatabase): Promise<Setup> {
  // Mail is delivered only when asked (below, for the invitation token), so no delivery runs while measuring.
  const mailbox = captureMailer();
  const auth = createAuth({
    secret: "bench-secret-that-is-at-least-32-bytes",
    storage: db.storage,
    emailVerification: { required: false },
    platformAdmins: ["admin@bench.test"],
    mailer: mailbox,
    mail: { deliverAfterCommit: false },
  });
  const principalOf = async (email: string): Promise<Principal> =>
    auth.authenticate((await auth.signin({ email, password: PASSWORD })).accessToken);
  const admin = await auth.signup({ email: "admin@bench.test", password: PASSWORD, organizationName: "Platform" });
  // A platform admin is a verified account (the verification link's effect).
  await db.storage.markEmailVerified(admin.user.id, Date.now());
  const { organization } = await auth.signup({
    email: "owner@bench.test",
    password: PASSWORD,
    organizationName: "Acme",
  });
  const owner = { principal: await principalOf("owner@bench.test"), orgId: organization.id };
  const roles = await auth.roles.list(owner.principal, owner.orgId);
  const member = roles.find((r) => r.name === "Member");
  if (!member) throw new Error("no Member role");
  await auth.invitations.create(owner.principal, owner.orgId, { email: "member@bench.test", roleId: member.id });
  while ((await auth.mail.deliverPending()).claimed > 0);
  const token = mailbox.tokenIn(mailbox.last("member@bench.test", "invitation"));
  await auth.signup({ email: "member@bench.test", password: PASSWORD, invitationToken: token });
  await auth.mail.idle();
  return { auth, owner, admin: await principalOf("admin@bench.test") };
}

export const authorizeBenchmark: Benchmark = {
  name: "authorize",
  async run({ smoke }): Promise<BenchReport> {
    const opens = await sqlDatabases();
    const open = opens.at(-1); // MySQL when configured
    if (!open) throw new Error("no database");
    const db = await open();
    try {
      const { auth, owner } = await setup(db);
      const timings = await measure(
        {
          "authorize (allowed: Owner, member:invite)": () =>
            auth.authorize(owner.principal, owner.orgId, "member:invite"),
          "authorize (not a member: denied)": () =>
            auth.authorize(owner.principal, owner.orgId + 1000, "member:invite"),
        },
        { iterations: smoke ? 20 : 2000, warmupIterations: smoke ? 2 : 200 },
      );
      const [allowed] = timings;
      if (!allowed) throw new Error("missing timings");
      return {
        title: `auth.authorize() on ${db.label} (default settings: no authorization cache)`,
        columns: ["case", "p50 ms", "p99 ms", "MAD ms", "samples"],
        rows: timings.map((t) => [t.name, ms(t.medianMs), ms(t.p99Ms), ms(t.madMs), t.samples]),
        notes: ["`authorization.cacheTtlSeconds` answers repeated checks from memory (0 statements) while cached."],
        targets: [
          {
            name: `authorize p50 / p99 (${db.label})`,
            target: "—",
            measured: `${ms(allowed.medianMs)} ms / ${ms(allowed.p99Ms)} ms`,
            met: null,
            note: "reported, no target: one indexed query per check",
          },
        ],
      };
    } finally {
      await db.cleanup();
    }
  },
};

export const statementsBenchmark: Benchmark = {
  name: "statements",
  async run(): Promise<BenchReport> {
    const counts = new Map<string, Map<string, number>>();
    const labels: string[] = [];
    for (const open of await sqlDatabases()) {
      const db = await open();
      try {
        labels.push(db.label);
        const { auth, owner, admin } = await setup(db);
        const count = async (operation: string, fn: () => Promise<unknown>): Promise<void> => {
          const sql = await statements(db.storage, fn);
          await auth.mail.idle(); // mail the operation queued is delivered outside the count
          const row = counts.get(operation) ?? new Map<string, number>();
          row.set(db.label, sql.length);
          counts.set(operation, row);
        };
        await count("signup (user, organization, Owner membership)", () =>
          auth.signup({ email: "new@bench.test", password: PASSWORD, organizationName: "New" }),
        );
        let refreshToken = "";
        await count("signin", async () => {
          refreshToken = (await auth.signin({ email: "new@bench.test", password: PASSWORD })).refreshToken;
        });
        await count("refresh", () => auth.refresh(refreshToken));
        await count("authorize", () => auth.authorize(owner.principal, owner.orgId, "member:invite"));
        await count("stats: organization × role user counts", () => auth.stats.orgRoleWiseUsers(admin));
      } finally {
        await db.cleanup();
      }
    }
    const rows = [...counts].map(([operation, byDb]) => [operation, ...labels.map((l) => byDb.get(l) ?? "—")]);
    return {
      title: "SQL statements per operation (Knex `query` events, transaction statements included)",
      columns: ["operation", ...labels],
      rows,
      targets: rows.map(([operation, ...figures]) => ({
        name: `SQL statements: ${operation}`,
        target: "—",
        measured: labels.map((l, i) => `${figures[i]} (${l})`).join(", "),
        met: null,
      })),
    };
  },
};
