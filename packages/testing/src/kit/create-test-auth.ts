import { type Auth, type AuthOptions, createAuth, type StorageAdapter } from "@tenantauth/core";
import { memoryStorage } from "../memory/storage.js";
import { type TestClock, testClock } from "./clock.js";
import { fastHasher } from "./fast-hasher.js";
import { captureMailer, type Mailbox } from "./mailbox.js";

/** What `createTestAuth()` accepts: any `createAuth()` option; `secret` and `storage` become optional. */
export type TestAuthOverrides = Partial<AuthOptions>;

/** A tenantauth instance wired for tests, and the fakes it runs on. Pass it to the fixtures (`givenUser(t)`). */
export interface TestAuth {
  auth: Auth;
  /** Every mail tenantauth sent (the capture mailer, unless `overrides.mailer` replaced it). */
  mailbox: Mailbox;
  /** The clock tenantauth reads (unless `overrides.clock` replaced it; then this one is not used). */
  clock: TestClock;
  /** The storage tenantauth writes to: `memoryStorage()` unless overridden. */
  storage: StorageAdapter;
  /** The password every fixture user gets unless told otherwise. */
  password: string;
}

/** The password fixtures give users by default. */
export const TEST_PASSWORD = "correct horse battery staple";

/**
 * A tenantauth instance for tests: `memoryStorage()`, a capture {@link Mailbox}, a manual {@link TestClock} and
 * {@link fastHasher} (so refused outside `NODE_ENV=test`). Mail is delivered right after each change, as in
 * production: `await t.auth.mail.idle()` before reading the mailbox. Every option of `createAuth()` can be
 * overridden, the storage included (`storage: knexStorage(url)` to run the same tests on a real database).
 *
 * @throws TestOnlyError outside `NODE_ENV=test`
 * @throws ConfigError when an override is invalid
 * @example
 * const t = createTestAuth({ emailVerification: { required: false } });
 * await t.auth.signup({ email: "ada@example.com", password: t.password });
 */
export function createTestAuth(overrides: TestAuthOverrides = {}): TestAuth {
  const passwordHasher = overrides.passwordHasher ?? fastHasher();
  const clock = testClock();
  const mailbox = captureMailer();
  const storage = overrides.storage ?? memoryStorage();
  const auth = createAuth({
    // Random per instance: a fixed string in a published package would be a public signing key.
    secret: `${crypto.randomUUID()}${crypto.randomUUID()}`, // 244 random bits
    clock,
    mailer: mailbox,
    ...overrides,
    storage,
    passwordHasher,
  });
  return { auth, mailbox, clock, storage, password: TEST_PASSWORD };
}
