import type { ResolvedAuthOptions } from "../options.js";
import type { Clock } from "../ports/clock.js";
import type { RateLimitStore, RateLimitWindow } from "../ports/rate-limit-store.js";
import { guarded, key, lockout, rateLimited, type SigninLockout } from "./counters.js";
import { invitationThrottle, type SecondFactorTry, secondFactorSigninThrottle } from "./user-throttles.js";

export type { SigninLockout } from "./counters.js";
export { rateLimited } from "./counters.js";
export type { SecondFactorTry } from "./user-throttles.js";

const HOUR_MS = 3_600_000;
/** Locks grow while the account keeps being locked within this period. */
const LOCK_MEMORY_MS = 24 * HOUR_MS;

/** Flows limited per IP and per email, refused with `RATE_LIMITED` over a limit. */
export type LimitedFlow = "signup";

/** Anonymous requests that mail an address: over a limit they are answered as usual and send nothing. */
export type MailRequestFlow = "passwordReset" | "resendVerification";

/** What {@link Throttle.beforeSignin} learned, for the outcome calls after the password check. */
export interface SigninGate {
  readonly keys: SigninKeys | null;
  /** True when the account had failures on record (so a success clears them). */
  readonly hadFailures: boolean;
}

interface SigninKeys {
  /** Failures of the account from this source (its IP, or every caller without one). */
  failures: string;
  /** Failures of the account from every source, per hour: the ceiling. */
  hourly: string;
  lock: string;
  locks: string;
  ip: string | null;
  /** The lockout scope a lock of this source is recorded with. */
  scope: "account" | "account_ip";
}

/** Throttling of the account flows, over a {@link RateLimitStore}. Built once by createAuth(). */
export interface Throttle {
  /**
   * Before a password is checked: refuses with `RATE_LIMITED` when the account (by email, known or not) is locked
   * for this IP, the account is over its hourly ceiling (every IP together), or the IP is over its failure limit.
   * One `peek` round trip.
   */
  beforeSignin(email: string, ip: string | undefined): Promise<SigninGate>;
  /**
   * After a wrong password or unknown email: counts the failure (account and IP, account per hour, IP); the
   * limit-th failure locks the account for this IP, and the ceiling-th locks it for everyone (both are returned).
   */
  signinFailed(gate: SigninGate): Promise<SigninLockout | null>;
  /**
   * After a good password: clears the account's failures from this IP and its hourly ceiling, only if it had any
   * (no round trip otherwise). Other IPs' counts stay, and so does the second-factor count.
   */
  signinSucceeded(gate: SigninGate): Promise<void>;
  /** Counts one request of `flow` by email and IP; refuses with `RATE_LIMITED` over either limit. */
  consume(flow: LimitedFlow, email: string, ip: string | undefined): Promise<void>;
  /**
   * Counts one anonymous request that would mail `email`; false when it is over a limit (send nothing then, and
   * answer as usual). The per-IP and per-address-and-IP limits are counted first; only a request within both
   * counts toward the per-address ceiling, so one source cannot use up the ceiling on its own.
   */
  allowMailRequest(flow: MailRequestFlow, email: string, ip: string | undefined): Promise<boolean>;
  /** Before a two-factor confirm or disable checks its proof: `RATE_LIMITED` once the user is out of tries. */
  beforeSecondFactor(userId: number): Promise<void>;
  /** After a wrong proof on two-factor confirm or disable: counts it against the user. */
  secondFactorFailed(userId: number): Promise<void>;
  /**
   * Before a sign-in's second-factor code is checked: spends one of the user's tries (`rateLimit.twoFactorSignin`,
   * across all challenges) and refuses with `RATE_LIMITED` once they are spent. Counting before the check means a
   * burst of parallel tries cannot outrun the limit. Null when throttling is off.
   */
  secondFactorSigninTry(userId: number): Promise<SecondFactorTry | null>;
  /**
   * After the code was checked. A wrong code that spent the last try locks two-factor sign-in: returns the
   * lockout. A right code that was the window's only try gives it back; any other right code stays counted, so
   * the owner's sign-in does not wipe an attacker's failures.
   */
  secondFactorSigninChecked(attempt: SecondFactorTry | null, ok: boolean): Promise<SigninLockout | null>;
  /**
   * Before an invitation mail is queued: counts it per organization and per inviter (`rateLimit.invitations`), and
   * per invitation when it is a resend (`invitationId`); `RATE_LIMITED` over a limit. Counted in that order, from
   * the narrowest: a refused mail is not counted against the wider limits, so one member cannot use up the
   * organization's.
   */
  invitationMail(orgId: number, inviterId: number, invitationId?: number): Promise<void>;
}

/** The counter of a user's wrong proofs on two-factor confirm and disable. */
const secondFactorKey = (userId: number): string => key("two-factor-failures", String(userId));

const off: Throttle = {
  // Stryker disable next-line ObjectLiteral,BooleanLiteral: this gate only reaches off's own signinFailed and signinSucceeded, which ignore it
  beforeSignin: async () => ({ keys: null, hadFailures: false }),
  signinFailed: async () => null,
  signinSucceeded: async () => undefined,
  consume: async () => undefined,
  allowMailRequest: async () => true,
  beforeSecondFactor: async () => undefined,
  secondFactorFailed: async () => undefined,
  secondFactorSigninTry: async () => null,
  secondFactorSigninChecked: async () => null,
  invitationMail: async () => undefined,
};

/** Builds the throttle from the resolved `rateLimit` options (a no-op when `enabled` is false). */
export function createThrottle(
  options: ResolvedAuthOptions["rateLimit"],
  store: RateLimitStore,
  clock: Clock,
): Throttle {
  if (!options.enabled) return off;
  const pair = options.signin.perAccountAndIp;
  const maxPerHour = options.signin.perAccount.maxPerHour;
  const perIp = options.signin.perIp;
  const windowMs = pair.windowSeconds * 1000;

  return {
    async beforeSignin(email, ip) {
      // Failures and locks are counted per account and source together, so one source's failures lock only that
      // source out; the hourly count per account is the ceiling over every source.
      const source = ip ? `${email}\n${ip}` : email;
      const keys: SigninKeys = {
        failures: key("signin-failures", source),
        hourly: key("signin-failures-hour", email),
        lock: key("signin-lock", source),
        locks: key("signin-locks", source),
        ip: ip ? key("signin-ip", ip) : null,
        scope: ip ? "account_ip" : "account",
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
      if (failures && failures.count >= pair.limit) blocking.push(failures);
      if (hourly && hourly.count >= maxPerHour) blocking.push(hourly);
      if (byIp && byIp.count >= perIp.limit) blocking.push(byIp);
      if (blocking.length > 0) throw rateLimited(Math.max(...blocking.map((w) => w.resetAt)) - now);
      return { keys, hadFailures: (failures?.count ?? 0) > 0 || (hourly?.count ?? 0) > 0 };
    },

    async signinFailed({ keys }) {
      if (!keys) return null;
      const now = clock.now();
      const [failures, hourly] = await guarded(
        Promise.all([
          store.hit(keys.failures, { windowMs, now }),
          store.hit(keys.hourly, { windowMs: HOUR_MS, now }),
          keys.ip ? store.hit(keys.ip, { windowMs: perIp.windowSeconds * 1000, now }) : null,
        ]),
      );
      if (failures.count !== pair.limit) {
        return hourly.count === maxPerHour ? lockout(hourly.resetAt - now, "account") : null;
      }
      // The account locks for this source now. The first lock lasts until the failure window ends; each next one
      // within a day lasts twice as long as the one before, up to maxLockSeconds.
      const locks = await guarded(store.hit(keys.locks, { windowMs: LOCK_MEMORY_MS, now }));
      if (locks.count < 2) return lockout(failures.resetAt - now, keys.scope);
      const lockMs = Math.min(windowMs * 2 ** (locks.count - 1), pair.maxLockSeconds * 1000);
      const lock = await guarded(store.hit(keys.lock, { windowMs: lockMs, now }));
      return lockout(Math.max(lock.resetAt, failures.resetAt) - now, keys.scope);
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
        Promise.all(
          checks.map(async (c) => ({
            limit: c.limit.limit,
            window: await store.hit(c.key, { windowMs: c.limit.windowSeconds * 1000, now }),
          })),
        ),
      );
      const over = windows.filter((w) => w.window.count > w.limit);
      if (over.length > 0) throw rateLimited(Math.max(...over.map((w) => w.window.resetAt)) - now);
    },

    async allowMailRequest(flow, email, ip) {
      const limits = options[flow];
      const now = clock.now();
      const counted = async (checks: Array<{ rule: { limit: number; windowSeconds: number }; key: string }>) => {
        const within = await guarded(
          Promise.all(
            checks.map(
              async (c) =>
                (await store.hit(c.key, { windowMs: c.rule.windowSeconds * 1000, now })).count <= c.rule.limit,
            ),
          ),
        );
        return within.every((ok) => ok);
      };
      const bySource = ip
        ? [
            { rule: limits.perIp, key: key(`${flow}-ip`, ip) },
            { rule: limits.perEmailAndIp, key: key(`${flow}-email-ip`, `${email}\n${ip}`) },
          ]
        : [];
      if (!(await counted(bySource))) return false;
      return counted([{ rule: limits.perEmail, key: key(`${flow}-email`, email) }]);
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

    ...invitationThrottle(options.invitations, store, clock),
    ...secondFactorSigninThrottle(options.twoFactorSignin, store, clock),
  };
}
