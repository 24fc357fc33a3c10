import type { Mailer } from "@tenantauth/core";
import nodemailer, { type Transporter } from "nodemailer";
import type { MailOptions } from "./options.js";
import { createRenderer, type MailRenderer } from "./render.js";

/** Options of {@link smtpMailer}: where to send, who sends, and the branding of the mails. */
export type SmtpMailerOptions = MailOptions & {
  /** The sender, e.g. `"Acme <no-reply@acme.test>"`. */
  from: string;
} & ({ url: string; transport?: never } | { transport: Transporter; url?: never });

/** A mailer plus its renderer (for previews and tests). */
export interface SmtpMailer extends Mailer {
  readonly renderer: MailRenderer;
  /** Closes the SMTP connection pool. */
  close(): void;
}

/**
 * Sends tenantauth's mails over SMTP with nodemailer: MJML-rendered HTML plus a plain-text part. A failed send
 * rejects, so the outbox retries it later.
 *
 * @example createAuth({ ..., mailer: smtpMailer({ url: process.env.SMTP_URL!, from: "Acme <no-reply@acme.test>", appUrl: "https://app.acme.test" }) })
 */
export function smtpMailer(options: SmtpMailerOptions): SmtpMailer {
  const { from, url, transport, ...branding } = options;
  const renderer = createRenderer(branding);
  const transporter: Transporter = transport ?? nodemailer.createTransport(url as string);
  return {
    renderer,
    async send(mail) {
      const rendered = await renderer.render(mail);
      await transporter.sendMail({
        from,
        to: mail.to,
        subject: rendered.subject,
        html: rendered.html,
        text: rendered.text,
      });
    },
    close: () => transporter.close(),
  };
}
