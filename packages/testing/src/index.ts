export type { TestClock } from "./kit/clock.js";
export { TEST_EPOCH, testClock } from "./kit/clock.js";
export type { TestAuth, TestAuthOverrides } from "./kit/create-test-auth.js";
export { createTestAuth, TEST_PASSWORD } from "./kit/create-test-auth.js";
export { fastHasher, TestOnlyError } from "./kit/fast-hasher.js";
export type { TestApiKey, TestOrganization, TestSession, TestTwoFactor, TestUser } from "./kit/fixtures.js";
export {
  givenApiKey,
  givenMember,
  givenOrganization,
  givenPlatformAdmin,
  givenTwoFactor,
  givenUser,
  signedIn,
  totpCode,
} from "./kit/fixtures.js";
export type { CapturedMail, Mailbox, MailboxOptions } from "./kit/mailbox.js";
export { captureMailer } from "./kit/mailbox.js";
export { memoryStorage } from "./memory/storage.js";
