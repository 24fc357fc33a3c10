import { AuthError, SafeError, safeCodeOf } from "@tenantauth/core";

interface DriverErrorFields {
  code?: unknown;
  errno?: unknown;
  fatal?: unknown;
  name?: unknown;
  message?: unknown;
  cause?: unknown;
}

/** The error and its `cause` chain (AuthError wrappers included), at most a few levels deep. */
function* chain(error: unknown): Generator<DriverErrorFields> {
  let current = error;
  for (let depth = 0; depth < 5 && typeof current === "object" && current !== null; depth++) {
    yield current as DriverErrorFields;
    current = (current as DriverErrorFields).cause;
  }
}

const some = (error: unknown, test: (e: DriverErrorFields) => boolean): boolean => {
  for (const e of chain(error)) if (test(e)) return true;
  return false;
};

/** A unique-key (or primary-key) violation: MySQL 1062, SQLite SQLITE_CONSTRAINT_UNIQUE/PRIMARYKEY, PostgreSQL 23505. */
export function isUniqueViolation(error: unknown): boolean {
  return some(
    error,
    (e) =>
      e.errno === 1062 ||
      e.code === "ER_DUP_ENTRY" ||
      e.code === "SQLITE_CONSTRAINT_UNIQUE" ||
      e.code === "SQLITE_CONSTRAINT_PRIMARYKEY" ||
      e.code === "23505",
  );
}

/**
 * A failure after which the whole transaction can simply be run again: MySQL deadlock (1213), PostgreSQL
 * serialization failure (40001) or deadlock (40P01), SQLite busy/locked.
 */
export function isRetryable(error: unknown): boolean {
  return some(
    error,
    (e) =>
      e.errno === 1213 ||
      e.code === "ER_LOCK_DEADLOCK" ||
      e.code === "40001" ||
      e.code === "40P01" ||
      (typeof e.code === "string" && /^SQLITE_(BUSY|LOCKED)/.test(e.code)),
  );
}

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
  "EPIPE",
  // mysql2
  "PROTOCOL_CONNECTION_LOST",
  "PROTOCOL_SEQUENCE_TIMEOUT",
  "ER_ACCESS_DENIED_ERROR",
  "ER_DBACCESS_DENIED_ERROR",
  "ER_BAD_DB_ERROR",
  "ER_CON_COUNT_ERROR",
  "ER_SERVER_SHUTDOWN",
  // PostgreSQL: too many connections, shutting down, cannot connect now, unknown database, bad password
  "53300",
  "57P01",
  "57P02",
  "57P03",
  "3D000",
  "28000",
  "28P01",
  // SQLite
  "SQLITE_CANTOPEN",
  "SQLITE_NOTADB",
]);

const CONNECTION_MESSAGES =
  /Unable to acquire a connection|Timeout acquiring a connection|Connection terminated|database connection is not open|Cannot open database|connection is in closed state/i;

/** The database cannot be reached (refused, lost, pool closed or exhausted, bad credentials, no such database). */
export function isConnectionError(error: unknown): boolean {
  return some(error, (e) => {
    if (typeof e.code === "string" && (NETWORK_CODES.has(e.code) || e.code.startsWith("08"))) return true;
    if (e.fatal === true || e.name === "KnexTimeoutError") return true;
    return typeof e.message === "string" && CONNECTION_MESSAGES.test(e.message);
  });
}

const STATEMENT_TABLE =
  /^\s*(?:insert\s+(?:ignore\s+)?into|update|delete\s+from|select\b[\s\S]*?\bfrom|(?:create|alter|drop)\s+table(?:\s+if\s+(?:not\s+)?exists)?)\s+[`"[]?([A-Za-z_][\w$]*)/i;

/**
 * The table a failed statement named: PostgreSQL's `table` field, else the first table of the statement (mysql2's
 * `sql`, or the statement Knex puts at the head of the message). Only the identifier is kept.
 */
function tableOf(error: unknown): string | undefined {
  for (const e of chain(error)) {
    const fields = e as DriverErrorFields & { table?: unknown; sql?: unknown };
    if (typeof fields.table === "string" && fields.table) return fields.table;
    for (const text of [fields.sql, fields.message]) {
      const table = typeof text === "string" ? STATEMENT_TABLE.exec(text)?.[1] : undefined;
      if (table) return table;
    }
  }
  return undefined;
}

/** The first code found down the cause chain (see `safeCodeOf` in core). */
export function safeDriverCode(error: unknown): string | undefined {
  for (const e of chain(error)) {
    const code = safeCodeOf(e);
    if (code) return code;
  }
  return undefined;
}

/**
 * The error to throw for a failure of `operation`: an {@link AuthError} passes through; anything else becomes
 * `STORAGE_UNAVAILABLE` or `STORAGE_ERROR`. The driver error itself never leaves the adapter (its message holds
 * the failed statement with every value bound into it: emails, password hashes, token hashes): the `cause` is a
 * {@link SafeError} with the operation, the driver's code and the table only, which a log may print whole.
 */
export function toStorageError(error: unknown, operation: string): AuthError {
  if (error instanceof AuthError) return error;
  const cause = new SafeError({ operation, code: safeDriverCode(error), table: tableOf(error) });
  if (isRetryable(error)) {
    // Still deadlocked or busy after every retry: the client may try again.
    return new AuthError("STORAGE_UNAVAILABLE", `The database is busy; try again (${operation})`, { cause });
  }
  if (isConnectionError(error)) {
    return new AuthError("STORAGE_UNAVAILABLE", `The database cannot be reached (${operation})`, { cause });
  }
  return new AuthError("STORAGE_ERROR", `A storage operation failed (${operation})`, { cause });
}

/** The driver's error code (e.g. `ECONNREFUSED`, `ER_DUP_ENTRY`, `23505`) found in the cause chain, if any. */
export function driverErrorCode(error: unknown): string | undefined {
  for (const e of chain(error)) {
    if (typeof e.code === "string" && !(e instanceof AuthError)) return e.code;
  }
  return undefined;
}
