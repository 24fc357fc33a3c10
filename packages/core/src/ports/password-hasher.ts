/**
 * Hashes and verifies passwords. The default is argon2id at OWASP's parameters (see `argon2idHasher`).
 * Hashes are self-describing strings (PHC format), so parameters can change without a migration.
 */
export interface PasswordHasher {
  /** Hashes a password with a fresh random salt. */
  hash(password: string): Promise<string>;
  /** True when `password` matches `hash`. A malformed hash gives false, not an exception. */
  verify(hash: string, password: string): Promise<boolean>;
  /** True when `hash` was made with other parameters than the current ones (rehash at the next sign-in). */
  needsRehash(hash: string): boolean;
}
