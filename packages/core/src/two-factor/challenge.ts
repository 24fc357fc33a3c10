import * as z from "zod";
import { toPublicUser } from "../accounts/public-user.js";
import { presentedTokenSchema } from "../accounts/schemas.js";
import type { SigninResult } from "../accounts/signin.js";
import { auditedTransaction, recordEvent } from "../audit/record.js";
import { AuthError } from "../errors.js";
import type { AuthContext } from "../internal/context.js";
import { hashToken, randomToken } from "../internal/crypto.js";
import { parseInput } from "../internal/validate.js";
import { mailIntent } from "../mail/intents.js";
import { deliverSoon } from "../mail/outbox.js";
import { USER_STATUS, type UserRecord } from "../ports/records.js";
import type { SigninLockout } from "../rate-limit/throttle.js";
import { type RequestMeta, startSignedInSession } from "../sessions/sessions.js";
import { acceptCode, codeKind, presentedCodeSchema } from "./enrolment.js";

/** Bits of randomness in a sign-in challenge. */
export const CHALLENGE_BITS = 256;

const invalidChallenge = (): AuthError =>
  new AuthError("TWO_FACTOR_CHALLENGE_INVALID", "This sign-in has expired or was already completed: sign in again");

/**
 * The password of a user with two-factor sign-in checked out: stores a short-lived challenge (hashed) and throws
 * `TWO_FACTOR_REQUIRED` carrying it, so no code path can mistake this for a finished sign-in.
 */
export async function requireSecondFactor(ctx: AuthContext, user: UserRecord): Promise<never> {
  const challenge = randomToken(ctx.random, CHALLENGE_BITS);
  const now = ctx.clock.now();
  const ttl = ctx.options.twoFactor.challengeTtlSeconds;
  await ctx.storage.createTwoFactorChallenge({
    challengeHash: hashToken(challenge),
    userId: user.id,
    expiresAt: now + ttl * 1000,
    now,
  });
  throw new AuthError("TWO_FACTOR_REQUIRED", "Enter the code from your authenticator app (or a backup code)", {
    details: { challenge, expiresInSeconds: ttl },
  });
}

const verifySchema = z.strictObject({ challenge: presentedTokenSchema, code: presentedCodeSchema });

/**
 * Finishes a two-factor sign-in: the code is a TOTP code (six digits; a code already used is refused) or a backup
 * code (spent). Every try counts; after `twoFactor.maxAttempts` tries the challenge is locked, and every try also
 * counts against the user across challenges (`rateLimit.twoFactorSignin`): past that, `RATE_LIMITED`.
 * @throws AuthError `TWO_FACTOR_CHALLENGE_INVALID`, `TWO_FACTOR_CODE_INVALID`, `TWO_FACTOR_LOCKED`, `USER_DISABLED`,
 * `RATE_LIMITED`
 */
export async function verifySecondFactor(
  ctx: AuthContext,
  challenge: string,
  code: string,
  meta: RequestMeta = {},
): Promise<SigninResult> {
  const input = parseInput(verifySchema, { challenge, code });
  const challengeHash = hashToken(input.challenge);
  const max = ctx.options.twoFactor.maxAttempts;
  const attempt = await ctx.storage.spendChallengeAttempt(challengeHash, ctx.clock.now(), max);
  if (attempt.status === "locked") {
    throw new AuthError("TWO_FACTOR_LOCKED", "Too many wrong codes: sign in again");
  }
  if (attempt.status !== "ok") throw invalidChallenge();
  // The user's tries across challenges (rateLimit.twoFactorSignin) are spent before the code is checked, so a
  // fresh challenge from the right password gives no fresh tries.
  const [user, record, userTry] = await Promise.all([
    ctx.storage.findUserById(attempt.userId),
    ctx.storage.findTwoFactor(attempt.userId),
    ctx.throttle.secondFactorSigninTry(attempt.userId),
  ]);
  if (!user || !record || record.enabledAt === null) throw invalidChallenge();
  if (user.status !== USER_STATUS.active) throw new AuthError("USER_DISABLED", "This account is disabled");
  const accepted = await acceptCode(ctx, record, input.code);
  const lock = await ctx.throttle.secondFactorSigninChecked(userTry, accepted);
  if (!accepted) {
    await wrongCode(ctx, user, lock, meta);
    const attemptsLeft = max - attempt.attempts;
    throw new AuthError("TWO_FACTOR_CODE_INVALID", "That code is not right", { details: { attemptsLeft } });
  }
  if (!(await ctx.storage.completeTwoFactorChallenge(challengeHash, ctx.clock.now()))) throw invalidChallenge();
  const tokens = await startSignedInSession(ctx, user, meta, { secondFactor: codeKind(input.code) });
  return { ...tokens, user: toPublicUser(user) };
}

/**
 * Records a wrong sign-in code. When it used up the user's tries, the lockout is recorded and the notice mail
 * queued in the same transaction: the password is known to whoever is trying.
 */
async function wrongCode(ctx: AuthContext, user: UserRecord, lock: SigninLockout | null, meta: RequestMeta) {
  const who = { actorUserId: null, targetUserId: user.id, meta };
  const failure = { reason: "second_factor_invalid" } as const;
  if (!lock) return recordEvent(ctx, { type: "signin.failure", ...who, data: failure });
  await auditedTransaction(ctx, async (tx) => {
    await recordEvent(ctx, { type: "signin.failure", ...who, data: failure }, tx);
    await recordEvent(ctx, { type: "signin.lockout", ...who, data: lock }, tx);
    const now = ctx.clock.now();
    const retryAfterMinutes = Math.ceil(lock.retryAfterSeconds / 60);
    await tx.storage.enqueueMail(
      await mailIntent(ctx, "two-factor-locked", { email: user.email, retryAfterMinutes }, now),
      now,
    );
  });
  deliverSoon(ctx);
}
