import { MAIL_TEMPLATES, type OutgoingMail } from "@tenantauth/core";
import mjml2html from "mjml";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { sampleMails } from "./preview.js";
import { createRenderer } from "./render.js";
import { renderMail } from "./render-mail.js";

// The real compiler, watched: each call is one MJML compilation.
vi.mock("mjml", async (importOriginal) => {
  const real = (await importOriginal()) as { default: typeof mjml2html };
  return { default: vi.fn(real.default) };
});
const compiler = vi.mocked(mjml2html);

const options = { appUrl: "https://app.example.com", productName: "Acme" };
const fr = { "verify-email": { subject: "Confirmez votre adresse pour {productName}" } };

describe("compiled template cache", () => {
  beforeEach(() => {
    compiler.mockClear();
  });

  it("compiles a template once: the second render calls no compiler, yet carries its own data", async () => {
    const renderer = createRenderer(options);
    const mail = sampleMails()[0] as Extract<OutgoingMail, { template: "verify-email" }>;
    const first = await renderer.render(mail);
    expect(compiler).toHaveBeenCalledTimes(1);
    const second = await renderer.render({
      ...mail,
      to: "bo@example.com",
      data: { email: "bo@example.com", token: "other" },
    });
    expect(compiler).toHaveBeenCalledTimes(1);
    expect(second.html).toContain("bo@example.com");
    expect(second.html).toContain("verify-email?token=other");
    expect(second.html).not.toContain("ada@example.com");
    expect(first.html).toContain("ada@example.com");
  });

  it("compiles once per (template, language), however many mails go out, even at once", async () => {
    const renderer = createRenderer({ ...options, messages: { fr } });
    const mails = sampleMails().flatMap((mail) => [mail, { ...mail, locale: "fr" }]);
    await Promise.all([...mails, ...mails, ...mails].map((mail) => renderer.render(mail)));
    expect(compiler).toHaveBeenCalledTimes(MAIL_TEMPLATES.length * 2);
    expect(renderer.compilations).toBe(MAIL_TEMPLATES.length * 2);
    // Unknown languages fall back to English, and share its compiled template.
    await renderer.render({ ...(sampleMails()[0] as OutgoingMail), locale: "de" });
    expect(compiler).toHaveBeenCalledTimes(MAIL_TEMPLATES.length * 2);
  });

  it("compiles a separate variant when a nullable field is null", async () => {
    const renderer = createRenderer(options);
    const invitation = sampleMails()[2] as Extract<OutgoingMail, { template: "invitation" }>;
    await renderer.render(invitation);
    await renderer.render({ ...invitation, data: { ...invitation.data, invitedByEmail: null } });
    await renderer.render({ ...invitation, data: { ...invitation.data, invitedByEmail: null, roleName: "Member" } });
    expect(compiler).toHaveBeenCalledTimes(2);
  });

  it("renderMail reuses the compiled template for equal options, and compiles again for other branding", async () => {
    const mail = sampleMails()[3] as OutgoingMail;
    await renderMail(mail, { ...options, primaryColor: "#123456" });
    await renderMail(mail, { ...options, primaryColor: "#123456" });
    expect(compiler).toHaveBeenCalledTimes(1);
    const other = await renderMail(mail, { ...options, primaryColor: "#654321" });
    expect(compiler).toHaveBeenCalledTimes(2);
    expect(other.html).toContain("#654321");
  });
});
