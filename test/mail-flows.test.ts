import { type Auth, createAuth, MAIL_STATUS, type MailStorage, type StorageAdapter } from "@tenantauth/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sqlBackends } from "./support/backends.js";
import { type CaptureMailer, captureMailer } from "./support/capture-mailer.js";
import { type ManualClock, manualClock } from "./support/clock.js";
import { expectAuthError } from "./support/errors.js";

const SECRET = "test-secret-that-is-at-least-32-bytes-long";
const PW = "correct horse battery staple";
const NEW_PW = "a brand new passphrase";

describe.each(sqlBackends)("email verification, password reset and the outbox on $name", (backend) => {
  let storage: StorageAdapter & MailStorage;
  let cleanup: () => Promise<void>;
  let clock: ManualClock;
  let mailer: CaptureMailer;
  let auth: Auth;

  beforeEach(async () => {
    const created = await backend.create();
    storage = created.storage as StorageAdapter & MailStorage;
    cleanup = created.cleanup;
    clock = manualClock();
    mailer = captureMailer();
    auth = createAuth({ secret: SECRET, storage, clock, mailer, mail: { deliverAfterCommit: false } });
  });
  afterEach(async () => {
    await auth.mail.idle();
    await cleanup();
  });

  const signupAndVerify = async (email: string): Promise<void> => {
    await auth.signup({ email, password: PW, organizationName: `${email} org` });
    await auth.mail.deliverPending();
    await auth.verifyEmail(mailer.tokenFor(email, "verify-email"));
  };

  it("signup queues a verification mail in its transaction; verifying it lets the user sign in", async () => {
    await auth.signup({ email: "ada@example.com", password: PW, organizationName: "Acme" });
    const queued = await storage.listMail({ recipient: "ada@example.com", limit: 10 });
    expect(queued.map((m) => [m.template, m.status])).toEqual([["verify-email", MAIL_STATUS.pending]]);
    expect(JSON.stringify(queued[0]?.payload)).toContain("sealedToken");
    await expectAuthError(auth.signin({ email: "ada@example.com", password: "wrong password" }), "INVALID_CREDENTIALS");
    await expectAuthError(auth.signin({ email: "ada@example.com", password: PW }), "EMAIL_NOT_VERIFIED");

    expect(await auth.mail.deliverPending()).toEqual({ claimed: 1, sent: 1, retrying: 0, failed: 0 });
    const token = mailer.tokenFor("ada@example.com", "verify-email");
    expect(JSON.stringify(await storage.listMail({ limit: 10 }))).not.toContain(token);
    const user = await auth.verifyEmail(token);
    expect(user.emailVerified).toBe(true);
    await expect(auth.signin({ email: "ada@example.com", password: PW })).resolves.toBeDefined();
    await auth.mail.deliverPending();
    expect(mailer.last("ada@example.com")?.template).toBe("welcome");
  });

  it("refuses used, expired, tampered and superseded tokens with distinct codes", async () => {
    await auth.signup({ email: "a@example.com", password: PW, organizationName: "A" });
    await auth.signup({ email: "b@example.com", password: PW, organizationName: "B" });
    await auth.mail.deliverPending();
    const a = mailer.tokenFor("a@example.com", "verify-email");
    await auth.verifyEmail(a);
    await expectAuthError(auth.verifyEmail(a), "VERIFICATION_TOKEN_USED");
    await expectAuthError(
      auth.verifyEmail(`${a.slice(0, -1)}${a.endsWith("A") ? "B" : "A"}`),
      "VERIFICATION_TOKEN_INVALID",
    );
    const b1 = mailer.tokenFor("b@example.com", "verify-email");
    await auth.resendVerification("b@example.com");
    await auth.mail.idle();
    await auth.mail.deliverPending();
    const b2 = mailer.tokenFor("b@example.com", "verify-email");
    expect(b2).not.toBe(b1);
    await expectAuthError(auth.verifyEmail(b1), "VERIFICATION_TOKEN_INVALID");
    clock.advance(24 * 3600 * 1000);
    await expectAuthError(auth.verifyEmail(b2), "VERIFICATION_TOKEN_EXPIRED");
    await expectAuthError(auth.verifyEmail(""), "INVALID_INPUT");
  });

  it("resendVerification answers alike for unknown, verified and unverified addresses", async () => {
    await signupAndVerify("done@example.com");
    await auth.signup({ email: "todo@example.com", password: PW, organizationName: "T" });
    const before = (await storage.listMail({ limit: 100 })).length;
    await expect(auth.resendVerification("nobody@example.com")).resolves.toBeUndefined();
    await expect(auth.resendVerification("done@example.com")).resolves.toBeUndefined();
    await auth.mail.idle();
    expect((await storage.listMail({ limit: 100 })).length).toBe(before);
    await expect(auth.resendVerification("TODO@example.com")).resolves.toBeUndefined();
    await auth.mail.idle();
    expect((await storage.listMail({ limit: 100 })).length).toBe(before + 1);
    await expectAuthError(auth.resendVerification("not an email"), "INVALID_INPUT");
  });

  it("a password reset revokes every session, changes the password and sends a notice", async () => {
    await signupAndVerify("ada@example.com");
    const session = await auth.signin({ email: "ada@example.com", password: PW });
    await expect(auth.requestPasswordReset("nobody@example.com")).resolves.toBeUndefined();
    await auth.requestPasswordReset("ada@example.com");
    await auth.mail.idle();
    await auth.mail.deliverPending();
    const token = mailer.tokenFor("ada@example.com", "password-reset");
    await expectAuthError(auth.resetPassword(token, "short"), "INVALID_INPUT");
    await auth.resetPassword(token, NEW_PW);
    await expectAuthError(auth.refresh(session.refreshToken), "INVALID_REFRESH_TOKEN");
    await expectAuthError(auth.signin({ email: "ada@example.com", password: PW }), "INVALID_CREDENTIALS");
    await expect(auth.signin({ email: "ada@example.com", password: NEW_PW })).resolves.toBeDefined();
    await expectAuthError(auth.resetPassword(token, "yet another passphrase"), "VERIFICATION_TOKEN_USED");
    await auth.mail.deliverPending();
    expect(mailer.last("ada@example.com")?.template).toBe("password-changed");
    await auth.requestPasswordReset("ada@example.com");
    await auth.mail.idle();
    await auth.mail.deliverPending();
    clock.advance(3600 * 1000);
    await expectAuthError(
      auth.resetPassword(mailer.tokenFor("ada@example.com", "password-reset"), NEW_PW),
      "VERIFICATION_TOKEN_EXPIRED",
    );
  });

  it("changePassword checks the current password and keeps only the caller's session", async () => {
    await signupAndVerify("ada@example.com");
    const mine = await auth.signin({ email: "ada@example.com", password: PW });
    const other = await auth.signin({ email: "ada@example.com", password: PW });
    const principal = await auth.authenticate(mine.accessToken);
    await expectAuthError(auth.changePassword(principal, "wrong password", NEW_PW), "INVALID_CREDENTIALS");
    await auth.changePassword(principal, PW, NEW_PW);
    await expectAuthError(auth.refresh(other.refreshToken), "INVALID_REFRESH_TOKEN");
    await expect(auth.refresh(mine.refreshToken)).resolves.toBeDefined();
    await expect(auth.signin({ email: "ada@example.com", password: NEW_PW })).resolves.toBeDefined();
  });

  it("keeps mail while SMTP is down, retries with backoff, and gives up after maxAttempts", async () => {
    const flaky = createAuth({
      secret: SECRET,
      storage,
      clock,
      mailer,
      mail: { deliverAfterCommit: false, maxAttempts: 3, retryBaseSeconds: 10 },
    });
    await flaky.signup({ email: "x@example.com", password: PW, organizationName: "X" });
    mailer.down = true;
    expect(await flaky.mail.deliverPending()).toMatchObject({ claimed: 1, retrying: 1 });
    const [intent] = await storage.listMail({ recipient: "x@example.com", limit: 1 });
    expect(intent).toMatchObject({ attempts: 1, status: MAIL_STATUS.pending, availableAt: clock.now() + 10_000 });
    expect(intent?.lastError).toContain("ECONNREFUSED");
    expect(await flaky.mail.deliverPending()).toMatchObject({ claimed: 0 });
    clock.advance(10_000);
    expect(await flaky.mail.deliverPending()).toMatchObject({ retrying: 1 });
    clock.advance(20_000);
    expect(await flaky.mail.deliverPending()).toMatchObject({ failed: 1 });
    expect((await storage.listMail({ recipient: "x@example.com", limit: 1 }))[0]?.status).toBe(MAIL_STATUS.failed);
    mailer.down = false;
    clock.advance(3_600_000);
    expect(await flaky.mail.deliverPending()).toMatchObject({ claimed: 0 });
    expect(mailer.sent).toEqual([]);
  });

  it("two deliverers at once never send one intent twice", async () => {
    for (let i = 0; i < 12; i++)
      await auth.signup({ email: `u${i}@example.com`, password: PW, organizationName: `O${i}` });
    const other = createAuth({ secret: SECRET, storage, clock, mailer, mail: { deliverAfterCommit: false } });
    const reports = await Promise.all([
      auth.mail.deliverPending({ limit: 5 }),
      other.mail.deliverPending({ limit: 5 }),
      auth.mail.deliverPending({ limit: 5 }),
      other.mail.deliverPending({ limit: 5 }),
    ]);
    await auth.mail.deliverPending();
    expect(reports.reduce((n, r) => n + r.sent, 0)).toBeLessThanOrEqual(12);
    expect(mailer.sent).toHaveLength(12);
    expect(new Set(mailer.sent.map((m) => m.to)).size).toBe(12);
  });
});
