import { MAIL_TEMPLATES, type OutgoingMail } from "@tenantauth/core";
import { describe, expect, it } from "vitest";
import { hasPlaceholder } from "./placeholders.js";
import { sampleMails } from "./preview.js";
import { createRenderer } from "./render.js";
import { renderMail } from "./render-mail.js";

const options = { appUrl: "https://app.example.com/", productName: "Acme", supportEmail: "help@acme.test" };

const expectedLinks: Record<string, string> = {
  "verify-email": "https://app.example.com/verify-email?token=sample-token-Qw3rTy",
  "password-reset": "https://app.example.com/reset-password?token=sample-token-Qw3rTy",
  invitation: "https://app.example.com/accept-invitation?token=sample-token-Qw3rTy",
  "password-changed": "https://app.example.com/forgot-password",
  welcome: "https://app.example.com",
  "account-exists": "https://app.example.com/signin",
  "two-factor-enabled": "https://app.example.com/account",
  "two-factor-disabled": "https://app.example.com/forgot-password",
  "two-factor-locked": "https://app.example.com/forgot-password",
};

const invitation = (data: Partial<Extract<OutgoingMail, { template: "invitation" }>["data"]>): OutgoingMail => ({
  template: "invitation",
  to: "x@example.com",
  data: {
    email: "x@example.com",
    token: "tok",
    organizationName: "Rockets",
    roleName: "Admin",
    invitedByEmail: "bob@example.com",
    ...data,
  },
});

describe("mail templates", () => {
  it("covers every template of the core contract", () => {
    expect(sampleMails().map((m) => m.template)).toEqual([...MAIL_TEMPLATES]);
  });

  it.each(sampleMails().map((m) => [m.template, m] as const))(
    "%s renders HTML and text with its data and link",
    async (template, mail) => {
      const { subject, html, text, link } = await createRenderer(options).render(mail);
      expect(link).toBe(expectedLinks[template]);
      expect(subject).toContain("Acme");
      expect(html).toMatch(/^<!doctype html>/i);
      expect(html).toContain(`href="${link}"`);
      expect(html).toContain("ada@example.com");
      expect(html).toContain("help@acme.test");
      expect(text).toContain(link);
      expect(text).toContain("ada@example.com");
      expect(text).not.toMatch(/<\/?(div|a|br|p|table|td|span)\b/i);
      for (const out of [subject, html, text]) {
        expect(hasPlaceholder(out)).toBe(false);
        expect(out).not.toMatch(/\{[A-Za-z]+\}|undefined|null/);
      }
    },
  );

  it("fills the invitation's organization, role and inviter, and words it without an inviter", async () => {
    const renderer = createRenderer(options);
    const withInviter = await renderer.render(invitation({}));
    expect(withInviter.subject).toBe("You are invited to join Rockets on Acme");
    expect(withInviter.text).toContain("bob@example.com invited x@example.com to join Rockets as Admin.");
    expect(withInviter.html).toContain("bob@example.com invited x@example.com to join Rockets as Admin.");
    const anonymous = await renderer.render(invitation({ invitedByEmail: null }));
    expect(anonymous.text).toContain("x@example.com is invited to join Rockets on Acme as Admin.");
    expect(anonymous.html).toContain("x@example.com is invited to join Rockets on Acme as Admin.");
  });

  it("escapes hostile values in HTML and keeps them readable in text", async () => {
    const hostile = '<script>alert("x")</script>';
    const { html, text, subject } = await createRenderer({ ...options, productName: "A&B <Co>" }).render(
      invitation({ token: 'a"b<c>', organizationName: hostile, roleName: "<b>Boss</b>", email: "o'neil@example.com" }),
    );
    expect(html).not.toMatch(/<script|<b>Boss/);
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(html).toContain("&lt;b&gt;Boss&lt;/b&gt;");
    expect(html).toContain("o&#39;neil@example.com");
    expect(html).toContain("A&amp;B &lt;Co&gt;");
    expect(html).toContain('href="https://app.example.com/accept-invitation?token=a%22b%3Cc%3E"');
    expect(text).toContain(hostile);
    expect(subject).toBe(`You are invited to join ${hostile} on A&B <Co>`);
  });

  it("keeps the subject on one line whatever a name holds", async () => {
    const { subject } = await createRenderer(options).render(
      invitation({ organizationName: "Evil\r\nBcc: victim@example.com" }),
    );
    expect(subject).toBe("You are invited to join Evil Bcc: victim@example.com on Acme");
  });

  // Issue 13, item 10: a name with CR/LF could forge lines in the plain-text part ("Click http://evil" on a line of
  // its own, under the real text). User-supplied values reach every part without control characters.
  it("strips CR/LF and control characters from organization, role and inviter names in the text part and subject", async () => {
    const hostile = invitation({
      organizationName: "Acme\r\n\r\nURGENT: your account is locked, go to https://evil.example\r\n",
      roleName: "Admin\u0000\u001b[31m\u0085\u2028Click https://evil.example",
      invitedByEmail: "bob@example.com\nBcc: all@example.com",
    });
    const { subject, text, html } = await createRenderer(options).render(hostile);
    const lines = text.split("\n");
    expect(lines[0]).toBe("Join Acme URGENT: your account is locked, go to https://evil.example");
    expect(lines.some((line) => line.startsWith("URGENT") || line.startsWith("Click") || line.startsWith("Bcc"))).toBe(
      false,
    );
    expect(text).toContain(
      "bob@example.com Bcc: all@example.com invited x@example.com to join Acme URGENT: your account is locked, go to https://evil.example as Admin [31m Click https://evil.example.",
    );
    for (const out of [subject, text, html]) {
      // Only the layout's own line breaks remain: none inside a value.
      expect(out.replaceAll("\n", "")).not.toMatch(/[\p{Cc}\u2028\u2029]/u);
    }
    expect(subject).not.toMatch(/[\r\n]/);
  });

  it("applies branding: colour, logo, product, support address, and loads no web font", async () => {
    const renderer = createRenderer({
      ...options,
      primaryColor: "#ff0066",
      logoUrl: "https://cdn.acme.test/logo.png?v=1&s=2",
    });
    const { html, text } = await renderer.render(sampleMails()[0] as OutgoingMail);
    expect(html).toContain("background:#ff0066");
    expect(html).toContain('src="https://cdn.acme.test/logo.png?v=1&amp;s=2"');
    expect(html).toContain('alt="Acme"');
    expect(text).toMatch(/--\nAcme · help@acme\.test$/);
    expect(html).not.toContain("fonts.googleapis.com");
    const plain = await createRenderer(options).render(sampleMails()[0] as OutgoingMail);
    expect(plain.html).not.toContain("<img");
    expect(plain.html).toContain("background:#4f46e5");
  });

  it("builds links with the overrides given, and refuses a non-http link", async () => {
    const renderer = createRenderer({
      ...options,
      links: { "verify-email": ({ token }, appUrl) => `${appUrl}/auth/verify/${token}` },
    });
    const verify = await renderer.render(sampleMails()[0] as OutgoingMail);
    expect(verify.link).toBe("https://app.example.com/auth/verify/sample-token-Qw3rTy");
    expect(verify.html).toContain('href="https://app.example.com/auth/verify/sample-token-Qw3rTy"');
    expect((await renderer.render(sampleMails()[1] as OutgoingMail)).link).toBe(expectedLinks["password-reset"]);
    const evil = createRenderer({ ...options, links: { welcome: () => "javascript:alert(1)" } });
    await expect(evil.render(sampleMails()[4] as OutgoingMail)).rejects.toThrow(
      /welcome link must be an absolute http/,
    );
  });

  it("lets a template's subject, text and MJML be replaced, and keeps values escaped in custom MJML", async () => {
    const renderer = createRenderer({
      ...options,
      templates: {
        invitation: {
          subject: ({ values }) => `${values.organizationName} wants you`,
          text: ({ values, fill }) => `${fill("Hello {email}")}\n${values.link}`,
          mjml: ({ values, escapeHtml }) => `<mjml><mj-body><mj-section><mj-column>
            <mj-text>${escapeHtml("Custom & co:")} ${values.organizationName}${values.invitedByEmail === null ? "" : ` from ${values.invitedByEmail}`}</mj-text>
            <mj-button href="${values.link}">Go</mj-button>
          </mj-column></mj-section></mj-body></mjml>`,
        },
      },
    });
    const custom = await renderer.render(invitation({ organizationName: "<i>Rockets</i>" }));
    expect(custom.subject).toBe("<i>Rockets</i> wants you");
    expect(custom.text).toBe("Hello x@example.com\nhttps://app.example.com/accept-invitation?token=tok");
    expect(custom.html).toContain("Custom &amp; co: &lt;i&gt;Rockets&lt;/i&gt; from bob@example.com");
    expect(custom.html).toContain('href="https://app.example.com/accept-invitation?token=tok"');
    const anonymous = await renderer.render(invitation({ invitedByEmail: null }));
    expect(anonymous.html).toContain("Custom &amp; co: Rockets</div>");
    expect((await renderer.render(sampleMails()[0] as OutgoingMail)).subject).toBe("Confirm your email for Acme");
  });

  it("rejects a render whose custom MJML is invalid, and does not cache the failure", async () => {
    let broken = true;
    const renderer = createRenderer({
      ...options,
      templates: {
        welcome: {
          mjml: () =>
            broken
              ? "<mjml><mj-body><mj-nonsense /></mj-body></mjml>"
              : "<mjml><mj-body><mj-section><mj-column><mj-text>ok</mj-text></mj-column></mj-section></mj-body></mjml>",
        },
      },
    });
    const welcome = sampleMails()[4] as OutgoingMail;
    await expect(renderer.render(welcome)).rejects.toThrow();
    broken = false;
    await expect(renderer.render(welcome)).resolves.toMatchObject({ subject: "Welcome to Acme" });
  });

  it("refuses bad options with one clear error", () => {
    expect(() => createRenderer({ appUrl: "not a url" })).toThrow(/^invalid mail options: appUrl: /);
    expect(() => createRenderer({ appUrl: "ftp://a.test" })).toThrow(/appUrl/);
    expect(() => createRenderer({ appUrl: "https://a.test", primaryColor: "red;x" })).toThrow(/primaryColor/);
    expect(() => createRenderer({ appUrl: "https://a.test", supportEmail: "nope" })).toThrow(/supportEmail/);
    // @ts-expect-error a typo in a template name is refused, at compile time and at run time
    expect(() => createRenderer({ appUrl: "https://a.test", templates: { "verify-emial": {} } })).toThrow(/templates/);
    // @ts-expect-error unknown options are refused
    expect(() => createRenderer({ appUrl: "https://a.test", colour: "#000000" })).toThrow(/colour/);
  });

  it("renderMail renders with plain options", async () => {
    const mail = sampleMails()[1] as OutgoingMail;
    const rendered = await renderMail(mail, options);
    expect(rendered.subject).toBe("Reset your Acme password");
    expect(rendered.text).toContain(expectedLinks["password-reset"]);
  });
});

describe("languages", () => {
  const fr = {
    shared: { pasteLink: "Ou collez ce lien :" },
    "verify-email": {
      subject: "Confirmez votre adresse pour {productName}",
      heading: "Confirmez votre adresse",
      action: "Confirmer",
    },
  };

  it("speaks a language you add, field by field falling back to English", async () => {
    const renderer = createRenderer({ ...options, messages: { fr } });
    const mail = { ...(sampleMails()[0] as OutgoingMail), locale: "fr" };
    const { subject, html, text } = await renderer.render(mail);
    expect(subject).toBe("Confirmez votre adresse pour Acme");
    expect(html).toContain('lang="fr"');
    expect(html).toContain("Confirmez votre adresse");
    expect(html).toContain("Ou collez ce lien :");
    expect(text).toContain(`Confirmer: ${expectedLinks["verify-email"]}`);
    // Not translated: English words.
    expect(text).toContain("This link works for 24 hours.");
    const reset = await renderer.render({ ...(sampleMails()[1] as OutgoingMail), locale: "fr" });
    expect(reset.subject).toBe("Reset your Acme password");
  });

  it("falls back from a regional locale to its language, and from an unknown one to English", async () => {
    const renderer = createRenderer({ ...options, messages: { fr } });
    const mail = sampleMails()[0] as OutgoingMail;
    expect((await renderer.render({ ...mail, locale: "fr-CA" })).subject).toBe("Confirmez votre adresse pour Acme");
    const de = await renderer.render({ ...mail, locale: "de" });
    expect(de.subject).toBe("Confirm your email for Acme");
    expect(de.html).toContain('lang="en"');
    expect((await renderer.render(mail)).subject).toBe("Confirm your email for Acme");
  });

  it("uses defaultLocale for mails that name no language", async () => {
    const renderer = createRenderer({ ...options, messages: { fr }, defaultLocale: "fr" });
    const mail = sampleMails()[0] as OutgoingMail;
    expect((await renderer.render(mail)).subject).toBe("Confirmez votre adresse pour Acme");
    expect((await renderer.render({ ...mail, locale: "en" })).subject).toBe("Confirm your email for Acme");
  });

  it("escapes a translator's markup like any other text", async () => {
    const renderer = createRenderer({
      ...options,
      messages: { xx: { welcome: { heading: "<img src=x onerror=alert(1)> {email}" } } },
    });
    const { html } = await renderer.render({ ...(sampleMails()[4] as OutgoingMail), locale: "xx" });
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt; ada@example.com");
    expect(html).not.toContain("<img src=x");
  });
});
