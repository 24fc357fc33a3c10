import { AuthError } from "../errors.js";
import type { AuthContext } from "../internal/context.js";
import { hashToken, randomToken } from "../internal/crypto.js";
import { mailIntent } from "../mail/intents.js";
import type { ConsumeTokenResult } from "../ports/mail-storage.js";
import { TOKEN_PURPOSE, type TokenPurpose } from "../ports/records.js";
import type { StorageAdapter } from "../ports/storage.js";

/** Bits of randomness in verification and reset tokens (at least 128). */
export const VERIFICATION_TOKEN_BITS = 256;

const TEMPLATE = {
  [TOKEN_PURPOSE.verifyEmail]: "verify-email",
  [TOKEN_PURPOSE.passwordReset]: "password-reset",
} as const;

/**
 * Issues a single-use token for the user and queues the mail that carries it, in `storage`'s transaction (or
 * atomically on its own). Earlier unspent tokens of the same purpose stop working.
 */
export async function issueToken(
  ctx: AuthContext,
  storage: StorageAdapter,
  user: { id: number; email: string },
  purpose: TokenPurpose,
  now: number,
): Promise<void> {
  const token = randomToken(ctx.random, VERIFICATION_TOKEN_BITS);
  const ttl =
    purpose === TOKEN_PURPOSE.verifyEmail
      ? ctx.options.emailVerification.ttlSeconds
      : ctx.options.passwordReset.ttlSeconds;
  await storage.createVerificationToken({
    tokenHash: hashToken(token),
    purpose,
    userId: user.id,
    expiresAt: now + ttl * 1000,
    now,
    mail: await mailIntent(ctx, TEMPLATE[purpose], { email: user.email, token }, now),
  });
}

/** Turns a failed consumption into its distinct error. */
export function tokenError(status: Exclude<ConsumeTokenResult["status"], "consumed">): AuthError {
  switch (status) {
    case "used":
      return new AuthError("VERIFICATION_TOKEN_USED", "This link was already used");
    case "expired":
      return new AuthError("VERIFICATION_TOKEN_EXPIRED", "This link has expired: ask for a new one");
    case "superseded":
      return new AuthError(
        "VERIFICATION_TOKEN_INVALID",
        "This link was replaced (by a newer link or a password change): use the latest one or ask again",
      );
    default:
      return new AuthError("VERIFICATION_TOKEN_INVALID", "This link is not valid");
  }
}
