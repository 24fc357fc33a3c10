import { AuthError } from "../errors.js";
import type { AuthContext } from "../internal/context.js";
import { SafeError } from "../internal/safe-error.js";
import type { LimitContext } from "../options.js";
import type { StorageAdapter } from "../ports/storage.js";

/** The options that cap how many of something may exist. */
export type LimitName = "organizationLimit" | "membershipLimit" | "invitationLimit";

/** True when the option is set, so callers only pay for a transaction and a count when there is a limit. */
export function hasLimit(ctx: AuthContext, name: LimitName): boolean {
  return ctx.options[name] !== undefined;
}

async function limitValue(ctx: AuthContext, name: LimitName, subject: LimitContext): Promise<number> {
  const option = ctx.options[name];
  if (option === undefined) return Number.POSITIVE_INFINITY;
  let value: unknown;
  try {
    value = typeof option === "number" ? option : await option({ ...subject });
  } catch (error) {
    throw new AuthError("INTERNAL_ERROR", `The ${name} function failed`, { cause: SafeError.of(error, name) });
  }
  if (typeof value !== "number" || !(value >= 0)) {
    throw new AuthError("INTERNAL_ERROR", `The ${name} function must return a number of 0 or more`);
  }
  return value;
}

/**
 * Call inside the write transaction, after the write: counts again with `count` (on the transaction's adapter)
 * and throws `LIMIT_REACHED` when the count is now past the limit, which rolls the write back. Counting after the
 * write makes a write that replaces a row (a re-sent invitation) cost nothing.
 */
export async function enforceLimit(
  ctx: AuthContext,
  tx: StorageAdapter,
  name: LimitName,
  subject: LimitContext,
  count: (tx: StorageAdapter) => Promise<number>,
): Promise<void> {
  const max = await limitValue(ctx, name, subject);
  if (max === Number.POSITIVE_INFINITY) return;
  if ((await count(tx)) > max) {
    throw new AuthError("LIMIT_REACHED", `The ${name} of ${max} is reached`, { details: { limit: name, max } });
  }
}
