import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { MAIL_TEMPLATES, type OutgoingMail } from "@tenantauth/core";
import type { MailOptions } from "./options.js";
import { createRenderer } from "./render.js";

const TOKEN = "sample-token-Qw3rTy";

/** One sample mail per template, with every field filled. */
export function sampleMails(): OutgoingMail[] {
  const email = "ada@example.com";
  return MAIL_TEMPLATES.map((template): OutgoingMail => {
    switch (template) {
      case "verify-email":
      case "password-reset":
        return { template, to: email, data: { email, token: TOKEN } };
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
        };
      default:
        return { template, to: email, data: { email } };
    }
  });
}

/** Writes every template, rendered with sample data, as `DIR/<template>.html` and `.txt`. Returns the files. */
export async function writePreviews(dir: string, options: MailOptions): Promise<string[]> {
  const renderer = createRenderer(options);
  await mkdir(dir, { recursive: true });
  const files: string[] = [];
  for (const mail of sampleMails()) {
    const { subject, html, text } = await renderer.render(mail);
    const base = join(dir, mail.template);
    await writeFile(`${base}.html`, html);
    await writeFile(`${base}.txt`, `Subject: ${subject}\n\n${text}\n`);
    files.push(`${base}.html`, `${base}.txt`);
  }
  return files;
}
