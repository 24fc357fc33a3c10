import { AuthError } from "../errors.js";
import { hashToken } from "../internal/crypto.js";
import { SafeError } from "../internal/safe-error.js";

// Shared by the throttle modules: the error of a refused request, counter keys, store failures, lockouts.

/** The error of a refused request; `retryAfterSeconds` is at least 1. */
export function rateLimited(retryAfterMs: number): AuthError {
  const retryAfterSeconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new AuthError("RATE_LIMITED", `Too many attempts. Try again in ${retryAfterSeconds} seconds.`, {
    details: { retryAfterSeconds },
  });
}

/** A counter's key: the rule and a hash of the email, IP or id, never the value itself (no personal data in clear). */
export const key = (rule: string, value: string): string => `ta:${rule}:${hashToken(value)}`;

/** The store's own failures (Redis down, …) become `STORAGE_UNAVAILABLE`: throttling fails closed. */
export async function guarded<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof AuthError) throw error;
    throw new AuthError("STORAGE_UNAVAILABLE", "The rate-limit store cannot be reached", {
      cause: SafeError.of(error, "rateLimitStore"),
    });
  }
}

/** What a throttle reports when a failure locked something (for the audit trail's `signin.lockout`). */
export interface SigninLockout {
  scope: "account" | "account_ip" | "second_factor";
  retryAfterSeconds: number;
}

/** The lockout of `ms` from now (at least one second), for the audit trail. */
export const lockout = (ms: number, scope: SigninLockout["scope"] = "account"): SigninLockout => ({
  scope,
  retryAfterSeconds: Math.max(1, Math.ceil(ms / 1000)),
});
