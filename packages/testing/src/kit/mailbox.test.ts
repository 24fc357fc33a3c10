import { describe, expect, it } from "vitest";
import { captureMailer } from "./mailbox.js";

const verify = (to: string, token: string) => ({ template: "verify-email" as const, to, data: { email: to, token } });

describe("captureMailer", () => {
  it("keeps mail and finds the last and all mails to an address, by template too", async () => {
    const mailbox = captureMailer();
    await mailbox.send(verify("ada@example.com", "t1"));
    await mailbox.send({ template: "welcome", to: "ada@example.com", data: { email: "ada@example.com" } });
    await mailbox.send(verify("bob@example.com", "t2"));
    await mailbox.send(verify("ada@example.com", "t3"));
    expect(mailbox.sent).toHaveLength(4);
    expect(mailbox.last("ada@example.com")?.data).toEqual({ email: "ada@example.com", token: "t3" });
    expect(mailbox.last("Ada@Example.com ", "welcome")?.template).toBe("welcome");
    expect(mailbox.all("ada@example.com").map((m) => m.template)).toEqual(["verify-email", "welcome", "verify-email"]);
    expect(mailbox.all("ada@example.com", "verify-email")).toHaveLength(2);
    expect(mailbox.all()).toHaveLength(4);
    expect(mailbox.last("carol@example.com")).toBeUndefined();
    mailbox.clear();
    expect(mailbox.all()).toEqual([]);
  });

  it("builds the links of @tenantauth/mail under appUrl, and finds tokens", async () => {
    const mailbox = captureMailer({ appUrl: "https://app.acme.test/" });
    await mailbox.send(verify("ada@example.com", "a b/c"));
    await mailbox.send({
      template: "password-reset",
      to: "ada@example.com",
      data: { email: "ada@example.com", token: "r1" },
    });
    await mailbox.send({ template: "password-changed", to: "ada@example.com", data: { email: "ada@example.com" } });
    const [verifyMail, reset, changed] = mailbox.all("ada@example.com");
    expect(mailbox.linkIn(verifyMail)).toBe("https://app.acme.test/verify-email?token=a%20b%2Fc");
    expect(mailbox.tokenIn(verifyMail)).toBe("a b/c");
    expect(mailbox.linkIn(reset)).toBe("https://app.acme.test/reset-password?token=r1");
    expect(mailbox.linkIn(changed)).toBe("https://app.acme.test/forgot-password");
    expect(() => mailbox.tokenIn(changed)).toThrow(/carries no token/);
    expect(() => mailbox.linkIn(undefined)).toThrow(/no mail/);
    expect(() => mailbox.tokenIn(mailbox.last("nobody@example.com"))).toThrow(/no mail/);
  });

  it("rejects while down, keeping nothing, and keeps copies of what it received", async () => {
    const mailbox = captureMailer();
    mailbox.down = true;
    await expect(mailbox.send(verify("ada@example.com", "t1"))).rejects.toThrow(/ECONNREFUSED/);
    expect(mailbox.sent).toHaveLength(0);
    mailbox.down = false;
    const mail = verify("ada@example.com", "t1");
    await mailbox.send(mail);
    mail.data.token = "changed later";
    expect(mailbox.tokenIn(mailbox.last("ada@example.com"))).toBe("t1");
  });
});
