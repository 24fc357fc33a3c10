import { AuthError } from "../errors.js";
import { logWarning } from "../internal/safe-error.js";
import type { ResolvedAuthOptions } from "../options.js";
import { COMMON_PASSWORDS } from "./common-passwords.data.js";

let common: ReadonlySet<string> | undefined;

/** The shipped blocklist as a Set, built on first use (about 10,000 entries). */
function commonPasswords(): ReadonlySet<string> {
  common ??= new Set(COMMON_PASSWORDS.split("\n"));
  return common;
}

/** True when the password, NFKC-normalised and lower-cased, is one of the 10,000 most common passwords. */
export function isCommonPassword(password: string): boolean {
  return commonPasswords().has(password.normalize("NFKC").toLowerCase());
}

/**
 * Applies the rules beyond length to a new password (length is checked by the input schema first):
 * the common-password blocklist (`password.rejectCommon`), then the host's `password.isBreached` hook.
 *
 * The hook fails open: when it throws or rejects, the password is accepted (the blocklist still applied) and a
 * warning without the password is logged, so an outage of a breach service does not stop every signup and reset.
 *
 * @throws AuthError `PASSWORD_TOO_COMMON`, `PASSWORD_BREACHED`
 */
export async function assertPasswordAllowed(options: ResolvedAuthOptions["password"], password: string): Promise<void> {
  if (options.rejectCommon && isCommonPassword(password)) {
    throw new AuthError("PASSWORD_TOO_COMMON", "This password is too common: choose another one");
  }
  if (!options.isBreached) return;
  let breached: unknown;
  try {
    breached = await options.isBreached(password);
  } catch (error) {
    logWarning("password.isBreached failed; the password was accepted (fail-open)", error);
    return;
  }
  if (breached === true) {
    throw new AuthError("PASSWORD_BREACHED", "This password appeared in a data breach: choose another one");
  }
}
