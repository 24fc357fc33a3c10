import * as z from "zod";
import { AuthError } from "../errors.js";
import type { AuthContext } from "../internal/context.js";
import { parseInput } from "../internal/validate.js";
import { USER_STATUS } from "../ports/records.js";
import { type RequestMeta, startSession, type TokenPair } from "../sessions/sessions.js";
import { requireSecondFactor } from "../two-factor/challenge.js";
import { toPublicUser, type User } from "./public-user.js";
import { emailSchema, presentedPasswordSchema } from "./schemas.js";

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

/** The one answer for a wrong password and an unknown email, so neither reveals whether an account exists. */
const invalidCredentials = (): AuthError => new AuthError("INVALID_CREDENTIALS", "Invalid email or password");

/**
 * Checks the password and starts a session. A wrong password and an unknown email give the same
 * `INVALID_CREDENTIALS` error, and an unknown email still costs one password verification, so timing matches.
 * A disabled or unverified account is only reported after its password checked out. A user with two-factor
 * sign-in gets no tokens here: `TWO_FACTOR_REQUIRED` carries a challenge for `signin.verifyTotp`.
 */
export async function signin(ctx: AuthContext, input: SigninInput, meta: RequestMeta = {}): Promise<SigninResult> {
  const { email, password } = parseInput(signinSchema, input);
  const user = await ctx.storage.findUserByEmail(email);
  if (!user) {
    await ctx.hasher.verify(await ctx.dummyHash(), password);
    throw invalidCredentials();
  }
  if (!(await ctx.hasher.verify(user.passwordHash, password))) throw invalidCredentials();
  if (user.status !== USER_STATUS.active) throw new AuthError("USER_DISABLED", "This account is disabled");
  if (ctx.options.emailVerification.required && user.emailVerifiedAt === null) {
    throw new AuthError("EMAIL_NOT_VERIFIED", "Verify your email address first: follow the link we sent you");
  }
  if (ctx.hasher.needsRehash(user.passwordHash)) {
    // The hash was made with older parameters: upgrade it now that we hold the plain password.
    await ctx.storage.updateUserPasswordHash(user.id, await ctx.hasher.hash(password), ctx.clock.now());
  }
  const twoFactor = await ctx.storage.findTwoFactor(user.id);
  if (twoFactor && twoFactor.enabledAt !== null) await requireSecondFactor(ctx, user);
  const tokens = await startSession(ctx, user, meta);
  return { ...tokens, user: toPublicUser(user) };
}
