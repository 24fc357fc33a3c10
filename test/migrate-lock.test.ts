import { AuthError } from "@tenantauth/core";
import { knexStorage, migrate, migrationStatus, unlockMigrations } from "@tenantauth/knex";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../packages/knex/src/cli-run.js";
import { withMigrationLock } from "../packages/knex/src/migration-lock.js";
import { tableNames } from "../packages/knex/src/tables.js";
import { mysqlTestDatabase } from "./support/mysql.js";
import { postgresTestDatabase, postgresUrl } from "./support/postgres.js";

/**
 * The migration lock on the database servers (SQLite's is in packages/knex/src/cli-run.test.ts): bounded waits,
 * what `--status` and `--unlock` say while it is held, and failures that name the table.
 */

const targets = [
  { name: "mysql", available: await mysqlTestDatabase.available(), database: () => mysqlTestDatabase() },
  { name: "postgres", available: postgresUrl() !== undefined, database: () => postgresTestDatabase() },
];

describe.each(targets)("the migration lock on $name", (target) => {
  let db: { url: string; cleanup(): Promise<void> };
  beforeAll(async () => {
    if (target.available) db = await target.database();
  });
  afterAll(async () => {
    await db?.cleanup();
  });

  it.skipIf(!target.available)(
    "while a migrator holds it: another waits at most lockTimeoutMs then fails saying what to do, --status shows it held, --unlock is refused; then all goes on",
    async () => {
      const prefix = "held_";
      const holder = knexStorage(db.url, { tablePrefix: prefix });
      const waiter = knexStorage(db.url, { tablePrefix: prefix });
      let release = (): void => {};
      let held = (): void => {};
      const isHeld = new Promise<void>((resolve) => {
        held = resolve;
      });
      const holding = withMigrationLock(holder.knex, tableNames(prefix), 1000, async () => {
        held();
        await new Promise<void>((resolve) => {
          release = resolve;
        });
      });
      try {
        await isHeld;
        expect((await migrationStatus(waiter.knex, { tablePrefix: prefix })).lockHeld).toBe(true);
        const started = Date.now();
        const failure = await migrate(waiter.knex, { tablePrefix: prefix, lockTimeoutMs: 1000 }).catch((e) => e);
        expect(Date.now() - started).toBeGreaterThanOrEqual(900);
        expect(failure).toBeInstanceOf(AuthError);
        expect(failure).toMatchObject({
          code: "STORAGE_UNAVAILABLE",
          message: expect.stringMatching(
            /^Another tenantauth migration held the migration lock for more than 1 s: wait for it to finish, then run the migration again/,
          ),
        });
        await expect(unlockMigrations(waiter.knex, { tablePrefix: prefix })).rejects.toMatchObject({
          code: "STORAGE_UNAVAILABLE",
        });
        const status: string[] = [];
        const code = await runCli(
          ["migrate", "--status", "--url", db.url, "--table-prefix", prefix],
          {},
          {
            out: (line) => status.push(line),
            err: (line) => status.push(line),
          },
        );
        expect(code).toBe(0);
        expect(status).toContain("Migration lock: held: a migration is running now");
      } finally {
        release();
        await holding;
      }
      expect((await migrationStatus(waiter.knex, { tablePrefix: prefix })).lockHeld).toBe(false);
      expect((await migrate(waiter.knex, { tablePrefix: prefix, lockTimeoutMs: 1000 })).applied).toHaveLength(11);
      await holder.destroy();
      await waiter.destroy();
    },
    60_000,
  );

  it.skipIf(!target.available)(
    "a table of the same name that is not ours stops the migration, which names the table and what to do; the migrations before it stay applied; the rerun finishes",
    async () => {
      const prefix = "view_";
      const storage = knexStorage(db.url, { tablePrefix: prefix });
      try {
        // Something else already owns the name of 0007's first table.
        await storage.knex.raw("create view ?? as select 1 as x", [`${prefix}two_factor`]);
        const failure = await migrate(storage.knex, { tablePrefix: prefix }).catch((e) => e);
        expect(failure).toMatchObject({
          code: "STORAGE_ERROR",
          message:
            "Migration 0007_two_factor cannot create table view_two_factor: a table of that name exists without the " +
            "columns user_id, sealed_secret, enabled_at, last_used_step, created_at, updated_at, so it is not one " +
            "of tenantauth's. Move or rename it, or give tenantauth's tables a prefix (--table-prefix, the " +
            "tablePrefix option).",
          cause: {
            operation: "migrate.0007_two_factor",
            table: "view_two_factor",
            code: "TABLE_EXISTS_WITHOUT_OUR_COLUMNS",
          },
        });
        const status = await migrationStatus(storage.knex, { tablePrefix: prefix });
        expect(status.applied.map((m) => m.name)).toHaveLength(6);
        expect(status.knexLock).toEqual({ rows: 1, locked: 0 });
        expect(status.lockHeld).toBe(false);
        await storage.knex.raw("drop view ??", [`${prefix}two_factor`]);
        expect((await migrate(storage.knex, { tablePrefix: prefix })).applied).toHaveLength(5);
      } finally {
        await storage.destroy();
      }
    },
    60_000,
  );
});
