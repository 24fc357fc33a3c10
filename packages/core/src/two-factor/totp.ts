import { decodeBase32IgnorePadding, encodeBase32UpperCaseNoPadding } from "@oslojs/encoding";
import { createTOTPKeyURI, verifyHOTP } from "@oslojs/otp";
import type { AuthContext } from "../internal/context.js";
import { bytesOf, deriveKey, hashToken, randomId } from "../internal/crypto.js";
import { createSealer, type Sealer } from "../internal/seal.js";

/** TOTP parameters every authenticator app supports (RFC 6238 defaults). */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Bytes of a TOTP secret: 160 bits, as RFC 4226 recommends. */
const SECRET_BYTES = 20;
/** How many backup codes a confirmation hands out. */
export const BACKUP_CODE_COUNT = 10;

const sealers = new WeakMap<AuthContext, Sealer>();

/** The sealer of TOTP secrets: AES-256-GCM under a key derived from the auth secret for this purpose only. */
export function secretSealer(ctx: AuthContext): Sealer {
  let sealer = sealers.get(ctx);
  if (!sealer) {
    sealer = createSealer(deriveKey(bytesOf(ctx.options.secret), "two-factor-secret"), ctx.random);
    sealers.set(ctx, sealer);
  }
  return sealer;
}

/** A new random TOTP secret (base32, upper case, no padding) and its `otpauth://` URI. */
export function newTotpSecret(ctx: AuthContext, accountName: string): { secret: string; uri: string } {
  const key = ctx.random.fill(new Uint8Array(SECRET_BYTES));
  return {
    secret: encodeBase32UpperCaseNoPadding(key),
    uri: createTOTPKeyURI(ctx.options.twoFactor.issuer, accountName, key, TOTP_PERIOD_SECONDS, TOTP_DIGITS),
  };
}

/** The TOTP time step of an instant (epoch ms). */
export const totpStep = (now: number): number => Math.floor(now / (TOTP_PERIOD_SECONDS * 1000));

/**
 * The time step whose code `code` is, checking the current step and one either side (clock drift), or null.
 * Comparison is constant time (@oslojs/otp).
 */
export function matchTotp(secret: string, code: string, now: number): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const key = decodeBase32IgnorePadding(secret);
  const current = totpStep(now);
  for (const step of [current, current - 1, current + 1]) {
    if (verifyHOTP(key, BigInt(step), TOTP_DIGITS, code)) return step;
  }
  return null;
}

/** True when the presented code looks like a TOTP code (six digits) rather than a backup code. */
export const isTotpCode = (code: string): boolean => /^\d{6}$/.test(code.trim());

/** Ten new backup codes (80 random bits each, `xxxx-xxxx-xxxx-xxxx`) and their hashes. */
export function newBackupCodes(ctx: AuthContext): { codes: string[]; hashes: string[] } {
  const codes = Array.from({ length: BACKUP_CODE_COUNT }, () =>
    (randomId(ctx.random, 80).match(/.{4}/g) ?? []).join("-"),
  );
  return { codes, hashes: codes.map(backupCodeHash) };
}

/** The stored form of a backup code: SHA-256 of it without dashes and spaces, lower case. */
export function backupCodeHash(code: string): string {
  return hashToken(code.replace(/[\s-]/g, "").toLowerCase());
}
