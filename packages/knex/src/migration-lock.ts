import { createHash } from "node:crypto";
import { AuthError, SafeError } from "@tenantauth/core";
import type { Knex } from "knex";
import { dialectOf } from "./dialect.js";
import { withoutStatementTimeout } from "./statement-timeout.js";
import type { TableNames } from "./tables.js";

/** Work done while holding the migration lock: `run` runs `fn` in a transaction on the lock's own connection. */
export interface LockedSession {
  run<T>(fn: (trx: Knex.Transaction) => Promise<T>): Promise<T>;
}

/** How often a waiting migrator asks again for the lock (PostgreSQL and SQLite; MySQL waits in GET_LOCK). */
const POLL_MS = 100;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const rowsOf = (result: unknown): Array<Record<string, unknown>> => {
  if (Array.isArray(result)) return Array.isArray(result[0]) ? result[0] : result; // mysql2: [rows, fields]
  const rows = (result as { rows?: unknown } | null)?.rows; // pg
  return Array.isArray(rows) ? rows : [];
};

const first = async (query: Promise<unknown>): Promise<unknown> => Object.values(rowsOf(await query)[0] ?? {})[0];

const isBusy = (error: unknown): boolean =>
  typeof (error as { code?: unknown } | null)?.code === "string" &&
  /^SQLITE_BUSY/.test((error as { code: string }).code);

/**
 * Runs `fn` while holding tenantauth's migration lock for this database and table prefix, so that of several
 * migrators started at once exactly one works and the others wait, then find the schema up to date.
 *
 * - MySQL / MariaDB: `GET_LOCK(name, timeout)` on one connection held for the whole run (the name hashes the
 *   database and the table prefix: MySQL's named locks are server-wide), released by `RELEASE_LOCK`.
 * - PostgreSQL: `pg_try_advisory_lock(key)` every 100 ms until it is granted (the key hashes the schema and the
 *   prefix; advisory locks are per database), released by `pg_advisory_unlock`.
 * - SQLite: one write transaction for the whole run (its first statement is a write, as BEGIN IMMEDIATE), retried
 *   every 100 ms while another connection writes. SQLite's DDL is transactional, so the run is all or nothing.
 *
 * A process that dies holding the lock loses its connection, and the database frees the lock with it: nothing
 * can stay locked. The caller's pool is used for the one connection (so it needs no second one).
 *
 * @throws {AuthError} `STORAGE_UNAVAILABLE` when the lock is not granted within `timeoutMs`, saying what to do.
 */
export function withMigrationLock<T>(
  knex: Knex,
  tables: TableNames,
  timeoutMs: number,
  fn: (session: LockedSession) => Promise<T>,
): Promise<T> {
  // The wait for the lock, DDL and backfills may rightly outlast the adapter's statement timeout.
  return withoutStatementTimeout(() => locked(knex, tables, timeoutMs, fn));
}

async function locked<T>(
  knex: Knex,
  tables: TableNames,
  timeoutMs: number,
  fn: (session: LockedSession) => Promise<T>,
): Promise<T> {
  const dialect = dialectOf(knex);
  const deadline = Date.now() + timeoutMs;
  if (dialect === "sqlite") return sqliteLocked(knex, tables, deadline, timeoutMs, fn);
  const connection: unknown = await knex.client.acquireConnection();
  const run: LockedSession["run"] = (work) => knex.transaction(work, { connection });
  try {
    if (dialect === "mysql") {
      const name = await run(async (trx) => mysqlLockName(String(await first(trx.raw("select database()"))), tables));
      const got = await run((trx) => first(trx.raw("select get_lock(?, ?)", [name, Math.ceil(timeoutMs / 1000)])));
      if (Number(got) !== 1) throw lockTimeout(timeoutMs);
      try {
        return await fn({ run });
      } finally {
        await run((trx) => trx.raw("select release_lock(?)", [name])).catch(() => undefined);
      }
    }
    const key = await run(async (trx) =>
      postgresLockKey(String(await first(trx.raw("select current_schema()"))), tables),
    );
    for (;;) {
      if (await run((trx) => first(trx.raw("select pg_try_advisory_lock(?::bigint)", [key])))) break;
      if (Date.now() >= deadline) throw lockTimeout(timeoutMs);
      await sleep(Math.min(POLL_MS, Math.max(1, deadline - Date.now())));
    }
    try {
      return await fn({ run });
    } finally {
      await run((trx) => trx.raw("select pg_advisory_unlock(?::bigint)", [key])).catch(() => undefined);
    }
  } finally {
    await knex.client.releaseConnection(connection);
  }
}

/**
 * Is a migrator holding the lock right now? MySQL: `IS_USED_LOCK`; PostgreSQL: the lock is tried and at once
 * released. Undefined on SQLite (a write transaction cannot be told from the application's own writes).
 */
export async function migrationLockHeld(knex: Knex, tables: TableNames): Promise<boolean | undefined> {
  const dialect = dialectOf(knex);
  if (dialect === "sqlite") return undefined;
  if (dialect === "mysql") {
    const name = mysqlLockName(String(await first(knex.raw("select database()"))), tables);
    return (await first(knex.raw("select is_used_lock(?)", [name]))) != null;
  }
  const key = postgresLockKey(String(await first(knex.raw("select current_schema()"))), tables);
  const connection: unknown = await knex.client.acquireConnection();
  try {
    return await knex.transaction(
      async (trx) => {
        const got = await first(trx.raw("select pg_try_advisory_lock(?::bigint)", [key]));
        if (got) await trx.raw("select pg_advisory_unlock(?::bigint)", [key]);
        return !got;
      },
      { connection },
    );
  } finally {
    await knex.client.releaseConnection(connection);
  }
}

async function sqliteLocked<T>(
  knex: Knex,
  tables: TableNames,
  deadline: number,
  timeoutMs: number,
  fn: (session: LockedSession) => Promise<T>,
): Promise<T> {
  const lockTable = `${tables.migrations}_lock`;
  for (;;) {
    let locked = false;
    try {
      // Knex's own lock table, created as Knex creates it; the UPDATE (of no row or one) takes SQLite's write lock.
      await knex.raw(
        "create table if not exists ?? (`index` integer not null primary key autoincrement, `is_locked` integer)",
        [lockTable],
      );
      return await knex.transaction(async (trx) => {
        await trx(lockTable).update({ is_locked: trx.ref("is_locked") });
        locked = true;
        return fn({ run: (work) => work(trx) });
      });
    } catch (error) {
      if (locked || !isBusy(error)) throw error;
    }
    if (Date.now() >= deadline) throw lockTimeout(timeoutMs, true);
    await sleep(Math.min(POLL_MS, Math.max(1, deadline - Date.now())));
  }
}

/** MySQL lock names are server-wide and at most 64 characters: a hash of the database and the table prefix. */
function mysqlLockName(database: string, tables: TableNames): string {
  return `tenantauth_migrate_${createHash("sha256").update(`${database}\u0000${tables.migrations}`).digest("hex").slice(0, 40)}`;
}

/** A signed 64-bit key for this schema and table prefix (PostgreSQL scopes advisory locks to the database). */
function postgresLockKey(schema: string, tables: TableNames): string {
  const digest = createHash("sha256").update(`tenantauth_migrate\u0000${schema}\u0000${tables.migrations}`).digest();
  return digest.readBigInt64BE(0).toString();
}

function lockTimeout(timeoutMs: number, sqlite = false): AuthError {
  const holder = sqlite ? "Another migration (or another writer of the SQLite file)" : "Another tenantauth migration";
  return new AuthError(
    "STORAGE_UNAVAILABLE",
    `${holder} held the migration lock for more than ${timeoutMs / 1000} s: wait for it to finish, then run the ` +
      "migration again (or raise the lock timeout, --lock-timeout). `tenantauth-knex migrate --status` shows the " +
      "lock; a migrator that crashed released it with its connection.",
    { cause: new SafeError({ operation: "migrate", code: "MIGRATION_LOCK_TIMEOUT" }) },
  );
}
