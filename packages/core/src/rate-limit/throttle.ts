import { AuthError } from "../errors.js";
import { hashToken } from "../internal/crypto.js";
import { SafeError } from "../internal/safe-error.js";
import type { ResolvedAuthOptions } from "../options.js";
import type { Clock } from "../ports/clock.js";
import type { RateLimitStore, RateLimitWindow } from "../ports/rate-limit-store.js";

const HOUR_MS = 3_600_000;
/** Locks grow while the account keeps being locked within this period. */
const LOCK_MEMORY_MS = 24 * HOUR_MS;

/** Flows limited per IP and per email. */
export type LimitedFlow = "signup" | "passwordReset" | "resendVerification";

/** What {@link Throttle.beforeSignin} learned, for the outcome calls after the password check. */
export interface SigninGate {
  readonly keys: SigninKeys | null;
  /** True when the account had failures on record (so a success clears them). */
  readonly hadFailures: boolean;
}

/** What {@link Throttle.signinFailed} reports when this failure locked the account (for the audit trail). */
export interface SigninLockout {
  scope: "account";
  retryAfterSeconds: number;
}

const lockout = (ms: number): SigninLockout => ({
  scope: "account",
  retryAfterSeconds: Math.max(1, Math.ceil(ms / 1000)),
});

interface SigninKeys {
  failures: string;
  hourly: string;
  lock: string;
  locks: string;
  ip: string | null;
}

/** Throttling of the account flows, over a {@link RateLimitStore}. Built once by createAuth(). */
export interface Throttle {
  /**
   * Before a password is checked: refuses with `RATE_LIMITED` when the account (by email, known or not) is locked
   * or over its hourly cap, or the IP is over its failure limit. One `peek` round trip.
   */
  beforeSignin(email: string, ip: string | undefined): Promise<SigninGate>;
  /** After a wrong password or unknown email: counts the failure; the limit-th failure locks the account. */
  signinFailed(gate: SigninGate): Promise<SigninLockout | null>;
  /** After a good password: clears the account's failures, only if it had any (no round trip otherwise). */
  signinSucceeded(gate: SigninGate): Promise<void>;
  /** Counts one request of `flow` by email and IP; refuses with `RATE_LIMITED` over either limit. */
  consume(flow: LimitedFlow, email: string, ip: string | undefined): Promise<void>;
  /** Before a two-factor confirm or disable checks its proof: `RATE_LIMITED` once the user is out of tries. */
  beforeSecondFactor(userId: number): Promise<void>;
  /** After a wrong proof on two-factor confirm or disable: counts it against the user. */
  secondFactorFailed(userId: number): Promise<void>;
}

/** The error of a refused request; `retryAfterSeconds` is at least 1. */
export function rateLimited(retryAfterMs: number): AuthError {
  const retryAfterSeconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new AuthError("RATE_LIMITED", `Too many attempts. Try again in ${retryAfterSeconds} seconds.`, {
    details: { retryAfterSeconds },
  });
}

// Keys carry a hash of the email or IP, never the value itself: counters hold no personal data in clear.
const key = (rule: string, value: string): string => `ta:${rule}:${hashToken(value)}`;

/** The store's own failures (Redis down, …) become `STORAGE_UNAVAILABLE`: throttling fails closed. */
async function guarded<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof AuthError) throw error;
    throw new AuthError("STORAGE_UNAVAILABLE", "The rate-limit store cannot be reached", {
      cause: SafeError.of(error, "rateLimitStore"),
    });
  }
}

/** The counter of a user's wrong proofs on two-factor confirm and disable. */
const secondFactorKey = (userId: number): string => key("two-factor-failures", String(userId));

const off: Throttle = {
  beforeSignin: async () => ({ keys: null, hadFailures: false }),
  signinFailed: async () => null,
  signinSucceeded: async () => undefined,
  consume: async () => undefined,
  beforeSecondFactor: async () => undefined,
  secondFactorFailed: async () => undefined,
};

/** Builds the throttle from the resolved `rateLimit` options (a no-op when `enabled` is false). */
export function createThrottle(
  options: ResolvedAuthOptions["rateLimit"],
  store: RateLimitStore,
  clock: Clock,
): Throttle {
  if (!options.enabled) return off;
  const account = options.signin.perAccount;
  const perIp = options.signin.perIp;
  const windowMs = account.windowSeconds * 1000;

  return {
    async beforeSignin(email, ip) {
      const keys: SigninKeys = {
        failures: key("signin-failures", email),
        hourly: key("signin-failures-hour", email),
        lock: key("signin-lock", email),
        locks: key("signin-locks", email),
        ip: ip ? key("signin-ip", ip) : null,
      };
      const now = clock.now();
      const [failures, hourly, lock, byIp] = await guarded(
        store.peek(
          keys.ip ? [keys.failures, keys.hourly, keys.lock, keys.ip] : [keys.failures, keys.hourly, keys.lock],
          now,
        ),
      );
      const blocking: RateLimitWindow[] = [];
      if (lock) blocking.push(lock);
      if (failures && failures.count >= account.limit) blocking.push(failures);
      if (hourly && hourly.count >= account.maxPerHour) blocking.push(hourly);
      if (byIp && byIp.count >= perIp.limit) blocking.push(byIp);
      if (blocking.length > 0) throw rateLimited(Math.max(...blocking.map((w) => w.resetAt)) - now);
      return { keys, hadFailures: (failures?.count ?? 0) > 0 || (hourly?.count ?? 0) > 0 };
    },

    async signinFailed({ keys }) {
      if (!keys) return null;
      const now = clock.now();
      const [failures] = await guarded(
        Promise.all([
          store.hit(keys.failures, { windowMs, now }),
          store.hit(keys.hourly, { windowMs: HOUR_MS, now }),
          keys.ip ? store.hit(keys.ip, { windowMs: perIp.windowSeconds * 1000, now }) : null,
        ]),
      );
      if (failures.count !== account.limit) return null;
      // The account locks now. The first lock lasts until the failure window ends; each next one within a day
      // lasts twice as long as the one before, up to maxLockSeconds.
      const locks = await guarded(store.hit(keys.locks, { windowMs: LOCK_MEMORY_MS, now }));
      if (locks.count < 2) return lockout(failures.resetAt - now);
      const lockMs = Math.min(windowMs * 2 ** (locks.count - 1), account.maxLockSeconds * 1000);
      const lock = await guarded(store.hit(keys.lock, { windowMs: lockMs, now }));
      return lockout(Math.max(lock.resetAt, failures.resetAt) - now);
    },

    async signinSucceeded({ keys, hadFailures }) {
      if (!keys || !hadFailures) return;
      await guarded(store.reset([keys.failures, keys.hourly, keys.locks]));
    },

    async consume(flow, email, ip) {
      const limits = options[flow];
      const now = clock.now();
      const checks = [
        { limit: limits.perEmail, key: key(`${flow}-email`, email) },
        ...(ip ? [{ limit: limits.perIp, key: key(`${flow}-ip`, ip) }] : []),
      ];
      const windows = await guarded(
        Promise.all(checks.map((c) => store.hit(c.key, { windowMs: c.limit.windowSeconds * 1000, now }))),
      );
      const over = windows.filter((w, i) => w.count > (checks[i]?.limit.limit ?? Number.POSITIVE_INFINITY));
      if (over.length > 0) throw rateLimited(Math.max(...over.map((w) => w.resetAt)) - now);
    },

    async beforeSecondFactor(userId) {
      const now = clock.now();
      const [failures] = await guarded(store.peek([secondFactorKey(userId)], now));
      if (failures && failures.count >= options.twoFactorCodes.limit) throw rateLimited(failures.resetAt - now);
    },

    async secondFactorFailed(userId) {
      const windowMs = options.twoFactorCodes.windowSeconds * 1000;
      await guarded(store.hit(secondFactorKey(userId), { windowMs, now: clock.now() }));
    },
  };
}
