import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { PasswordHasher } from "@tenantauth/core";

const PREFIX = "$tenantauth-test-sha256$";

/** Thrown by {@link fastHasher} outside `NODE_ENV=test`, so the test hasher cannot end up in production. */
export class TestOnlyError extends Error {
  override readonly name = "TestOnlyError";
}

function assertTestEnvironment(what: string): void {
  const env = process.env.NODE_ENV;
  if (env !== "test") {
    throw new TestOnlyError(
      `${what} is for tests only and refuses to run with NODE_ENV=${env === undefined ? "(unset)" : JSON.stringify(env)}: ` +
        'it hashes passwords with one round of SHA-256. vitest sets NODE_ENV="test"; elsewhere set it yourself, ' +
        "and never use @tenantauth/testing in production (use argon2idHasher(), the default).",
    );
  }
}

const digest = (salt: string, password: string): Buffer =>
  createHash("sha256").update(salt).update("\0").update(password, "utf8").digest();

/**
 * A {@link PasswordHasher} that costs microseconds instead of argon2id's tens of milliseconds, so a test can sign up
 * hundreds of users. Salted SHA-256: worthless against an offline attack, hence refused unless
 * `process.env.NODE_ENV === "test"` (checked when it is made and on every call).
 *
 * @throws TestOnlyError outside `NODE_ENV=test`
 * @example
 * const auth = createAuth({ secret, storage: memoryStorage(), passwordHasher: fastHasher() });
 */
export function fastHasher(): PasswordHasher {
  assertTestEnvironment("fastHasher()");
  return {
    async hash(password) {
      assertTestEnvironment("fastHasher().hash");
      const salt = randomBytes(16).toString("base64url");
      return `${PREFIX}${salt}$${digest(salt, password).toString("base64url")}`;
    },
    async verify(hash, password) {
      assertTestEnvironment("fastHasher().verify");
      if (!hash.startsWith(PREFIX)) return false;
      const [salt, expected] = hash.slice(PREFIX.length).split("$");
      if (salt === undefined || expected === undefined) return false;
      const wanted = Buffer.from(expected, "base64url");
      const actual = digest(salt, password);
      return wanted.length === actual.length && timingSafeEqual(wanted, actual);
    },
    needsRehash: (hash) => !hash.startsWith(PREFIX),
  };
}
