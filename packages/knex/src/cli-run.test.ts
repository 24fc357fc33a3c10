import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import knexFactory from "knex";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "./cli-run.js";
import { MIGRATIONS } from "./migrations/migration-source.js";

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
