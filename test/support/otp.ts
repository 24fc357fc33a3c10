import { totpCode } from "@tenantauth/testing";

/**
 * The six-digit TOTP code of a base32 secret at `now` (epoch ms), 30-second steps (RFC 6238): the testing kit's
 * `totpCode`, which computes it with @oslojs/otp independently of core (and is checked against RFC 6238's vector).
 */
export const totpAt = totpCode;

/** A six-digit code that is not the right one at `now` (nor in the steps either side). */
export function wrongTotpAt(secret: string, now: number): string {
  const taken = new Set([-30_000, 0, 30_000].map((d) => totpAt(secret, now + d)));
  for (let n = 0; ; n++) {
    const code = String(n).padStart(6, "0");
    if (!taken.has(code)) return code;
  }
}
