import type { OutgoingMail } from "@tenantauth/core";
import { afterEach, describe, expect, it, vi } from "vitest";
import { consoleMailer } from "./console-mailer.js";
import { sampleMails } from "./preview.js";

describe("consoleMailer", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("prints recipient, subject, link and text part to stdout", async () => {
    const out: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
      out.push(String(chunk));
      return true;
    });
    await consoleMailer().send(sampleMails()[1] as OutgoingMail);
    vi.restoreAllMocks();
    const printed = out.join("");
    expect(printed).toContain("mail to ada@example.com (password-reset)");
    expect(printed).toContain("Subject: Reset your tenantauth password");
    expect(printed).toContain("Link: http://localhost:3000/reset-password?token=sample-token-Qw3rTy");
    expect(printed).toContain("Choose a new password: http://localhost:3000/reset-password?token=sample-token-Qw3rTy");
  });

  it("takes branding and a writer", async () => {
    const blocks: string[] = [];
    const mailer = consoleMailer({
      appUrl: "https://app.acme.test",
      productName: "Acme",
      write: (b) => blocks.push(b),
    });
    await mailer.send(sampleMails()[0] as OutgoingMail);
    expect(blocks).toHaveLength(1);
    expect(blocks[0]).toContain("Subject: Confirm your email for Acme");
    expect(blocks[0]).toContain("Link: https://app.acme.test/verify-email?token=sample-token-Qw3rTy");
  });
});
