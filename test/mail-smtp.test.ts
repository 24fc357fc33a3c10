import { createAuth, MAIL_STATUS, type MailStorage, type StorageAdapter } from "@tenantauth/core";
import { smtpMailer } from "@tenantauth/mail";
import type { ParsedMail } from "mailparser";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sqlBackends } from "./support/backends.js";
import { manualClock } from "./support/clock.js";
import { expectAuthError } from "./support/errors.js";
import { startSmtpServer, type TestSmtpServer } from "./support/smtp.js";

const SECRET = "smtp-test-secret-that-is-at-least-32-bytes";
const PW = "correct horse battery staple";
const APP = "https://app.example.com";

/** The token in the first link of a mail's text part that points at `path`. */
function tokenFromLink(mail: ParsedMail | undefined, path: string): string {
  const match = (mail?.text ?? "").match(new RegExp(`${APP}${path}\\?token=([A-Za-z0-9_%-]+)`));
  if (!match?.[1]) throw new Error(`no ${path} link in: ${mail?.text}`);
  return decodeURIComponent(match[1]);
}
const to = (mail: ParsedMail): string => (Array.isArray(mail.to) ? mail.to[0] : mail.to)?.value[0]?.address ?? "";

describe.each(sqlBackends)("mail over a real SMTP server on $name", (backend) => {
  let smtp: TestSmtpServer;
  let storage: StorageAdapter & MailStorage;
  let cleanup: () => Promise<void>;
  const mailers: Array<{ close(): void }> = [];
  const auths: Array<ReturnType<typeof createAuth>> = [];
  const clock = manualClock();

  const makeAuth = () => {
    const mailer = smtpMailer({ url: smtp.url, from: "Acme <no-reply@acme.test>", appUrl: APP, productName: "Acme" });
    mailers.push(mailer);
    const auth = createAuth({ secret: SECRET, storage, clock, mailer });
    auths.push(auth);
    return auth;
  };

  beforeEach(async () => {
    smtp = await startSmtpServer();
    const created = await backend.create();
    storage = created.storage as StorageAdapter & MailStorage;
    cleanup = created.cleanup;
  });
  afterEach(async () => {
    await Promise.all(auths.splice(0).map((a) => a.mail.idle()));
    for (const m of mailers.splice(0)) m.close();
    await smtp.stop();
    await cleanup();
  });

  it("signup → the verification mail arrives with HTML and text → its link verifies → signin works", async () => {
    const auth = makeAuth();
    await auth.signup({ email: "ada@example.com", password: PW, organizationName: "Acme" });
    await auth.mail.idle();
    await smtp.waitFor(1);
    const mail = smtp.received[0];
    expect(mail?.subject).toBe("Confirm your email for Acme");
    expect(mail?.from?.text).toBe('"Acme" <no-reply@acme.test>');
    expect(mail && to(mail)).toBe("ada@example.com");
    expect(mail?.html).toContain(`href="${APP}/verify-email?token=`);
    expect(mail?.text).toContain("Confirm my email");
    await expectAuthError(auth.signin({ email: "ada@example.com", password: PW }), "EMAIL_NOT_VERIFIED");
    await auth.verifyEmail(tokenFromLink(mail, "/verify-email"));
    await expect(auth.signin({ email: "ada@example.com", password: PW })).resolves.toBeDefined();
  });

  it("a reset mail arrives → the reset works → old refresh tokens fail", async () => {
    const auth = makeAuth();
    await auth.signup({ email: "ada@example.com", password: PW, organizationName: "Acme" });
    await auth.mail.idle();
    await smtp.waitFor(1);
    await auth.verifyEmail(tokenFromLink(smtp.received[0], "/verify-email"));
    const session = await auth.signin({ email: "ada@example.com", password: PW });
    await auth.requestPasswordReset("ada@example.com");
    await auth.mail.idle();
    const reset = smtp.received.find((m) => m.subject === "Reset your Acme password");
    await auth.resetPassword(tokenFromLink(reset, "/reset-password"), "a whole new passphrase");
    await expectAuthError(auth.refresh(session.refreshToken), "INVALID_REFRESH_TOKEN");
    await expect(auth.signin({ email: "ada@example.com", password: "a whole new passphrase" })).resolves.toBeDefined();
    await auth.mail.idle();
    expect(smtp.received.map((m) => m.subject)).toContain("Your Acme password was changed");
  });

  it("an invitation mail carries a working accept link", async () => {
    const auth = makeAuth();
    await auth.signup({ email: "owner@example.com", password: PW, organizationName: "Acme" });
    await auth.mail.idle();
    await smtp.waitFor(1);
    await auth.verifyEmail(tokenFromLink(smtp.received[0], "/verify-email"));
    const owner = await auth.authenticate(
      (await auth.signin({ email: "owner@example.com", password: PW })).accessToken,
    );
    const orgId = (await auth.organizations.list(owner))[0]!.organization.id;
    const memberRole = (await auth.roles.list(owner, orgId)).find((r) => r.name === "Member")!.id;
    await auth.invitations.create(owner, orgId, { email: "bob@example.com", roleId: memberRole });
    await auth.mail.idle();
    const invitation = smtp.received.find((m) => to(m) === "bob@example.com");
    expect(invitation?.subject).toBe("You are invited to join Acme on Acme");
    expect(invitation?.text).toContain("owner@example.com invited bob@example.com to join Acme as Member.");
    const { organization } = await auth.signup({
      email: "bob@example.com",
      password: PW,
      invitationToken: tokenFromLink(invitation, "/accept-invitation"),
    });
    expect(organization.id).toBe(orgId);
  });

  it("SMTP down: 20 signups succeed and wait in the outbox; back up, two deliverers send exactly 20 mails", async () => {
    await smtp.stop();
    const first = makeAuth();
    const second = makeAuth();
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        first.signup({ email: `u${i}@example.com`, password: PW, organizationName: `Org ${i}` }),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(20);
    await first.mail.idle();
    const pending = await storage.listMail({ status: MAIL_STATUS.pending, limit: 100 });
    expect(pending).toHaveLength(20);
    expect(pending.every((m) => m.template === "verify-email")).toBe(true);
    expect(pending.some((m) => (m.lastError ?? "").length > 0)).toBe(true);

    await smtp.start();
    clock.advance(3_600_000); // past every backoff
    const reports = await Promise.all([first.mail.deliverPending(), second.mail.deliverPending()]);
    await Promise.all([first.mail.deliverPending(), second.mail.deliverPending()]);
    await smtp.waitFor(20);
    await new Promise((r) => setTimeout(r, 200)); // a 21st mail would have arrived by now
    expect(smtp.received).toHaveLength(20);
    expect(new Set(smtp.received.map(to)).size).toBe(20);
    expect(reports.reduce((n, r) => n + r.sent, 0)).toBeLessThanOrEqual(20);
    expect(await storage.listMail({ status: MAIL_STATUS.sent, limit: 100 })).toHaveLength(20);
  });
});
