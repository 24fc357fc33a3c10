// @oslojs/otp and @oslojs/encoding are dependencies of @tenantauth/core, not of the root workspace: the tests
// reach them through core's node_modules, so codes are computed by the same library, independently of core.
import { decodeBase32IgnorePadding } from "../../packages/core/node_modules/@oslojs/encoding/dist/index.js";
import { generateHOTP } from "../../packages/core/node_modules/@oslojs/otp/dist/index.js";

/** The six-digit TOTP code of a base32 secret at `now` (epoch ms), 30-second steps (RFC 6238). */
export function totpAt(secret: string, now: number): string {
  return generateHOTP(decodeBase32IgnorePadding(secret), BigInt(Math.floor(now / 30_000)), 6);
}

/** A six-digit code that is not the right one at `now` (nor in the steps either side). */
export function wrongTotpAt(secret: string, now: number): string {
  const taken = new Set([-30_000, 0, 30_000].map((d) => totpAt(secret, now + d)));
  for (let n = 0; ; n++) {
    const code = String(n).padStart(6, "0");
    if (!taken.has(code)) return code;
  }
}
