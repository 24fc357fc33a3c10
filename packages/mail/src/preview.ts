import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { MAIL_TEMPLATES, type OutgoingMail } from "@tenantauth/core";
import type { MailOptions } from "./options.js";
import { createRenderer } from "./render.js";

const TOKEN = "sample-token-Qw3rTy";

/**
 * One sample mail per template, every field filled (the organization name holds markup, to show escaping).
 *
 * @example for (const mail of sampleMails("fr")) console.log(await renderMail(mail, options));
 */
export function sampleMails(locale?: string): OutgoingMail[] {
  const email = "ada@example.com";
  const withLocale = locale ? { locale } : {};
  return MAIL_TEMPLATES.map((template): OutgoingMail => {
    switch (template) {
      case "verify-email":
      case "password-reset":
        return { template, to: email, data: { email, token: TOKEN }, ...withLocale };
      case "invitation":
        return {
          template,
          to: email,
          data: {
            email,
            token: TOKEN,
            organizationName: "Acme <Rockets> & Co",
            roleName: "Admin",
            invitedByEmail: "bob@example.com",
          },
          ...withLocale,
        };
      case "two-factor-locked":
        return { template, to: email, data: { email, retryAfterMinutes: 15 }, ...withLocale };
      default:
        return { template, to: email, data: { email }, ...withLocale };
    }
  });
}

/**
 * Writes every template, rendered with sample data, as `DIR/<template>.html` and `DIR/<template>.txt` (the text
 * part under a `Subject:` line). Creates the folder. Returns the files written.
 *
 * @example await writePreviews("mail-preview", { appUrl: "https://app.example.com", productName: "Acme" });
 * @throws TypeError when the options are invalid.
 */
export async function writePreviews(dir: string, options: MailOptions, locale?: string): Promise<string[]> {
  const renderer = createRenderer(options);
  await mkdir(dir, { recursive: true });
  const files: string[] = [];
  for (const mail of sampleMails(locale)) {
    const { subject, html, text } = await renderer.render(mail);
    const base = join(dir, mail.template);
    await writeFile(`${base}.html`, html);
    await writeFile(`${base}.txt`, `Subject: ${subject}\n\n${text}\n`);
    files.push(`${base}.html`, `${base}.txt`);
  }
  return files;
}
