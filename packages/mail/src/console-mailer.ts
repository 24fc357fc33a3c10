import type { Mailer } from "@tenantauth/core";
import type { MailOptions } from "./options.js";
import { createRenderer } from "./render.js";

/** Options of {@link consoleMailer}: branding (`appUrl` defaults to `http://localhost:3000`) and where to print. */
export type ConsoleMailerOptions = Partial<MailOptions> & {
  /** Prints one mail. @default a write to stdout */
  write?: (block: string) => void;
};

/**
 * A mailer for development: prints each mail's recipient, subject, link and plain-text part to stdout instead of
 * sending it.
 *
 * @example createAuth({ ..., mailer: consoleMailer({ appUrl: "http://localhost:5173" }) })
 * @throws TypeError when the branding options are invalid.
 */
export function consoleMailer(options: ConsoleMailerOptions = {}): Mailer {
  const { write = (block: string) => process.stdout.write(`${block}\n`), ...branding } = options;
  const renderer = createRenderer({ ...branding, appUrl: branding.appUrl ?? "http://localhost:3000" });
  return {
    async send(mail) {
      const { subject, text, link } = await renderer.render(mail);
      write(
        [
          `──── mail to ${mail.to} (${mail.template}) ────`,
          `Subject: ${subject}`,
          `Link: ${link}`,
          "",
          text,
          "────",
        ].join("\n"),
      );
    },
  };
}
