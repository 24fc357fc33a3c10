/**
 * Sign-in against a bare argon2id verify at the same parameters (OWASP: m=19456 KiB, t=2, p=1), on SQLite and on
 * MySQL (when configured), side by side in one run. Whatever sign-in does on top of the hash check (user lookup,
 * session insert, rate-limit counters, audit rows, …) is what the ratio measures.
 * Targets: latency ratio ≤ 1.15; throughput at concurrency 8 ≥ 0.85 of eight parallel bare verifies.
 */
import { argon2idHasher, createAuth } from "@tenantauth/core";
import { timedStatements } from "../support/sql-statements.js";
import {
  type BenchDatabase,
  type Benchmark,
  type BenchReport,
  measureAlternating,
  median,
  ms,
  ratio,
  sqlDatabases,
  type TargetResult,
  throughput,
} from "./harness.js";

const PASSWORD = "correct horse battery staple";
const CONCURRENCY = 8;

async function onDatabase(db: BenchDatabase, smoke: boolean) {
  const auth = createAuth({
    secret: "bench-secret-that-is-at-least-32-bytes",
    storage: db.storage,
    emailVerification: { required: false },
  });
  // Many accounts, taken in turn, and a new client IP per call: per-account or per-IP throttling must not kick in.
  const accounts = smoke ? 4 : 32;
  const emails = Array.from({ length: accounts }, (_, i) => `signin-${i}@bench.test`);
  for (let i = 0; i < accounts; i += 4) {
    await Promise.all(
      emails.slice(i, i + 4).map((email) => auth.signup({ email, password: PASSWORD, organizationName: email })),
    );
  }
  const user = await db.storage.findUserByEmail(emails[0] as string);
  if (!user) throw new Error("the bench user was not created");
  const phc = user.passwordHash;
  const bare = argon2idHasher(); // the same parameters as createAuth's default hasher
  if (!(await bare.verify(phc, PASSWORD))) throw new Error("the bare verify does not accept the password");
  let n = 0;
  const signin = () => {
    const i = n++;
    return auth.signin(
      { email: emails[i % accounts] as string, password: PASSWORD },
      { ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, userAgent: "bench" },
    );
  };
  const verify = () => bare.verify(phc, PASSWORD);

  const [signinTiming, verifyTiming] = await measureAlternating(
    { "auth.signin()": signin, "bare argon2id verify": verify },
    { rounds: smoke ? 1 : 8, iterations: smoke ? 3 : 5, warmupIterations: smoke ? 1 : 4 },
  );
  if (!signinTiming || !verifyTiming) throw new Error("missing timings");

  const total = smoke ? CONCURRENCY : 6 * CONCURRENCY;
  const rounds = smoke ? 1 : 3;
  const signinRates: number[] = [];
  const verifyRates: number[] = [];
  for (let r = 0; r < rounds; r++) {
    signinRates.push(await throughput(signin, total, CONCURRENCY));
    verifyRates.push(await throughput(verify, total, CONCURRENCY));
  }
  // Where sign-in's time goes beside the hash: its SQL statements, timed one sign-in at a time.
  const sql: Array<{ count: number; ms: number }> = [];
  for (let i = 0; i < (smoke ? 2 : 15); i++) sql.push(await timedStatements(db.storage, signin));
  return {
    sqlCount: median(sql.map((s) => s.count)),
    sqlMs: median(sql.map((s) => s.ms)),
    signin: signinTiming,
    verify: verifyTiming,
    signinRate: median(signinRates),
    verifyRate: median(verifyRates),
  };
}

export const signinBenchmark: Benchmark = {
  name: "signin",
  async run({ smoke }): Promise<BenchReport> {
    const rows: Array<Array<string | number>> = [];
    const targets: TargetResult[] = [];
    const notes: string[] = [];
    for (const open of await sqlDatabases()) {
      const db = await open();
      try {
        const r = await onDatabase(db, smoke);
        for (const [t, rate] of [
          [r.signin, r.signinRate],
          [r.verify, r.verifyRate],
        ] as const) {
          rows.push([db.label, t.name, ms(t.medianMs), ms(t.madMs), ms(t.p99Ms), rate.toFixed(1)]);
        }
        const latency = r.signin.medianMs / r.verify.medianMs;
        const rest = r.signin.medianMs - r.verify.medianMs - r.sqlMs;
        const why =
          `sign-in runs ${r.sqlCount} SQL statements taking ${ms(r.sqlMs)} ms (median, send to response, COMMIT included) beside the ${ms(r.verify.medianMs)} ms hash on ${db.label}` +
          (rest > 0
            ? `; the remaining ${ms(rest)} ms of the difference is outside SQL (Knex, the driver, token signing) or noise`
            : "");
        targets.push({
          name: `signin latency ÷ bare argon2id verify (${db.label})`,
          target: "≤ 1.15",
          measured: `${ratio(latency)} (${ms(r.signin.medianMs)} ms vs ${ms(r.verify.medianMs)} ms)`,
          met: latency <= 1.15,
          ...(latency > 1.15 ? { note: why } : {}),
        });
        notes.push(`${db.label}: ${why}.`);
        const rate = r.signinRate / r.verifyRate;
        targets.push({
          name: `signin throughput at concurrency ${CONCURRENCY} ÷ parallel bare verify (${db.label})`,
          target: "≥ 0.85",
          measured: `${ratio(rate)} (${r.signinRate.toFixed(1)}/s vs ${r.verifyRate.toFixed(1)}/s)`,
          met: rate >= 0.85,
          ...(rate < 0.85 ? { note: `${why}; with ${CONCURRENCY} in flight they also wait for the database` } : {}),
        });
      } finally {
        await db.cleanup();
      }
    }
    return {
      title: `Sign-in against a bare argon2id verify (m=19456 KiB, t=2, p=1); throughput with ${CONCURRENCY} in flight`,
      columns: ["storage", "operation", "median ms", "MAD ms", "p99 ms", `ops/s at concurrency ${CONCURRENCY}`],
      rows,
      notes: [
        ...notes,
        "The same PHC hash and password on both sides; sign-in rotates over many accounts and client IPs so throttling does not interfere.",
      ],
      targets,
    };
  },
};
