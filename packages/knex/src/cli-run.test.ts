import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import knexFactory from "knex";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "./cli-run.js";
import { MIGRATIONS } from "./migrations/migration-source.js";

/** A Knex instance of its own on a SQLite file (a second connection, as another process would have). */
const sqlite = (file: string) =>
  knexFactory({ client: "better-sqlite3", connection: { filename: file }, useNullAsDefault: true });

function capture(): { out: string[]; err: string[]; output: { out(l: string): void; err(l: string): void } } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, output: { out: (l) => out.push(l), err: (l) => err.push(l) } };
}

describe("tenantauth-knex CLI", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "tenantauth-cli-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("migrates a fresh SQLite file, then is a no-op the second time", async () => {
    const url = `sqlite:${join(dir, "app.db")}`;
    const first = capture();
    expect(await runCli(["migrate", "--url", url, "--table-prefix", "ta_"], {}, first.output)).toBe(0);
    expect(first.err).toEqual([]);
    const names = MIGRATIONS.map((m) => m.name);
    expect(names.slice(0, 4)).toEqual([
      "0001_initial_schema",
      "0002_invitations_and_outbox",
      "0003_tokens_and_outbox_claims",
      "0004_stats_index",
    ]);
    expect(first.out).toEqual([`Applied ${names.length} migrations (sqlite, table prefix "ta_"): ${names.join(", ")}`]);

    const second = capture();
    expect(await runCli(["migrate", "--table-prefix", "ta_"], { DATABASE_URL: url }, second.output)).toBe(0);
    expect(second.out).toEqual(['tenantauth schema is up to date (sqlite, table prefix "ta_"); nothing to apply.']);

    const knex = knexFactory({
      client: "better-sqlite3",
      connection: { filename: join(dir, "app.db") },
      useNullAsDefault: true,
    });
    try {
      const tables = (await knex("sqlite_master").where({ type: "table" }).pluck("name")) as string[];
      expect(tables).toEqual(
        expect.arrayContaining([
          "ta_users",
          "ta_organizations",
          "ta_roles",
          "ta_members",
          "ta_sessions",
          "ta_refresh_tokens",
          "ta_invitations",
          "ta_mail_outbox",
          "ta_verification_tokens",
          "ta_rate_limits",
          "ta_two_factor",
          "ta_two_factor_backup_codes",
          "ta_two_factor_challenges",
          "ta_api_keys",
          "ta_revocations",
        ]),
      );
      expect(tables).toContain("ta_tenantauth_migrations");
      expect(tables).toContain("ta_tenantauth_migrations_lock");
      expect(await knex("ta_roles").whereNull("org_id").orderBy("id").pluck("name")).toEqual([
        "Owner",
        "Admin",
        "Member",
      ]);
      expect(await knex("ta_tenantauth_migrations").count({ n: "*" }).first()).toEqual({ n: MIGRATIONS.length });
    } finally {
      await knex.destroy();
    }
    // WAL is on for file databases.
    expect((await readFile(join(dir, "app.db"))).subarray(18, 20)).toEqual(Buffer.from([2, 2]));
  });

  it("migrate --status lists pending, then applied migrations and the locks; rollback goes one step down", async () => {
    const url = `sqlite:${join(dir, "app.db")}`;
    const names = MIGRATIONS.map((m) => m.name);
    const status = capture();
    expect(await runCli(["migrate", "--status", "--url", url], {}, status.output)).toBe(0);
    expect(status.out).toEqual([
      `tenantauth schema (sqlite): 0 applied, ${names.length} pending`,
      ...names.map((n) => `  pending  ${n}`),
      "Migration lock: a write transaction on SQLite (not observable from outside)",
      "Knex lock table: not created yet",
    ]);

    expect(await runCli(["migrate", "--url", url], {}, capture().output)).toBe(0);
    const rollback = capture();
    expect(await runCli(["rollback", "--url", url], {}, rollback.output)).toBe(0);
    expect(rollback.out).toEqual([
      `Rolled back ${names.at(-1)} (sqlite). Run tenantauth-knex migrate to apply it again.`,
    ]);
    const after = capture();
    expect(await runCli(["migrate", "--status", "--url", url], {}, after.output)).toBe(0);
    expect(after.out[0]).toBe(`tenantauth schema (sqlite): ${names.length - 1} applied, 1 pending`);
    expect(after.out.slice(1, -2)).toEqual([
      ...names.slice(0, -1).map((n) => expect.stringMatching(new RegExp(`^  applied  ${n}  \\(batch 1, \\d{4}-`))),
      `  pending  ${names.at(-1)}`,
    ]);
    expect(after.out.at(-1)).toBe("Knex lock table: free");

    const again = capture();
    expect(await runCli(["migrate", "--url", url], {}, again.output)).toBe(0);
    expect(again.out).toEqual([`Applied 1 migration (sqlite): ${names.at(-1)}`]);
  });

  it("a stale Knex lock row: --status says so, migrate resets it and says so, --unlock resets it", async () => {
    const file = join(dir, "app.db");
    const url = `sqlite:${file}`;
    expect(await runCli(["migrate", "--url", url], {}, capture().output)).toBe(0);
    const db = sqlite(file);
    const lockRows = () => db("tenantauth_migrations_lock").select("is_locked");
    try {
      await db("tenantauth_migrations_lock").update({ is_locked: 1 });
      const status = capture();
      expect(await runCli(["migrate", "--status", "--url", url], {}, status.output)).toBe(0);
      expect(status.out.at(-1)).toBe(
        "Knex lock table: 1 row, 1 set (stale: the next migrate resets it; tenantauth-knex migrate --unlock resets it now)",
      );
      const unlock = capture();
      expect(await runCli(["migrate", "--unlock", "--url", url], {}, unlock.output)).toBe(0);
      expect(unlock.out).toEqual([
        "Reset the Knex lock table to one free row (sqlite); it held 1 row, 1 set. No migration was running.",
      ]);
      expect(await lockRows()).toEqual([{ is_locked: 0 }]);
      const unlockAgain = capture();
      expect(await runCli(["migrate", "--unlock", "--url", url], {}, unlockAgain.output)).toBe(0);
      expect(unlockAgain.out).toEqual(["The Knex lock table was already free (sqlite); nothing to do."]);

      await db("tenantauth_migrations_lock").update({ is_locked: 1 });
      await db("tenantauth_migrations_lock").insert({ is_locked: 1 });
      const migrate = capture();
      expect(await runCli(["migrate", "--url", url], {}, migrate.output)).toBe(0);
      expect(migrate.out).toEqual([
        "Reset a stale Knex lock table (2 rows, 2 set).",
        "tenantauth schema is up to date (sqlite); nothing to apply.",
      ]);
      expect(await lockRows()).toEqual([{ is_locked: 0 }]);
    } finally {
      await db.destroy();
    }
  });

  it("waits for the lock at most --lock-timeout seconds, then says what to do", async () => {
    const file = join(dir, "app.db");
    const url = `sqlite:${file}`;
    // Another connection writing to the file holds SQLite's write lock (as a migrator in another process does).
    const other = sqlite(file);
    await other.raw("pragma journal_mode = WAL");
    await other.schema.createTable("busy", (t) => t.integer("x"));
    const writing = await other.transaction();
    await writing("busy").insert({ x: 1 });
    try {
      const started = Date.now();
      const run = capture();
      expect(await runCli(["migrate", "--url", url, "--lock-timeout", "0.4"], {}, run.output)).toBe(1);
      expect(Date.now() - started).toBeGreaterThanOrEqual(400);
      expect(run.err).toEqual([
        "tenantauth-knex: Another migration (or another writer of the SQLite file) held the migration lock for " +
          "more than 0.4 s: wait for it to finish, then run the migration again (or raise the lock timeout, " +
          "--lock-timeout). `tenantauth-knex migrate --status` shows the lock; a migrator that crashed released it " +
          "with its connection. [MIGRATION_LOCK_TIMEOUT]",
      ]);
      await writing.commit();
      expect(await runCli(["migrate", "--url", url, "--lock-timeout", "0.4"], {}, capture().output)).toBe(0);
    } finally {
      await other.destroy();
    }
  });

  it("a migration that cannot finish names the migration and the table and says what to do, with no SQL", async () => {
    const file = join(dir, "app.db");
    const url = `sqlite:${file}`;
    // Something else already owns the name of 0007's first table.
    const db = sqlite(file);
    await db.raw("create view two_factor as select 1 as x");
    try {
      const run = capture();
      expect(await runCli(["migrate", "--url", url], {}, run.output)).toBe(1);
      expect(run.err).toEqual([
        "tenantauth-knex: Migration 0007_two_factor failed on table two_factor. Fix the cause (the error's cause " +
          "holds the database's code), then run `tenantauth-knex migrate` again: it completes what this run left " +
          "undone. [SQLITE_ERROR]",
      ]);
      // On SQLite the whole run is one transaction: nothing was applied. The view goes, and the rerun finishes.
      const status = capture();
      expect(await runCli(["migrate", "--status", "--url", url], {}, status.output)).toBe(0);
      expect(status.out[0]).toBe(`tenantauth schema (sqlite): 0 applied, ${MIGRATIONS.length} pending`);
      await db.raw("drop view two_factor");
    } finally {
      await db.destroy();
    }
    const rerun = capture();
    expect(await runCli(["migrate", "--url", url], {}, rerun.output)).toBe(0);
    expect(rerun.out[0]).toMatch(new RegExp(`^Applied ${MIGRATIONS.length} migrations \\(sqlite\\): 0001`));
  });

  it("a table of another application (the seed service's users) is not taken for tenantauth's: migrate says so", async () => {
    const file = join(dir, "app.db");
    const url = `sqlite:${file}`;
    const db = sqlite(file);
    await db.raw(
      "create table users (id integer primary key, email varchar(320), password varchar(255), profile text, status integer, settings text, created_at bigint, updated_at bigint)",
    );
    await db.destroy();
    const run = capture();
    expect(await runCli(["migrate", "--url", url], {}, run.output)).toBe(1);
    expect(run.err).toEqual([
      "tenantauth-knex: Migration 0001_initial_schema cannot create table users: a table of that name exists " +
        "without the columns email_verified_at, so it is not one of tenantauth's. Move or rename it, or give " +
        "tenantauth's tables a prefix (--table-prefix, the tablePrefix option). [TABLE_EXISTS_WITHOUT_OUR_COLUMNS]",
    ]);
    expect(await runCli(["migrate", "--url", url, "--table-prefix", "auth_"], {}, capture().output)).toBe(0);
  });

  it("prints help and exits 0", async () => {
    const run = capture();
    expect(await runCli(["--help"], {}, run.output)).toBe(0);
    expect(run.out.join("\n")).toMatch(/Usage: tenantauth-knex migrate/);
  });

  it.each([
    [["migrate"], /^tenantauth-knex: no database URL: pass --url/],
    [["migrate", "--url", "ftp://x"], /^tenantauth-knex: url: unsupported database URL scheme "ftp:"/],
    [["migrate", "--url", "sqlite::memory:", "--table-prefix", "no-dashes"], /^tenantauth-knex: tablePrefix: /],
    [
      ["migrate", "--url", "mysql://root:s3cret@127.0.0.1:1/x"],
      /^tenantauth-knex: The database cannot be reached \(migrate\) \[ECONNREFUSED\]$/,
    ],
  ])("%j fails with exit code 1 and one line on stderr", async (argv, message) => {
    const run = capture();
    expect(await runCli(argv, {}, run.output)).toBe(1);
    expect(run.out).toEqual([]);
    expect(run.err).toHaveLength(1);
    expect(run.err[0]).toMatch(message);
    expect(run.err[0]).not.toContain("\n");
    expect(run.err[0]).not.toContain("s3cret");
  });
});
