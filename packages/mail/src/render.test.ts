import { MAIL_TEMPLATES, type OutgoingMail } from "@tenantauth/core";
import { describe, expect, it } from "vitest";
import { en } from "./messages.js";
import { sampleMails } from "./preview.js";
import { createRenderer } from "./render.js";

const options = { appUrl: "https://app.example.com/", productName: "Acme", supportEmail: "help@acme.test" };

describe("mail templates", () => {
  it.each(sampleMails().map((m) => [m.template, m] as const))(
    "%s renders HTML and text with its data",
    async (_t, mail) => {
      const { subject, html, text } = await createRenderer(options).render(mail);
      expect(subject).toContain("Acme");
      expect(html).toMatch(/^<!doctype html>/i);
      expect(html).toContain("help@acme.test");
      expect(text).toContain("ada@example.com");
      for (const out of [subject, html, text]) {
        expect(out).not.toMatch(/TAVAR|\{[A-Za-z]+\}/);
      }
      if ("token" in mail.data) {
        expect(text).toContain(`?token=${mail.data.token}`);
        expect(html).toContain(`href="https://app.example.com/`);
        expect(html).toContain(`?token=${mail.data.token}"`);
      }
    },
  );

  it("covers every template of the core contract", () => {
    expect(sampleMails().map((m) => m.template)).toEqual([...MAIL_TEMPLATES]);
  });

  it("escapes hostile values in HTML and keeps them readable in text", async () => {
    const mail: OutgoingMail = {
      template: "invitation",
      to: "x@example.com",
      data: {
        email: "x@example.com",
        token: 'a"b<c>',
        organizationName: '<script>alert("x")</script>',
        roleName: "Admin",
        invitedByEmail: null,
      },
    };
    const { html, text, subject } = await createRenderer(options).render(mail);
    expect(html).not.toContain("<script>alert");
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(html).toContain("token=a%22b%3Cc%3E");
    expect(text).toContain('<script>alert("x")</script>');
    expect(subject).toContain('<script>alert("x")</script>');
  });

  it("applies branding: colour and logo", async () => {
    const renderer = createRenderer({ ...options, primaryColor: "#ff0066", logoUrl: "https://cdn.acme.test/logo.png" });
    const { html } = await renderer.render(sampleMails()[0]!);
    expect(html.toLowerCase()).toContain("#ff0066");
    expect(html).toContain("https://cdn.acme.test/logo.png");
  });

  it("compiles each template once, however many mails are sent", async () => {
    const renderer = createRenderer(options);
    for (let i = 0; i < 3; i++) for (const mail of sampleMails()) await renderer.render(mail);
    expect(renderer.compilations).toBe(MAIL_TEMPLATES.length);
  });

  it("speaks another language when given one, and falls back to English", async () => {
    const renderer = createRenderer({
      ...options,
      messages: {
        fr: { "verify-email": { ...en["verify-email"], subject: "Confirmez votre e-mail pour {productName}" } },
      },
    });
    const mail = sampleMails()[0]!;
    expect((await renderer.render({ ...mail, locale: "fr" })).subject).toBe("Confirmez votre e-mail pour Acme");
    expect((await renderer.render({ ...mail, locale: "de" })).subject).toBe("Confirm your email for Acme");
    expect((await renderer.render({ ...sampleMails()[1]!, locale: "fr" })).subject).toBe("Reset your Acme password");
  });

  it("refuses bad branding with a clear error", () => {
    expect(() => createRenderer({ appUrl: "not a url" })).toThrow(/appUrl/);
    expect(() => createRenderer({ appUrl: "https://a.test", primaryColor: "red" })).toThrow(/primaryColor/);
  });
});
