import type { Mailer } from "@tenantauth/core";
import type { MailOptions } from "./options.js";
import { createRenderer } from "./render.js";

/**
 * A mailer for development: prints each mail's recipient, subject and plain-text part (links included) instead of
 * sending it.
 *
 * @example createAuth({ ..., mailer: consoleMailer({ appUrl: "http://localhost:3000" }) })
 */
export function consoleMailer(options: MailOptions & { write?: (line: string) => void }): Mailer {
  const { write = (line: string) => console.log(line), ...branding } = options;
  const renderer = createRenderer(branding);
  return {
    async send(mail) {
      const { subject, text } = await renderer.render(mail);
      write(`──── mail to ${mail.to} (${mail.template}) ────\nSubject: ${subject}\n\n${text}\n────`);
    },
  };
}
