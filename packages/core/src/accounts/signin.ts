import * as z from "zod";
import type { AuditEventData } from "../audit/events.js";
import { recordEvent } from "../audit/record.js";
import { AuthError } from "../errors.js";
import type { AuthContext } from "../internal/context.js";
import { parseInput } from "../internal/validate.js";
import { USER_STATUS } from "../ports/records.js";
import { type RequestMeta, startSignedInSession, type TokenPair } from "../sessions/sessions.js";
import { requireSecondFactor } from "../two-factor/challenge.js";
import { toPublicUser, type User } from "./public-user.js";
import { emailSchema, presentedPasswordSchema, requestMetaSchema } from "./schemas.js";

/** Input of `auth.signin()`. */
export interface SigninInput {
  email: string;
  password: string;
}

/** Result of `auth.signin()`: a token pair and the user. */
export interface SigninResult extends TokenPair {
  user: User;
}

const signinSchema = z.strictObject({ email: emailSchema, password: presentedPasswordSchema });
/** Request metadata from the host or adapter: checked, then passed on as given (other fields may ride along). */

type SigninFailureReason = AuditEventData["signin.failure"]["reason"];

/** The one answer for a wrong password and an unknown email, so neither reveals whether an account exists. */
const invalidCredentials = (): AuthError => new AuthError("INVALID_CREDENTIALS", "Invalid email or password");

/**
 * Checks the password and starts a session. A wrong password and an unknown email give the same
 * `INVALID_CREDENTIALS` error, and an unknown email still costs one password verification, so timing matches.
 * A disabled or unverified account is only reported after its password checked out. A user with two-factor
 * sign-in gets no tokens here: `TWO_FACTOR_REQUIRED` carries a challenge for `signin.verifyTotp`.
 * Throttled (see `rateLimit.signin`): an email locked for this IP (or for every IP, past its hourly ceiling) or an
 * IP over its limit gets `RATE_LIMITED` before any password check.
 */
export async function signin(ctx: AuthContext, input: SigninInput, meta: RequestMeta = {}): Promise<SigninResult> {
  const { email, password } = parseInput(signinSchema, input);
  parseInput(requestMetaSchema, meta);
  // Counters are keyed by the email whether or not it has an account, so a lock tells nothing about existence.
  // The limit check and the user lookup are independent: both run at once (one round trip of latency, not two).
  const [gate, user] = await Promise.all([
    ctx.throttle.beforeSignin(email, meta.ip),
    ctx.storage.findUserByEmail(email),
  ]);
  const fail = async (reason: SigninFailureReason, targetUserId: number | null): Promise<never> => {
    await recordEvent(ctx, { type: "signin.failure", actorUserId: null, targetUserId, data: { reason }, meta });
    throw reason === "user_disabled"
      ? new AuthError("USER_DISABLED", "This account is disabled")
      : reason === "email_not_verified"
        ? new AuthError("EMAIL_NOT_VERIFIED", "Verify your email address first: follow the link we sent you")
        : invalidCredentials();
  };
  // A wrong password or unknown email counts against the limits; the failure that locks the account is audited.
  const failed = async (reason: SigninFailureReason, targetUserId: number | null): Promise<never> => {
    const lock = await ctx.throttle.signinFailed(gate);
    if (lock) await recordEvent(ctx, { type: "signin.lockout", actorUserId: null, targetUserId, data: lock, meta });
    return fail(reason, targetUserId);
  };
  if (!user) {
    await ctx.hasher.verify(await ctx.dummyHash(), password);
    return failed("unknown_account", null);
  }
  // Whether two-factor sign-in is on is read while the password hash is verified (off the event loop), so its
  // round trip costs no latency; it is only used once the password checked out.
  const twoFactorLookup = ctx.storage.findTwoFactor(user.id);
  twoFactorLookup.catch(() => undefined);
  if (!(await ctx.hasher.verify(user.passwordHash, password))) return failed("invalid_credentials", user.id);
  await ctx.throttle.signinSucceeded(gate);
  if (user.status !== USER_STATUS.active) return fail("user_disabled", user.id);
  if (ctx.options.emailVerification.required && user.emailVerifiedAt === null) {
    return fail("email_not_verified", user.id);
  }
  if (ctx.hasher.needsRehash(user.passwordHash)) {
    // The hash was made with older parameters: upgrade it now that we hold the plain password.
    await ctx.storage.updateUserPasswordHash(user.id, await ctx.hasher.hash(password), ctx.clock.now());
  }
  const twoFactor = await twoFactorLookup;
  if (twoFactor && twoFactor.enabledAt !== null) await requireSecondFactor(ctx, user);
  const tokens = await startSignedInSession(ctx, user, meta, {});
  return { ...tokens, user: toPublicUser(user) };
}
