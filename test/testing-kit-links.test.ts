import { MAIL_TEMPLATES, type OutgoingMail } from "@tenantauth/core";
import { defaultLinks } from "@tenantauth/mail";
import { captureMailer } from "@tenantauth/testing";
import { describe, expect, it } from "vitest";

const data = {
  email: "ada@example.com",
  token: "tok/en+1",
  organizationName: "Acme",
  roleName: "Admin",
  invitedByEmail: null,
};

describe("the test kit's mailbox", () => {
  it.each(MAIL_TEMPLATES)("builds the %s link as @tenantauth/mail does by default", async (template) => {
    const mailbox = captureMailer({ appUrl: "https://app.acme.test" });
    const mail = { template, to: "ada@example.com", data } as OutgoingMail;
    await mailbox.send(mail);
    const build = defaultLinks[template] as (data: unknown, appUrl: string) => string;
    expect(mailbox.linkIn(mailbox.last("ada@example.com"))).toBe(build(data, "https://app.acme.test"));
  });
});
