import { AuthError } from "../errors.js";

/**
 * An error reduced to what may be logged: its class name, a code, the operation and the table. No message of a
 * foreign error, no SQL, no bindings, no value: those can hold emails, password hashes and tokens.
 */
export interface SafeErrorFields {
  /** The error's class name (`AuthError`, `TypeError`, `SafeError` …). */
  name: string;
  /** The AuthError code, or the driver's code (`ER_DUP_ENTRY`, `23505`, `SQLITE_BUSY`, `ECONNREFUSED` …). */
  code?: string;
  /** The HTTP status of an AuthError. */
  status?: number;
  /** An AuthError's message (client-safe by contract); foreign errors' messages are never kept. */
  message?: string;
  /** The storage operation (`createUserWithOrganization` …) or the hook that failed. */
  operation?: string;
  /** The table a failed statement named. */
  table?: string;
  /** Where it was thrown: stack frames only (`at fn (file:line:col)`), never the message lines above them. */
  frames?: string[];
  /** The same fields of the error's `cause`. */
  cause?: SafeErrorFields;
}

const NAME = /^[A-Za-z_$][\w$]{0,63}$/;
const CODE = /^[A-Za-z0-9_.:-]{1,64}$/;
const IDENTIFIER = /^[A-Za-z_][\w$.]{0,127}$/;
const FRAME = /^\s+at \S/;

const ifMatches = (value: unknown, pattern: RegExp): string | undefined =>
  typeof value === "string" && pattern.test(value) ? value : undefined;

/**
 * What a {@link SafeError} keeps of a foreign error: its driver or system code (`code`, else `errno`, else
 * `sqlState`), or its class name when it has no code and is not a plain Error.
 */
export function safeCodeOf(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const e = error as { code?: unknown; errno?: unknown; sqlState?: unknown; name?: unknown };
  const code =
    ifMatches(e.code, CODE) ??
    (typeof e.errno === "number" && Number.isInteger(e.errno) ? String(e.errno) : undefined) ??
    ifMatches(e.sqlState, CODE);
  if (code) return code;
  const name = ifMatches(e.name, NAME);
  return name && name !== "Error" ? name : undefined;
}

/**
 * The `cause` tenantauth keeps in place of a foreign error (a database driver's, the rate-limit store's, a host
 * hook's): only the operation, a code and a table, so printing an AuthError with its cause chain (as `console.error`
 * or a logger does) can never print SQL, bindings or values.
 *
 * @example throw new AuthError("STORAGE_ERROR", "…", { cause: new SafeError({ operation, code: "ER_DUP_ENTRY" }) });
 */
export class SafeError extends Error {
  override readonly name = "SafeError";
  /** The driver's or system's code, when the original error had one. */
  readonly code: string | undefined;
  readonly operation: string | undefined;
  readonly table: string | undefined;

  constructor(fields: { operation?: string | undefined; code?: string | undefined; table?: string | undefined }) {
    const operation = ifMatches(fields.operation, IDENTIFIER);
    const code = ifMatches(fields.code, CODE);
    const table = ifMatches(fields.table, IDENTIFIER);
    super(`${operation ?? "operation"} failed${code ? ` (${code})` : ""}${table ? ` on ${table}` : ""}`);
    this.code = code;
    this.operation = operation;
    this.table = table;
    // No stack: where the summary was made says nothing, and it would repeat the message.
    this.stack = `${this.name}: ${this.message}`;
  }

  /** The summary of any thrown value for `operation`: its code (see {@link safeCodeOf}) and nothing else. */
  static of(error: unknown, operation: string, table?: string): SafeError {
    return error instanceof SafeError ? error : new SafeError({ operation, code: safeCodeOf(error), table });
  }
}

const framesOf = (error: Error): string[] | undefined => {
  const frames = (typeof error.stack === "string" ? error.stack.split("\n") : []).filter((l) => FRAME.test(l));
  return frames.length > 0 ? frames.slice(0, 8).map((l) => l.trim()) : undefined;
};

/**
 * Reduces a thrown value to {@link SafeErrorFields}, the only form in which tenantauth logs an error: name, code,
 * status, operation, table and stack frames, down its `cause` chain. A foreign error's message is dropped (a driver
 * error's message holds the failed statement with its values), and so is every other field.
 *
 * @example onError: (error, request) => logger.error({ err: safeErrorFields(error), method: request.method }, "failed")
 */
export function safeErrorFields(error: unknown, depth = 0): SafeErrorFields {
  if (!(error instanceof Error)) return { name: typeof error };
  const out: SafeErrorFields = { name: ifMatches(error.name, NAME) ?? "Error" };
  if (error instanceof AuthError) {
    out.code = error.code;
    out.status = error.status;
    out.message = error.message;
  } else if (error instanceof SafeError) {
    if (error.code) out.code = error.code;
    if (error.operation) out.operation = error.operation;
    if (error.table) out.table = error.table;
  } else {
    const code = safeCodeOf(error);
    if (code) out.code = code;
  }
  if (!(error instanceof SafeError)) {
    const frames = framesOf(error);
    if (frames) out.frames = frames;
  }
  if (error.cause !== undefined && depth < 4) out.cause = safeErrorFields(error.cause, depth + 1);
  return out;
}

/** The one way tenantauth's packages log an error: `console.error(label, safeErrorFields(error))`. */
export function logError(label: string, error: unknown): void {
  console.error(`[tenantauth] ${label}`, safeErrorFields(error));
}

/** {@link logError} as a warning. */
export function logWarning(label: string, error: unknown): void {
  console.warn(`[tenantauth] ${label}`, safeErrorFields(error));
}

/** True for `AuthError("STORAGE_UNAVAILABLE")`: the failures the outage log reports instead of each caller. */
export const isStorageUnavailable = (error: unknown): boolean =>
  error instanceof AuthError && error.code === "STORAGE_UNAVAILABLE";

/**
 * {@link logError} for background work (mail rounds, deferred requests), except for `STORAGE_UNAVAILABLE`: the
 * outage log reports a database or store outage once, not per failed task.
 */
export function logFailure(label: string, error: unknown): void {
  if (isStorageUnavailable(error)) return;
  logError(label, error);
}
