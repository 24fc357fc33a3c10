import * as z from "zod";
import { auditedTransaction, recordEvent } from "../audit/record.js";
import type { AuthContext } from "../internal/context.js";
import { hashToken } from "../internal/crypto.js";
import { logFailure } from "../internal/safe-error.js";
import { parseInput } from "../internal/validate.js";
import { mailIntent } from "../mail/intents.js";
import { deliverSoon } from "../mail/outbox.js";
import { TOKEN_PURPOSE } from "../ports/records.js";
import type { RequestMeta } from "../sessions/sessions.js";
import { toPublicUser, type User } from "./public-user.js";
import { emailSchema, presentedTokenSchema, requestMetaSchema } from "./schemas.js";
import { issueToken, tokenError } from "./verification-tokens.js";

/**
 * Verifies an email address with the token from the verification mail, queues the welcome mail and records the
 * `email.verify` audit event, all in one transaction. `meta` is the request's ip and user agent, for the event.
 * @throws AuthError `VERIFICATION_TOKEN_INVALID`, `VERIFICATION_TOKEN_USED`, `VERIFICATION_TOKEN_EXPIRED`
 */
export async function verifyEmail(ctx: AuthContext, token: string, meta: RequestMeta = {}): Promise<User> {
  const tokenHash = hashToken(parseInput(presentedTokenSchema, token));
  parseInput(requestMetaSchema, meta);
  const now = ctx.clock.now();
  const user = await auditedTransaction(ctx, async (tx) => {
    const { storage } = tx;
    const result = await storage.consumeVerificationToken(tokenHash, TOKEN_PURPOSE.verifyEmail, now);
    if (result.status !== "consumed") throw tokenError(result.status);
    await storage.markEmailVerified(result.userId, now);
    const verified = await storage.findUserById(result.userId);
    if (!verified) throw tokenError("not_found");
    await storage.enqueueMail(await mailIntent(ctx, "welcome", { email: verified.email }, now), now);
    const who = { actorUserId: verified.id, targetUserId: verified.id };
    await recordEvent(ctx, { type: "email.verify", ...who, data: {}, meta }, tx);
    return verified;
  });
  deliverSoon(ctx);
  return toPublicUser(user);
}

/**
 * Sends a new verification mail if the address has an unverified account. The answer is the same whether or not
 * the account exists and does not wait for the work (it runs in the background; `auth.mail.idle()` awaits it),
 * so its timing reveals nothing either. Limited per IP, per email and IP, and per email
 * (`rateLimit.resendVerification`): over a limit the answer is the same and no mail is sent.
 */
export async function resendVerification(ctx: AuthContext, email: string, meta: RequestMeta = {}): Promise<void> {
  parseInput(requestMetaSchema, meta);
  const { email: address } = parseInput(z.strictObject({ email: emailSchema }), { email });
  // Counted before answering, by address and IP, for any address. Over a limit the answer is the same and nothing
  // is sent: a 429 here would let anyone block the owner's own mail.
  if (!(await ctx.throttle.allowMailRequest("resendVerification", address, meta.ip))) return;
  ctx.track(
    (async () => {
      const user = await ctx.storage.findUserByEmail(address);
      if (!user || user.emailVerifiedAt !== null) return;
      await issueToken(ctx, ctx.storage, user, TOKEN_PURPOSE.verifyEmail, ctx.clock.now());
      deliverSoon(ctx);
    })().catch((error: unknown) => logFailure("verification resend failed", error)),
  );
}
