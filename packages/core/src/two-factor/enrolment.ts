import * as z from "zod";
import { presentedPasswordSchema } from "../accounts/schemas.js";
import { auditedTransaction, metaOf, recordEvent } from "../audit/record.js";
import { AuthError } from "../errors.js";
import type { AuthContext } from "../internal/context.js";
import { parseInput } from "../internal/validate.js";
import { mailIntent } from "../mail/intents.js";
import { deliverSoon } from "../mail/outbox.js";
import type { TwoFactorRecord } from "../ports/two-factor-storage.js";
import type { Principal } from "../sessions/access-token.js";
import { assertNotImpersonating, assertPrincipal } from "../sessions/principal.js";
import { backupCodeHash, isTotpCode, matchTotp, newBackupCodes, newTotpSecret, secretSealer } from "./totp.js";

/** What `twoFactor.enroll()` returns: show the URI as a QR code, and the secret for manual entry. */
export interface TwoFactorEnrolment {
  /** The TOTP secret, base32. */
  secret: string;
  /** `otpauth://totp/…` for authenticator apps. */
  uri: string;
}

/** Proof for `twoFactor.disable()`: the current password, or a TOTP or backup code. */
export type TwoFactorProof = { password: string } | { code: string };

/** A code as presented: a six-digit TOTP code or a backup code. */
export const presentedCodeSchema = z
  .string({ error: "must be a string" })
  .trim()
  .min(1, { error: "must not be empty" })
  .max(64, { error: "is too long" });

const proofSchema = z.union(
  [z.strictObject({ password: presentedPasswordSchema }), z.strictObject({ code: presentedCodeSchema })],
  { error: "must be { password } or { code }" },
);

const invalidCode = (): AuthError => new AuthError("TWO_FACTOR_CODE_INVALID", "That code is not right");

/** Which kind of code was presented: a six-digit TOTP code, or else a backup code. */
export const codeKind = (code: string): "totp" | "backup_code" => (isTotpCode(code) ? "totp" : "backup_code");

/**
 * Checks a TOTP code (not replayed: its step must be newer than the last one used) or a backup code (spent
 * here). True when it was accepted.
 */
export async function acceptCode(ctx: AuthContext, record: TwoFactorRecord, code: string): Promise<boolean> {
  const now = ctx.clock.now();
  if (!isTotpCode(code)) return ctx.storage.consumeBackupCode(record.userId, backupCodeHash(code), now);
  const secret = await secretSealer(ctx).unseal(record.sealedSecret);
  if (secret === null) throw new AuthError("INTERNAL_ERROR", "The two-factor secret cannot be unsealed");
  const step = matchTotp(secret, code.trim(), now);
  return step !== null && (await ctx.storage.recordTotpStep(record.userId, step, now));
}

/** Starts (or restarts) enrolment: a new secret, stored sealed and pending until confirmed. */
export async function enrollTwoFactor(ctx: AuthContext, principal: Principal): Promise<TwoFactorEnrolment> {
  assertPrincipal(principal);
  assertNotImpersonating(principal, "change two-factor sign-in");
  const user = await ctx.storage.findUserById(principal.userId);
  if (!user) throw new AuthError("UNAUTHENTICATED", "This account no longer exists");
  const enrolment = newTotpSecret(ctx, user.email);
  const sealed = await secretSealer(ctx).seal(enrolment.secret);
  if (!(await ctx.storage.savePendingTwoFactor(user.id, sealed, ctx.clock.now()))) {
    throw new AuthError("TWO_FACTOR_ALREADY_ENABLED", "Two-factor sign-in is already on: disable it first");
  }
  return enrolment;
}

/**
 * Confirms the pending enrolment with a code from the app: turns two-factor sign-in on, queues the notice mail
 * in the same transaction, and returns ten backup codes (shown once; only their hashes are stored).
 */
export async function confirmTwoFactor(ctx: AuthContext, principal: Principal, code: string): Promise<string[]> {
  assertPrincipal(principal);
  assertNotImpersonating(principal, "change two-factor sign-in");
  const presented = parseInput(presentedCodeSchema, code);
  const [user, record] = await Promise.all([
    ctx.storage.findUserById(principal.userId),
    ctx.storage.findTwoFactor(principal.userId),
  ]);
  if (!user) throw new AuthError("UNAUTHENTICATED", "This account no longer exists");
  if (!record) throw new AuthError("TWO_FACTOR_NOT_ENABLED", "Start with twoFactor.enroll()");
  if (record.enabledAt !== null) throw new AuthError("TWO_FACTOR_ALREADY_ENABLED", "Two-factor sign-in is already on");
  const secret = await secretSealer(ctx).unseal(record.sealedSecret);
  if (secret === null) throw new AuthError("INTERNAL_ERROR", "The two-factor secret cannot be unsealed");
  await ctx.throttle.beforeSecondFactor(user.id);
  const now = ctx.clock.now();
  const step = matchTotp(secret, presented, now);
  if (step === null) {
    await ctx.throttle.secondFactorFailed(user.id);
    throw invalidCode();
  }
  const backup = newBackupCodes(ctx);
  await auditedTransaction(ctx, async (tx) => {
    const { storage } = tx;
    const enabled = await storage.enableTwoFactor({ userId: user.id, step, backupCodeHashes: backup.hashes, now });
    if (!enabled) throw new AuthError("TWO_FACTOR_ALREADY_ENABLED", "Two-factor sign-in is already on");
    await storage.enqueueMail(await mailIntent(ctx, "two-factor-enabled", { email: user.email }, now), now);
    const event = { type: "two_factor.enable", actorUserId: user.id, targetUserId: user.id, data: {} } as const;
    await recordEvent(ctx, { ...event, meta: metaOf(principal) }, tx);
  });
  deliverSoon(ctx);
  return backup.codes;
}

/**
 * Turns two-factor sign-in off after checking the current password or a code; deletes the secret, backup codes
 * and open challenges, and queues the notice mail in the same transaction.
 * @throws AuthError `INVALID_CREDENTIALS`, `TWO_FACTOR_CODE_INVALID`, `TWO_FACTOR_NOT_ENABLED`
 */
export async function disableTwoFactor(ctx: AuthContext, principal: Principal, proof: TwoFactorProof): Promise<void> {
  assertPrincipal(principal);
  assertNotImpersonating(principal, "change two-factor sign-in");
  const input = parseInput(proofSchema, proof);
  const [user, record] = await Promise.all([
    ctx.storage.findUserById(principal.userId),
    ctx.storage.findTwoFactor(principal.userId),
  ]);
  if (!user) throw new AuthError("UNAUTHENTICATED", "This account no longer exists");
  if (!record || record.enabledAt === null) {
    throw new AuthError("TWO_FACTOR_NOT_ENABLED", "Two-factor sign-in is not on");
  }
  await ctx.throttle.beforeSecondFactor(user.id);
  if ("password" in input) {
    if (!(await ctx.hasher.verify(user.passwordHash, input.password))) {
      await ctx.throttle.secondFactorFailed(user.id);
      throw new AuthError("INVALID_CREDENTIALS", "The password is not right");
    }
  } else if (!(await acceptCode(ctx, record, input.code))) {
    await ctx.throttle.secondFactorFailed(user.id);
    throw invalidCode();
  }
  const now = ctx.clock.now();
  const proofKind = "password" in input ? "password" : codeKind(input.code);
  await auditedTransaction(ctx, async (tx) => {
    await tx.storage.deleteTwoFactor(user.id);
    await tx.storage.enqueueMail(await mailIntent(ctx, "two-factor-disabled", { email: user.email }, now), now);
    const event = { type: "two_factor.disable", actorUserId: user.id, targetUserId: user.id } as const;
    await recordEvent(ctx, { ...event, data: { proof: proofKind }, meta: metaOf(principal) }, tx);
  });
  deliverSoon(ctx);
}

/** Whether two-factor sign-in is on for the caller, and how many unused backup codes remain. */
export async function twoFactorStatus(
  ctx: AuthContext,
  principal: Principal,
): Promise<{ enabled: boolean; backupCodesLeft: number }> {
  assertPrincipal(principal);
  const record = await ctx.storage.findTwoFactor(principal.userId);
  if (!record || record.enabledAt === null) return { enabled: false, backupCodesLeft: 0 };
  return { enabled: true, backupCodesLeft: await ctx.storage.countBackupCodes(principal.userId) };
}
