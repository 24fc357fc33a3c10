import * as z from "zod";
import { auditedTransaction, metaOf, recordEvent } from "../audit/record.js";
import { AuthError } from "../errors.js";
import type { AuthContext } from "../internal/context.js";
import { hashToken } from "../internal/crypto.js";
import { logFailure } from "../internal/safe-error.js";
import { parseInput } from "../internal/validate.js";
import { mailIntent } from "../mail/intents.js";
import { deliverSoon } from "../mail/outbox.js";
import { TOKEN_PURPOSE, USER_STATUS } from "../ports/records.js";
import type { Principal } from "../sessions/access-token.js";
import { assertNotImpersonating, assertPrincipal } from "../sessions/principal.js";
import { revokeUserSessionsEverywhere } from "../sessions/revocations.js";
import type { RequestMeta } from "../sessions/sessions.js";
import { assertPasswordAllowed } from "./password-policy.js";
import { emailSchema, presentedPasswordSchema, presentedTokenSchema, requestMetaSchema } from "./schemas.js";
import { issueToken, tokenError } from "./verification-tokens.js";

/**
 * Sends a password-reset mail if the address has an active account. The answer is the same either way, and it
 * does not wait for the lookup, the token or the mail (they run in the background; `auth.mail.idle()` awaits
 * them), so neither its content nor its timing tells whether the account exists. Limited per IP, per email and IP,
 * and per email (`rateLimit.passwordReset`): over a limit the answer is the same and no mail is sent.
 */
export async function requestPasswordReset(ctx: AuthContext, email: string, meta: RequestMeta = {}): Promise<void> {
  parseInput(requestMetaSchema, meta);
  const { email: address } = parseInput(z.strictObject({ email: emailSchema }), { email });
  // Counted before answering, by address and IP, for any address. Over a limit the answer is the same and nothing
  // is sent: a 429 here would let anyone block the owner's own mail.
  if (!(await ctx.throttle.allowMailRequest("passwordReset", address, meta.ip))) return;
  ctx.track(
    (async () => {
      const user = await ctx.storage.findUserByEmail(address);
      if (!user || user.status !== USER_STATUS.active) return;
      await issueToken(ctx, ctx.storage, user, TOKEN_PURPOSE.passwordReset, ctx.clock.now());
      deliverSoon(ctx);
    })().catch((error: unknown) => logFailure("password reset request failed", error)),
  );
}

/**
 * Sets a new password with the token from the reset mail, revokes every session of the user, spends every other
 * link sent before (reset and verification), marks the email verified (the inbox was reached) and queues the
 * password-changed notice, in one transaction.
 * @throws AuthError `INVALID_INPUT`, `PASSWORD_TOO_COMMON`, `PASSWORD_BREACHED`, `VERIFICATION_TOKEN_INVALID`, `VERIFICATION_TOKEN_USED`, `VERIFICATION_TOKEN_EXPIRED`
 */
export async function resetPassword(
  ctx: AuthContext,
  token: string,
  newPassword: string,
  meta: RequestMeta = {},
): Promise<void> {
  parseInput(requestMetaSchema, meta);
  const input = parseInput(z.strictObject({ token: presentedTokenSchema, newPassword: ctx.newPassword }), {
    token,
    newPassword,
  });
  // Before the token is consumed, so a refused password leaves the link usable.
  await assertPasswordAllowed(ctx.options.password, input.newPassword);
  const passwordHash = await ctx.hasher.hash(input.newPassword);
  const now = ctx.clock.now();
  await auditedTransaction(ctx, async (tx) => {
    const { storage } = tx;
    const result = await storage.consumeVerificationToken(hashToken(input.token), TOKEN_PURPOSE.passwordReset, now);
    if (result.status !== "consumed") throw tokenError(result.status);
    const user = await storage.findUserById(result.userId);
    if (!user) throw tokenError("not_found");
    await storage.updateUserPasswordHash(user.id, passwordHash, now);
    // Every other link sent before the reset (reset or verification) is spent by it.
    await storage.supersedeUserTokens(user.id, now);
    await storage.markEmailVerified(user.id, now);
    const sessionsRevoked = await revokeUserSessionsEverywhere(ctx, storage, user.id, "password_reset", now);
    await storage.enqueueMail(await mailIntent(ctx, "password-changed", { email: user.email }, now), now);
    const data = { sessionsRevoked };
    await recordEvent(ctx, { type: "password.reset", actorUserId: user.id, targetUserId: user.id, data, meta }, tx);
  });
  deliverSoon(ctx);
}

/**
 * Changes the signed-in user's password after checking the current one. Every other session is revoked; the
 * caller's own session stays. Reset and verification links sent before are spent. Queues the password-changed
 * notice.
 * @throws AuthError `INVALID_CREDENTIALS` (wrong current password), `INVALID_INPUT`, `PASSWORD_TOO_COMMON`,
 * `PASSWORD_BREACHED`
 */
export async function changePassword(
  ctx: AuthContext,
  principal: Principal,
  currentPassword: string,
  newPassword: string,
): Promise<void> {
  assertPrincipal(principal);
  assertNotImpersonating(principal, "change the password");
  const input = parseInput(z.strictObject({ currentPassword: presentedPasswordSchema, newPassword: ctx.newPassword }), {
    currentPassword,
    newPassword,
  });
  await assertPasswordAllowed(ctx.options.password, input.newPassword);
  const user = await ctx.storage.findUserById(principal.userId);
  if (!user || !(await ctx.hasher.verify(user.passwordHash, input.currentPassword))) {
    throw new AuthError("INVALID_CREDENTIALS", "The current password is not right");
  }
  const passwordHash = await ctx.hasher.hash(input.newPassword);
  const now = ctx.clock.now();
  await auditedTransaction(ctx, async (tx) => {
    const { storage } = tx;
    await storage.updateUserPasswordHash(user.id, passwordHash, now);
    // A reset or verification link sent before the change no longer works (it may sit in a mailbox someone else reads).
    await storage.supersedeUserTokens(user.id, now);
    const sessionsRevoked = await revokeUserSessionsEverywhere(ctx, storage, user.id, "password_change", now, {
      exceptSessionId: principal.sessionId,
    });
    await storage.enqueueMail(await mailIntent(ctx, "password-changed", { email: user.email }, now), now);
    const event = { actorUserId: user.id, targetUserId: user.id, data: { sessionsRevoked }, meta: metaOf(principal) };
    await recordEvent(ctx, { type: "password.change", ...event }, tx);
  });
  deliverSoon(ctx);
}
