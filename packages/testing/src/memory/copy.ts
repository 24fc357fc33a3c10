import { AuthError } from "@tenantauth/core";

/**
 * What a JSON column would give back: `undefined` members dropped, dates as strings, and no object shared with
 * the caller. The result is deeply frozen, because rows in the store are replaced, never changed in place.
 */
export function jsonColumn<T>(value: T): T {
  return deepFreeze(JSON.parse(JSON.stringify(value)) as T);
}

/**
 * A private copy of a stored row for a caller: mutating it never reaches the store. Rows are plain data (objects,
 * arrays, strings, numbers, booleans, null, dates), copied directly; anything else goes through `structuredClone`,
 * which is several times slower on these small rows.
 */
export function detach<T>(row: T): T {
  return copyPlain(row) as T;
}

function copyPlain(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map(copyPlain);
  if (value instanceof Date) return new Date(value.getTime());
  if (Object.getPrototypeOf(value) !== Object.prototype) return structuredClone(value);
  const copy: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) copy[key] = copyPlain(child);
  return copy;
}

/** Freezes a row and everything in it. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** What a database would report as a broken constraint or a misuse, wrapped as the port requires. */
export function storageError(message: string): AuthError {
  return new AuthError("STORAGE_ERROR", `memory storage: ${message}`);
}
