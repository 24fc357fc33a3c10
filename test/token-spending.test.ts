import { type Auth, createAuth, type UserPrincipal } from "@tenantauth/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { backends } from "./support/backends.js";
import { type CaptureMailer, captureMailer } from "./support/capture-mailer.js";
import { type ManualClock, manualClock } from "./support/clock.js";
import { expectAuthError } from "./support/errors.js";

const SECRET = "test-secret-that-is-at-least-32-bytes-long";
const PW = "correct horse battery staple";

// Issue 13, item 9: a reset link outlived a password change. Reset and verification links issued before a password
// change or reset are spent by it.
describe.each(backends)("links issued before a password change or reset on $name", (backend) => {
  let auth: Auth;
  let mailer: CaptureMailer;
  let clock: ManualClock;
  let cleanup: () => Promise<void>;

  beforeEach(async () => {
    const created = await backend.create();
    cleanup = created.cleanup;
    clock = manualClock();
    mailer = captureMailer();
    auth = createAuth({
      secret: SECRET,
      storage: created.storage,
      clock,
      mailer,
      emailVerification: { required: false },
    });
  });
  afterEach(async () => {
    await auth.mail.idle();
    await cleanup();
  });

  const link = async (email: string, template: "password-reset" | "verify-email"): Promise<string> => {
    await auth.mail.idle();
    return mailer.tokenFor(email, template);
  };
  const signedIn = async (email: string, password = PW): Promise<UserPrincipal> =>
    (await auth.authenticate((await auth.signin({ email, password })).accessToken)) as UserPrincipal;

  it("a reset link and a verification link requested before a password change fail after it", async () => {
    await auth.signup({ email: "ada@example.com", password: PW });
    const verify = await link("ada@example.com", "verify-email");
    await auth.requestPasswordReset("ada@example.com");
    const reset = await link("ada@example.com", "password-reset");
    await auth.changePassword(await signedIn("ada@example.com"), PW, "the changed passphrase");
    await expectAuthError(auth.resetPassword(reset, "the attacker's passphrase"), "VERIFICATION_TOKEN_INVALID");
    await expectAuthError(auth.verifyEmail(verify), "VERIFICATION_TOKEN_INVALID");
    await expect(signedIn("ada@example.com", "the changed passphrase")).resolves.toBeTruthy();
    // A link asked for after the change works.
    clock.advance(1000);
    await auth.requestPasswordReset("ada@example.com");
    await auth.resetPassword(await link("ada@example.com", "password-reset"), "yet another passphrase");
    await expect(signedIn("ada@example.com", "yet another passphrase")).resolves.toBeTruthy();
  });

  it("a reset spends every other link of the account: the verification link sent before it fails", async () => {
    await auth.signup({ email: "bob@example.com", password: PW });
    const verify = await link("bob@example.com", "verify-email");
    await auth.requestPasswordReset("bob@example.com");
    await auth.resetPassword(await link("bob@example.com", "password-reset"), "bob's new passphrase");
    await expectAuthError(auth.verifyEmail(verify), "VERIFICATION_TOKEN_INVALID");
  });

  it("a reset with one link spends a reset link issued earlier but not yet superseded by it", async () => {
    // Two links at once can only come from two requests; the second supersedes the first. Use the older one after
    // a reset made with the newer: it is refused (superseded), and so is the newer one (used).
    await auth.signup({ email: "cy@example.com", password: PW });
    await auth.requestPasswordReset("cy@example.com");
    const first = await link("cy@example.com", "password-reset");
    await auth.requestPasswordReset("cy@example.com");
    const second = await link("cy@example.com", "password-reset");
    expect(second).not.toBe(first);
    await auth.resetPassword(second, "cy's new passphrase");
    await expectAuthError(auth.resetPassword(first, "attacker passphrase"), "VERIFICATION_TOKEN_INVALID");
    await expectAuthError(auth.resetPassword(second, "attacker passphrase"), "VERIFICATION_TOKEN_USED");
    await expect(signedIn("cy@example.com", "cy's new passphrase")).resolves.toBeTruthy();
  });
});
