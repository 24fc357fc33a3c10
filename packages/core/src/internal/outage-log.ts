import { AuthError } from "../errors.js";
import type { Clock } from "../ports/clock.js";
import { isStorageUnavailable, safeErrorFields } from "./safe-error.js";

/** A dependency whose outages are logged: the storage adapter's database, or the rate-limit store. */
export type Dependency = "database" | "rate-limit store";

/** One line of the outage log (what {@link createOutageLog} writes; the default writer is console.error). */
export type OutageLine =
  | { event: "down"; dependency: Dependency; error: ReturnType<typeof safeErrorFields> }
  | { event: "still down"; dependency: Dependency; failures: number; forSeconds: number }
  | { event: "up"; dependency: Dependency; failures: number; forSeconds: number };

/**
 * Logs the outages of the dependencies instead of each failed call: one line when a dependency stops answering
 * (with the safe fields of the first error), one line with the count of failures every `summaryEveryMs` while it
 * lasts, and one line when a call succeeds again. A ten-second database outage under load is three lines, not a
 * stack trace per request.
 */
export interface OutageLog {
  /** A call on `dependency` failed because it could not be reached. */
  failed(dependency: Dependency, error: unknown): void;
  /** A call on `dependency` succeeded (ends its outage, if one is open). Cheap when none is. */
  succeeded(dependency: Dependency): void;
  /** True while an outage of `dependency` is open. */
  isDown(dependency: Dependency): boolean;
}

/** Settings of {@link createOutageLog}. */
export interface OutageLogSettings {
  clock: Clock;
  /** Where the lines go. @default console.error with a `[tenantauth]` label */
  write?: (line: OutageLine) => void;
  /** Interval of the "still down" lines. @default 30_000 */
  summaryEveryMs?: number;
}

const defaultWrite = (line: OutageLine): void => {
  const { event, dependency, ...rest } = line;
  console.error(`[tenantauth] ${dependency} ${event === "up" ? "is back" : `is ${event}`}`, rest);
};

/** Builds an {@link OutageLog}. */
export function createOutageLog(settings: OutageLogSettings): OutageLog {
  const { clock } = settings;
  const write = settings.write ?? defaultWrite;
  const every = settings.summaryEveryMs ?? 30_000;
  const open = new Map<Dependency, { since: number; failures: number; reportedAt: number }>();
  const seconds = (ms: number): number => Math.round(ms / 100) / 10;
  return {
    failed(dependency, error) {
      const now = clock.now();
      const outage = open.get(dependency);
      if (!outage) {
        open.set(dependency, { since: now, failures: 1, reportedAt: now });
        write({ event: "down", dependency, error: safeErrorFields(error) });
        return;
      }
      outage.failures += 1;
      if (now - outage.reportedAt >= every) {
        outage.reportedAt = now;
        write({ event: "still down", dependency, failures: outage.failures, forSeconds: seconds(now - outage.since) });
      }
    },
    succeeded(dependency) {
      if (open.size === 0) return;
      const outage = open.get(dependency);
      if (!outage) return;
      open.delete(dependency);
      const now = clock.now();
      write({ event: "up", dependency, failures: outage.failures, forSeconds: seconds(now - outage.since) });
    },
    isDown: (dependency) => open.has(dependency),
  };
}

/** True for the failures an outage is made of: `STORAGE_UNAVAILABLE`, or a store's own (non-AuthError) error. */
export const isUnavailable = (error: unknown): boolean => !(error instanceof AuthError) || isStorageUnavailable(error);

/**
 * The storage adapter as seen by the flows: the same methods, each reporting its outcome to `outages` (a
 * `STORAGE_UNAVAILABLE` failure opens or extends the database's outage; any answer ends it). Built once, not per
 * call; the adapter's own object is untouched.
 */
export function observeStorage<S extends object>(storage: S, outages: OutageLog): S {
  const observed: Record<string | symbol, unknown> = {};
  const seen = new Set<string | symbol>();
  for (let proto: object | null = storage; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const name of Reflect.ownKeys(proto)) {
      if (name === "constructor" || seen.has(name)) continue;
      seen.add(name);
      const value = (storage as Record<string | symbol, unknown>)[name];
      if (typeof value !== "function") {
        Object.defineProperty(observed, name, {
          enumerable: true,
          get: () => (storage as Record<string | symbol, unknown>)[name],
        });
        continue;
      }
      const method = value as (...args: unknown[]) => unknown;
      observed[name] = (...args: unknown[]): unknown => {
        const result = method.apply(storage, args);
        if (!(result instanceof Promise)) return result;
        return result.then(
          (answer) => {
            outages.succeeded("database");
            return answer;
          },
          (error: unknown) => {
            if (isStorageUnavailable(error)) outages.failed("database", error);
            throw error;
          },
        );
      };
    }
  }
  return observed as S;
}
