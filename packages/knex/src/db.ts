import type { Knex } from "knex";
import type { Dialect } from "./dialect.js";
import { isRetryable, isUniqueViolation, toStorageError } from "./driver-errors.js";
import type { Row } from "./rows.js";
import type { TableNames } from "./tables.js";

/** What every operation gets: where to send statements, the dialect, the table names. */
export interface Db {
  /** The application's Knex instance. */
  readonly root: Knex;
  /** Where statements go: the root instance, or the open transaction. */
  readonly q: Knex | Knex.Transaction;
  /** The open transaction, when the adapter is transaction-bound. */
  readonly trx: Knex.Transaction | null;
  readonly dialect: Dialect;
  readonly t: TableNames;
}

/** The same Db, bound to `trx`. */
export const bindDb = (db: Db, trx: Knex.Transaction): Db => ({ ...db, q: trx, trx });

/** Thrown inside an atomic write to roll it back and report a unique-key conflict as a value. */
export class ConflictSignal<C extends string> extends Error {
  constructor(readonly conflict: C) {
    super(`unique conflict: ${conflict}`);
  }
}

/**
 * Runs `fn` atomically: in a new transaction at top level, or in a savepoint inside an open transaction (so a
 * failed write, which aborts a PostgreSQL transaction, rolls back only this operation's rows).
 */
export function atomic<T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  const host = db.trx ?? db.root;
  return host.transaction((trx) => fn(bindDb(db, trx)));
}

/**
 * Runs `fn` atomically: in a new transaction at top level; inside an open transaction, as part of it, without a
 * savepoint. For writes whose failure fails the whole change (the error propagates and the open transaction rolls
 * back); where a failure is turned into a value and the transaction goes on, use {@link atomic}.
 */
export function together<T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  return db.trx ? fn(db) : db.root.transaction((trx) => fn(bindDb(db, trx)));
}

/** Inserts `row` and returns its auto-increment id (`RETURNING id` on PostgreSQL, the insert id elsewhere). */
export async function insertId(db: Db, table: string, row: Row): Promise<number> {
  if (db.dialect === "postgres") {
    const [inserted] = (await db.q(table).insert(row).returning("id")) as Array<{ id: unknown }>;
    return Number(inserted?.id);
  }
  const [id] = (await db.q(table).insert(row)) as unknown[];
  return Number(id);
}

/** {@link insertId}, turning a unique violation into a {@link ConflictSignal} for `conflict`. */
export async function insertIdOrConflict<C extends string>(
  db: Db,
  table: string,
  row: Row,
  conflict: C,
): Promise<number> {
  try {
    return await insertId(db, table, row);
  } catch (error) {
    if (isUniqueViolation(error)) throw new ConflictSignal(conflict);
    throw error;
  }
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * How often a failed transaction is run again. MySQL and PostgreSQL resolve deadlocks at once, so a few quick
 * attempts do. SQLite says "busy" while another connection writes (another process, or another pool on the same
 * file): waiting there is asynchronous back-off, since better-sqlite3's own busy wait blocks the event loop.
 */
const RETRY: Record<Dialect, { attempts: number; baseMs: number; capMs: number }> = {
  mysql: { attempts: 5, baseMs: 10, capMs: 100 },
  postgres: { attempts: 5, baseMs: 10, capMs: 100 },
  sqlite: { attempts: 15, baseMs: 5, capMs: 500 },
};

/**
 * Runs `fn` again, with a short random back-off, when it fails with a deadlock, serialization or busy error;
 * SQLite waits longer in all (about 3 s) than MySQL and PostgreSQL.
 */
export async function retrying<T>(
  dialect: Dialect,
  fn: () => Promise<T>,
  retryable: (error: unknown) => boolean = isRetryable,
): Promise<T> {
  const policy = RETRY[dialect];
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (attempt >= policy.attempts || !retryable(error)) throw error;
      await pause(Math.random() * Math.min(policy.capMs, policy.baseMs * 2 ** attempt));
    }
  }
}

/**
 * Runs one adapter operation: retried as a whole on deadlock when it is top level (inside a transaction the
 * caller's top-level transaction is retried instead), and any driver error becomes an AuthError.
 */
export async function run<T>(db: Db, operation: string, fn: () => Promise<T>): Promise<T> {
  try {
    return db.trx ? await fn() : await retrying(db.dialect, fn);
  } catch (error) {
    throw toStorageError(error, operation);
  }
}
