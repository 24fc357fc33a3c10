import * as z from "zod";
import { toPublicUser } from "../accounts/public-user.js";
import { presentedTokenSchema } from "../accounts/schemas.js";
import type { SigninResult } from "../accounts/signin.js";
import { recordEvent } from "../audit/record.js";
import { AuthError } from "../errors.js";
import type { AuthContext } from "../internal/context.js";
import { hashToken, randomToken } from "../internal/crypto.js";
import { parseInput } from "../internal/validate.js";
import { USER_STATUS, type UserRecord } from "../ports/records.js";
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
 * code (spent). Every try counts; after `twoFactor.maxAttempts` tries the challenge is locked.
 * @throws AuthError `TWO_FACTOR_CHALLENGE_INVALID`, `TWO_FACTOR_CODE_INVALID`, `TWO_FACTOR_LOCKED`, `USER_DISABLED`
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
  const [user, record] = await Promise.all([
    ctx.storage.findUserById(attempt.userId),
    ctx.storage.findTwoFactor(attempt.userId),
  ]);
  if (!user || !record || record.enabledAt === null) throw invalidChallenge();
  if (user.status !== USER_STATUS.active) throw new AuthError("USER_DISABLED", "This account is disabled");
  if (!(await acceptCode(ctx, record, input.code))) {
    const failure = { reason: "second_factor_invalid" } as const;
    await recordEvent(ctx, { type: "signin.failure", actorUserId: null, targetUserId: user.id, data: failure, meta });
    const attemptsLeft = max - attempt.attempts;
    throw new AuthError("TWO_FACTOR_CODE_INVALID", "That code is not right", { details: { attemptsLeft } });
  }
  if (!(await ctx.storage.completeTwoFactorChallenge(challengeHash, ctx.clock.now()))) throw invalidChallenge();
  const tokens = await startSignedInSession(ctx, user, meta, { secondFactor: codeKind(input.code) });
  return { ...tokens, user: toPublicUser(user) };
}
