import type { Clock } from "../ports/clock.js";
import type { RateLimitStore } from "../ports/rate-limit-store.js";
import { guarded, key, lockout, rateLimited } from "./counters.js";
import type { Throttle } from "./throttle.js";

/** A limit: at most `limit` per window of `windowSeconds`. */
interface Rule {
  limit: number;
  windowSeconds: number;
}

/** One second-factor try of a sign-in, spent by {@link Throttle.secondFactorSigninTry}. */
export interface SecondFactorTry {
  readonly key: string;
  /** Tries in the window, this one included. */
  readonly count: number;
  readonly resetAt: number;
}

/** The invitation-mail part of the {@link Throttle} (`rateLimit.invitations`). */
export function invitationThrottle(
  limits: { perOrganization: Rule; perInviter: Rule; resendsPerInvitation: Rule },
  store: RateLimitStore,
  clock: Clock,
): Pick<Throttle, "invitationMail"> {
  return {
    async invitationMail(orgId, inviterId, invitationId) {
      const now = clock.now();
      const checks = [
        ...(invitationId === undefined
          ? []
          : [{ rule: limits.resendsPerInvitation, key: key("invitation-resends", String(invitationId)) }]),
        { rule: limits.perInviter, key: key("invitations-inviter", String(inviterId)) },
        { rule: limits.perOrganization, key: key("invitations-org", String(orgId)) },
      ];
      for (const check of checks) {
        const window = await guarded(store.hit(check.key, { windowMs: check.rule.windowSeconds * 1000, now }));
        if (window.count > check.rule.limit) throw rateLimited(window.resetAt - now);
      }
    },
  };
}

/** The second-factor sign-in part of the {@link Throttle} (`rateLimit.twoFactorSignin`). */
export function secondFactorSigninThrottle(
  rule: Rule,
  store: RateLimitStore,
  clock: Clock,
): Pick<Throttle, "secondFactorSigninTry" | "secondFactorSigninChecked"> {
  return {
    async secondFactorSigninTry(userId) {
      const now = clock.now();
      const tryKey = key("two-factor-signin", String(userId));
      const window = await guarded(store.hit(tryKey, { windowMs: rule.windowSeconds * 1000, now }));
      if (window.count > rule.limit) throw rateLimited(window.resetAt - now);
      return { key: tryKey, count: window.count, resetAt: window.resetAt };
    },

    async secondFactorSigninChecked(attempt, ok) {
      if (!attempt) return null;
      if (ok) {
        if (attempt.count === 1) await guarded(store.reset([attempt.key]));
        return null;
      }
      if (attempt.count !== rule.limit) return null;
      return lockout(attempt.resetAt - clock.now(), "second_factor");
    },
  };
}
