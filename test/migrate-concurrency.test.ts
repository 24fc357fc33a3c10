import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import * as knexPackage from "@tenantauth/knex";
import { type KnexStorage, knexStorage, migrate } from "@tenantauth/knex";
import type { Knex } from "knex";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../packages/knex/src/cli-run.js";
import { MIGRATIONS } from "../packages/knex/src/migrations/migration-source.js";
import { signup, startSession } from "./support/knex-fixtures.js";
import { mysqlTestDatabase } from "./support/mysql.js";
import { postgresTestDatabase, postgresUrl } from "./support/postgres.js";
import { schemaSnapshot } from "./support/schema-snapshot.js";
import { sqliteTestFile } from "./support/sqlite.js";

/**
 * Migrations that cannot wedge (issue 14, item 3): concurrent migrators, a stale Knex lock, a migrator killed
 * mid-migration, and the way down, on SQLite (a file), MySQL/MariaDB and PostgreSQL.
 */

const root = fileURLToPath(new URL("..", import.meta.url));
const tsx = `${root}node_modules/.bin/tsx`;
const NAMES = MIGRATIONS.map((m) => m.name);
const MIGRATORS = 5;
const ROUNDS = 20;
/** Rounds run this many at a time (each on its own prefix or file): MariaDB's DDL waits on the disk, not the CPU. */
const WAVE = 5;

interface Target {
  name: "sqlite" | "mysql" | "postgres";
  available: boolean;
  /** One database for the target's tests; each test works on its own table prefix in it. */
  database(): Promise<{ url: string; cleanup(): Promise<void> }>;
}

const sqliteDatabase = async (): Promise<{ url: string; cleanup(): Promise<void> }> => {
  const file = await sqliteTestFile();
  return { url: `sqlite:${file.path}`, cleanup: file.cleanup };
};

const targets: Target[] = [
  { name: "sqlite", available: true, database: sqliteDatabase },
  { name: "mysql", available: await mysqlTestDatabase.available(), database: () => mysqlTestDatabase() },
  { name: "postgres", available: postgresUrl() !== undefined, database: () => postgresTestDatabase() },
];

let prefixes = 0;
/** A table prefix no other test of this file uses (and that no table or column name contains). */
const freshPrefix = (): string => `m${String(++prefixes).padStart(3, "0")}x_`;

const lockRows = async (knex: Knex, prefix: string): Promise<number[]> =>
  ((await knex(`${prefix}tenantauth_migrations_lock`).select("is_locked")) as Array<{ is_locked: unknown }>).map((r) =>
    Number(r.is_locked),
  );

const recorded = async (knex: Knex, prefix: string): Promise<string[]> =>
  (await knex.schema.hasTable(`${prefix}tenantauth_migrations`))
    ? ((await knex(`${prefix}tenantauth_migrations`).orderBy("id").pluck("name")) as string[])
    : [];

const builtInRoles = async (knex: Knex, prefix: string): Promise<string[]> =>
  ((await knex(`${prefix}roles`).whereNull("org_id").orderBy("id").pluck("name")) as string[]).sort();

const messageOf = (reason: unknown): string => (reason instanceof Error ? reason.message : String(reason));

describe.concurrent.each(targets)("migrations on $name", (target) => {
  let db: { url: string; cleanup(): Promise<void> };
  let admin: KnexStorage;
  let reference: string[];
  const opened: KnexStorage[] = [];
  const open = (prefix: string, url = db.url): KnexStorage => {
    const storage = knexStorage(url, { tablePrefix: prefix });
    opened.push(storage);
    return storage;
  };

  beforeAll(async () => {
    if (!target.available) return;
    db = await target.database();
    admin = open("");
    // The schema one plain run gives: what every other run below must end with.
    const prefix = freshPrefix();
    await migrate(admin.knex, { tablePrefix: prefix });
    reference = await schemaSnapshot(admin.knex, prefix);
    expect(reference.length).toBeGreaterThan(40);
  });

  afterAll(async () => {
    for (const storage of opened.splice(0)) await storage.destroy();
    for (const cleanup of cleanups.splice(0)) await cleanup();
    await db?.cleanup();
  });

  const cleanups: Array<() => Promise<void>> = [];
  /**
   * Fresh tables for one test or round: a new file on SQLite (the tests run at once, and SQLite locks the whole
   * file for a writer), a new table prefix in the target's database on a server.
   */
  async function fresh(): Promise<{ url: string; prefix: string; storage: KnexStorage }> {
    const prefix = freshPrefix();
    let url = db.url;
    if (target.name === "sqlite") {
      const file = await sqliteDatabase();
      cleanups.push(file.cleanup);
      url = file.url;
    }
    return { url, prefix, storage: open(prefix, url) };
  }

  /** The schema under `prefix` is complete, recorded once, with its built-in roles once and one free lock row. */
  async function expectComplete(knex: Knex, prefix: string): Promise<void> {
    expect(await schemaSnapshot(knex, prefix)).toEqual(reference);
    expect(await recorded(knex, prefix)).toEqual(NAMES);
    expect(await builtInRoles(knex, prefix)).toEqual(["Admin", "Member", "Owner"]);
    expect(await lockRows(knex, prefix)).toEqual([0]);
  }

  it.skipIf(!target.available)(
    `${MIGRATORS} migrators at once, ${ROUNDS} rounds on fresh tables: exactly one applies, all succeed, the schema is complete and the lock table clean`,
    async () => {
      const round = async (): Promise<void> => {
        // On SQLite a new file each round, so that its creation races too.
        const { url, prefix, storage } = await fresh();
        const migrators = [storage, ...Array.from({ length: MIGRATORS - 1 }, () => open(prefix, url))];
        const results = await Promise.allSettled(migrators.map((m) => migrate(m.knex, { tablePrefix: prefix })));
        const failures = results.flatMap((r) => (r.status === "rejected" ? [messageOf(r.reason)] : []));
        expect(failures).toEqual([]);
        const counts = results.map((r) => (r.status === "fulfilled" ? r.value.applied.length : -1));
        expect(counts.sort((a, b) => a - b)).toEqual([...Array(MIGRATORS - 1).fill(0), NAMES.length]);
        await expectComplete(storage.knex, prefix);
        for (const m of migrators) await m.destroy();
      };
      for (let done = 0; done < ROUNDS; done += WAVE) {
        await Promise.all(Array.from({ length: Math.min(WAVE, ROUNDS - done) }, round));
      }
    },
    120_000,
  );

  it.skipIf(!target.available)(
    `${MIGRATORS} tenantauth-knex migrate commands at once on fresh tables: all exit 0, one applies, no driver code on stderr`,
    async () => {
      const { url, prefix, storage } = await fresh();
      const runs = Array.from({ length: MIGRATORS }, () => ({ out: [] as string[], err: [] as string[] }));
      const codes = await Promise.all(
        runs.map((run) =>
          runCli(
            ["migrate", "--url", url, "--table-prefix", prefix],
            {},
            {
              out: (line) => run.out.push(line),
              err: (line) => run.err.push(line),
            },
          ),
        ),
      );
      expect(runs.flatMap((r) => r.err)).toEqual([]);
      expect(codes).toEqual(Array(MIGRATORS).fill(0));
      const lines = runs.flatMap((r) => r.out);
      expect(lines.filter((l) => l.startsWith(`Applied ${NAMES.length} migrations`))).toHaveLength(1);
      expect(lines.filter((l) => /up to date/.test(l))).toHaveLength(MIGRATORS - 1);
      await expectComplete(storage.knex, prefix);
    },
    60_000,
  );

  it.skipIf(!target.available)(
    "a stale Knex lock table (a set row; two free rows, as two Knex migrators leave it; two set rows) does not stop migrate and is left with one free row",
    async () => {
      const stale = async (rows: number[]): Promise<void> => {
        const { prefix, storage } = await fresh();
        const { knex } = storage;
        const lockTable = `${prefix}tenantauth_migrations_lock`;
        await knex.schema.createTable(lockTable, (t) => {
          t.increments("index").primary();
          t.integer("is_locked");
        });
        await knex(lockTable).insert(rows.map((is_locked) => ({ is_locked })));
        expect((await migrate(knex, { tablePrefix: prefix })).applied).toEqual(NAMES);
        await expectComplete(knex, prefix);
        // Set again after a complete run (a crash after the last step): the next run is a no-op that succeeds.
        await knex(lockTable).update({ is_locked: 1 });
        expect((await migrate(knex, { tablePrefix: prefix })).applied).toEqual([]);
        expect(await lockRows(knex, prefix)).toEqual([0]);
      };
      await Promise.all([[1], [0, 0], [1, 1]].map(stale));
    },
    60_000,
  );

  // Where to SIGKILL the migrator: just before the statement matching the pattern is sent.
  const killPoints: Array<[string, (prefix: string) => string, string]> = [
    target.name === "sqlite"
      ? [
          "0007's second table, after its first",
          (p) => `^create table \`${p}two_factor_backup_codes\``,
          "0007_two_factor",
        ]
      : [
          "the foreign key of 0007's first table, after the table",
          (p) => `^alter table [\`"]${p}two_factor[\`"] add constraint`,
          "0007_two_factor",
        ],
  ];
  if (target.name === "mysql") {
    // Between two statements of a migration that also rewrites rows. (PostgreSQL and SQLite roll a migration back
    // whole, so one kill point is enough there.)
    killPoints.push([
      "0010's second unique index, after the keys were filled and the first index made",
      (p) => `${p}roles_org_name_key`,
      "0010_name_keys",
    ]);
  }

  it.skipIf(!target.available).each(killPoints)(
    "killed (SIGKILL) before %s: the rerun completes the schema",
    async (_, killAt, migration) => {
      const { url, prefix, storage } = await fresh();
      const child = spawn(tsx, ["--tsconfig", "test/tsconfig.json", "test/support/migrate-child.ts"], {
        cwd: root,
        env: { ...process.env, CHILD_DATABASE_URL: url, CHILD_PREFIX: prefix, CHILD_KILL_AT: killAt(prefix) },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let output = "";
      child.stdout.on("data", (chunk: Buffer) => {
        output += chunk.toString();
      });
      child.stderr.on("data", (chunk: Buffer) => {
        output += chunk.toString();
      });
      // tsx runs the script in a child process of its own and exits with 128 + 9 when that one is killed.
      const exit = await new Promise<string>((resolve) =>
        child.once("exit", (code, signal) => resolve(signal ?? `code ${code}`)),
      );
      expect({ exit, output }).toEqual({ exit: expect.stringMatching(/^(SIGKILL|code 137)$/), output: "" });
      // On MySQL, where each DDL statement commits on its own, the crash left part of the work behind.
      if (target.name === "mysql") expect(await storage.knex.schema.hasTable(`${prefix}two_factor`)).toBe(true);
      expect(await recorded(storage.knex, prefix)).not.toContain(migration);

      const rerun = await migrate(storage.knex, { tablePrefix: prefix });
      expect(rerun.applied).toContain(migration);
      await expectComplete(storage.knex, prefix);
    },
    60_000,
  );

  it.skipIf(!target.available)(
    "latest → rollback one step at a time to nothing → latest: every down works and keeps the other tables' rows",
    async () => {
      const { prefix, storage } = await fresh();
      await migrate(storage.knex, { tablePrefix: prefix });
      const { user } = await signup(storage);
      await startSession(storage, user.id);
      const kept = ["users", "organizations", "members", "roles", "sessions", "refresh_tokens"].map((t) => prefix + t);
      const count = async (table: string): Promise<number | undefined> =>
        (await storage.knex.schema.hasTable(table))
          ? Number(((await storage.knex(table).count({ n: "*" })) as Array<{ n: unknown }>)[0]?.n)
          : undefined;
      const before = await Promise.all(kept.map(count));
      expect(before).toEqual([1, 1, 1, expect.any(Number), 1, 1]);

      for (const name of [...NAMES].reverse()) {
        expect(await knexPackage.rollbackMigration(storage.knex, { tablePrefix: prefix })).toEqual({
          rolledBack: name,
        });
        expect(await recorded(storage.knex, prefix)).toEqual(NAMES.slice(0, NAMES.indexOf(name)));
        // Every table still there keeps its rows (0001's down drops them all at once).
        const after = await Promise.all(kept.map(count));
        expect(after).toEqual(name === NAMES[0] ? kept.map(() => undefined) : before);
      }
      expect(await knexPackage.rollbackMigration(storage.knex, { tablePrefix: prefix })).toEqual({
        rolledBack: undefined,
      });
      expect(await schemaSnapshot(storage.knex, prefix)).toEqual([]);

      expect((await migrate(storage.knex, { tablePrefix: prefix })).applied).toEqual(NAMES);
      await expectComplete(storage.knex, prefix);
    },
    60_000,
  );
});
