import { type KnexStorage, knexStorage } from "@tenantauth/knex";
import { Bench } from "tinybench";
import { mysqlAvailability, mysqlTestDatabase } from "../support/mysql.js";
import { sqliteTestFile } from "../support/sqlite.js";

/** One line of the targets table in docs/benchmarks.md. */
export interface TargetResult {
  /** What is measured, e.g. "signin latency ÷ bare argon2id verify (SQLite)". */
  name: string;
  /** The goal, e.g. "≤ 1.15"; "—" for a figure reported without a target. */
  target: string;
  /** The measured figure, as printed. */
  measured: string;
  /** Whether the target is met; null when there is no target. */
  met: boolean | null;
  /** Why a target is missed (measured, not guessed), or what the figure means. */
  note?: string;
}

/** One benchmark's printed result: a small table plus notes, and the targets it checks. */
export interface BenchReport {
  title: string;
  columns: string[];
  rows: Array<Array<string | number>>;
  notes?: string[];
  targets?: TargetResult[];
}

/** A benchmark module: `run` measures and reports; `smoke` makes it tiny (CI only checks that it still works). */
export interface Benchmark {
  name: string;
  run(options: { smoke: boolean }): Promise<BenchReport>;
}

/** Median and spread of one measured task, in milliseconds. */
export interface Timing {
  name: string;
  medianMs: number;
  madMs: number;
  p99Ms: number;
  samples: number;
  opsPerSecond: number;
}

/**
 * Measures async tasks side by side in one tinybench run (warm-up included) and returns median, MAD and p99.
 * `iterations` and `time` bound the run; in smoke mode callers pass tiny values.
 */
export async function measure(
  tasks: Record<string, () => Promise<unknown> | unknown>,
  options: { iterations: number; time?: number; warmupIterations?: number },
): Promise<Timing[]> {
  const bench = new Bench({
    iterations: options.iterations,
    time: options.time ?? 0,
    warmupIterations: options.warmupIterations ?? Math.max(1, Math.floor(options.iterations / 10)),
    warmupTime: 0,
    throws: true,
  });
  for (const [name, fn] of Object.entries(tasks)) bench.add(name, fn);
  await bench.run();
  return bench.tasks.map((task) => {
    const result = task.result;
    if (result.state !== "completed") throw new Error(`benchmark task ${task.name} did not complete: ${result.state}`);
    return {
      name: task.name,
      medianMs: result.latency.p50,
      madMs: result.latency.mad,
      p99Ms: result.latency.p99,
      samples: result.latency.samples?.length ?? options.iterations,
      opsPerSecond: result.throughput.p50,
    };
  });
}

/**
 * {@link measure} for slow operations compared side by side on a shared machine: `rounds` tinybench runs with the
 * task order alternating and every sample kept, so a change in machine load during the run falls on every task
 * alike. Median, MAD and p99 come from all samples.
 */
export async function measureAlternating(
  tasks: Record<string, () => Promise<unknown> | unknown>,
  options: { rounds: number; iterations: number; warmupIterations: number },
): Promise<Timing[]> {
  const names = Object.keys(tasks);
  const samples = new Map<string, number[]>(names.map((n) => [n, []]));
  for (let round = 0; round < options.rounds; round++) {
    const bench = new Bench({
      iterations: options.iterations,
      time: 0,
      warmupIterations: round === 0 ? options.warmupIterations : 0,
      warmupTime: 0,
      retainSamples: true,
      throws: true,
    });
    for (const name of round % 2 ? [...names].reverse() : names) bench.add(name, tasks[name] as () => unknown);
    await bench.run();
    for (const task of bench.tasks) {
      const result = task.result;
      if (result.state !== "completed")
        throw new Error(`benchmark task ${task.name} did not complete: ${result.state}`);
      samples.get(task.name)?.push(...Array.from(result.latency.samples ?? []));
    }
  }
  return names.map((name) => {
    const all = samples.get(name) ?? [];
    const sorted = [...all].sort((a, b) => a - b);
    const mid = median(sorted);
    return {
      name,
      medianMs: mid,
      madMs: median(sorted.map((x) => Math.abs(x - mid))),
      p99Ms: sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] ?? mid,
      samples: sorted.length,
      opsPerSecond: 1000 / mid,
    };
  });
}

/** Formats milliseconds for tables. */
export const ms = (value: number): string =>
  value >= 100 ? value.toFixed(0) : value >= 1 ? value.toFixed(2) : value.toFixed(4);

/** Formats a ratio. */
export const ratio = (value: number): string => value.toFixed(2);

/** The median of some numbers. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Runs `total` calls of `op` with `concurrency` in flight at a time; returns operations per second. */
export async function throughput(
  op: (i: number) => Promise<unknown>,
  total: number,
  concurrency: number,
): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await op(next++);
    }),
  );
  return total / ((performance.now() - started) / 1000);
}

/** The storage a benchmark runs on: a fresh, migrated database of its own. */
export interface BenchDatabase {
  label: "SQLite" | "MySQL";
  storage: KnexStorage;
  cleanup(): Promise<void>;
}

/** A fresh SQLite file, and a fresh MySQL database when MySQL is configured (TENANTAUTH_TEST_MYSQL_URL). */
export async function sqlDatabases(): Promise<Array<() => Promise<BenchDatabase>>> {
  const sqlite = async (): Promise<BenchDatabase> => {
    const file = await sqliteTestFile();
    const storage = knexStorage(`sqlite:${file.path}`);
    await storage.migrate();
    const cleanup = async (): Promise<void> => {
      await storage.destroy();
      await file.cleanup();
    };
    return { label: "SQLite", storage, cleanup };
  };
  const mysql = async (): Promise<BenchDatabase> => {
    const db = await mysqlTestDatabase();
    const storage = knexStorage(db.url);
    await storage.migrate();
    const cleanup = async (): Promise<void> => {
      await storage.destroy();
      await db.cleanup();
    };
    return { label: "MySQL", storage, cleanup };
  };
  return (await mysqlAvailability()).available ? [sqlite, mysql] : [sqlite];
}

/**
 * The database a MySQL benchmark runs on: a fresh MySQL database (TENANTAUTH_BENCH_MYSQL_URL, else
 * TENANTAUTH_TEST_MYSQL_URL, else root on 127.0.0.1), or in smoke mode, when there is none, a SQLite file.
 * @throws {Error} outside smoke mode when MySQL is not available: the figure is a MySQL one.
 */
export async function benchDatabase(
  smoke: boolean,
  what: string,
): Promise<{ url: string; label: string; cleanup(): Promise<void> }> {
  process.env.TENANTAUTH_TEST_MYSQL_URL ??=
    process.env.TENANTAUTH_BENCH_MYSQL_URL ?? "mysql://root@127.0.0.1:3306/test";
  if ((await mysqlAvailability()).available) {
    const db = await mysqlTestDatabase();
    return { url: db.url, label: "MySQL", cleanup: db.cleanup };
  }
  if (!smoke) throw new Error(`the ${what} benchmark needs MySQL: set TENANTAUTH_BENCH_MYSQL_URL`);
  const file = await sqliteTestFile();
  return { url: `sqlite:${file.path}`, label: "SQLite", cleanup: file.cleanup };
}
