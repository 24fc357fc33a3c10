import { type Algorithm, hash, verify } from "@node-rs/argon2";
import type { PasswordHasher } from "../ports/password-hasher.js";

/** Parameters of {@link argon2idHasher}. */
export interface Argon2idOptions {
  /** Memory in KiB. @default 19456 (19 MiB, OWASP) */
  memoryCost?: number;
  /** Iterations. @default 2 */
  timeCost?: number;
  /** Lanes. @default 1 */
  parallelism?: number;
}

/** `Algorithm.Argon2id`; a const enum cannot be imported under verbatimModuleSyntax. */
const ARGON2ID = 2 as Algorithm;

const PHC_PARAMS = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/;

/**
 * argon2id through @node-rs/argon2, with OWASP's minimum parameters by default (m=19456 KiB, t=2, p=1).
 * Produces PHC strings; `needsRehash` is true for any hash not made with the current parameters.
 *
 * @example
 * createAuth({ ..., passwordHasher: argon2idHasher({ memoryCost: 65536, timeCost: 3 }) })
 */
export function argon2idHasher(options: Argon2idOptions = {}): PasswordHasher {
  const params = {
    algorithm: ARGON2ID,
    memoryCost: options.memoryCost ?? 19456,
    timeCost: options.timeCost ?? 2,
    parallelism: options.parallelism ?? 1,
  };
  return {
    hash: (password) => hash(password, params),
    async verify(phc, password) {
      try {
        return await verify(phc, password);
      } catch {
        return false;
      }
    },
    needsRehash(phc) {
      const match = PHC_PARAMS.exec(phc);
      return (
        !match ||
        Number(match[1]) !== params.memoryCost ||
        Number(match[2]) !== params.timeCost ||
        Number(match[3]) !== params.parallelism
      );
    },
  };
}
