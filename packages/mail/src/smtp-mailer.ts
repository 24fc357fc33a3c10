import type { Mailer } from "@tenantauth/core";
import nodemailer from "nodemailer";
import type { MailOptions } from "./options.js";
import { createRenderer, type MailRenderer } from "./render.js";

/** A message as this package hands it to a transport (a subset of nodemailer's message options). */
export interface TransportMessage {
  from: string;
  to: { name: string; address: string };
  subject: string;
  html: string;
  text: string;
}

/** A nodemailer transporter (`nodemailer.createTransport(…)`), or anything with the same `sendMail`. */
export interface MailTransport {
  sendMail(message: TransportMessage): Promise<unknown>;
  close?(): void;
}

/** nodemailer SMTP transport options, for when you would rather not build the transporter yourself. */
export interface SmtpTransportOptions {
  host: string;
  port?: number;
  /** TLS from the first byte (port 465); otherwise STARTTLS is used when the server offers it. */
  secure?: boolean;
  auth?: { user: string; pass: string };
  /** Keep connections open and reuse them. */
  pool?: boolean;
  /** Any other nodemailer SMTP option (timeouts, `tls`, …). */
  [option: string]: unknown;
}

/** Options of {@link smtpMailer}: where to send, who sends, and the branding of the mails. */
export type SmtpMailerOptions = MailOptions & {
  /** The sender, e.g. `"Acme <no-reply@acme.test>"`. */
  from: string;
} & (
    | {
        /** An SMTP URL: `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://…:465`; `?pool=true` reuses connections. */
        url: string;
        transport?: never;
      }
    | { transport: MailTransport | SmtpTransportOptions; url?: never }
  );

/** A mailer plus its renderer (for previews and tests). */
export interface SmtpMailer extends Mailer {
  readonly renderer: MailRenderer;
  /** Closes the transport's connections (a pooled transport keeps them open otherwise). */
  close(): void;
}

const isTransport = (value: MailTransport | SmtpTransportOptions): value is MailTransport =>
  typeof (value as { sendMail?: unknown }).sendMail === "function";

function transportOf(url: string | undefined, transport: MailTransport | SmtpTransportOptions | undefined) {
  if (transport) return isTransport(transport) ? transport : (nodemailer.createTransport(transport) as MailTransport);
  let protocol = "";
  try {
    protocol = new URL(url ?? "").protocol;
  } catch {}
  if (protocol !== "smtp:" && protocol !== "smtps:") {
    throw new TypeError("smtpMailer needs `url` (smtp://user:pass@host:587 or smtps://…) or `transport`");
  }
  return nodemailer.createTransport(url as string) as MailTransport;
}

/**
 * Sends tenantauth's mails over SMTP with nodemailer: MJML-rendered HTML plus a plain-text part. Templates are
 * compiled once per (template, language) and cached. A failed delivery rejects, so the outbox retries it later.
 *
 * @example
 * createAuth({
 *   ...,
 *   mailer: smtpMailer({ url: process.env.SMTP_URL!, from: "Acme <no-reply@acme.test>", appUrl: "https://app.acme.test", productName: "Acme" }),
 * });
 * @throws TypeError when `from`, `url`/`transport` or the branding options are invalid.
 */
export function smtpMailer(options: SmtpMailerOptions): SmtpMailer {
  const { from, url, transport, ...branding } = options;
  if (typeof from !== "string" || from.trim() === "") throw new TypeError("smtpMailer needs `from`");
  const renderer = createRenderer(branding);
  const transporter = transportOf(url, transport);
  return {
    renderer,
    async send(mail) {
      const { subject, html, text } = await renderer.render(mail);
      try {
        // An address object, so nodemailer does not parse `to` as a list of recipients.
        await transporter.sendMail({ from, to: { name: "", address: mail.to }, subject, html, text });
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new Error(`SMTP delivery of ${mail.template} failed: ${reason}`, { cause: error });
      }
    },
    close: () => transporter.close?.(),
  };
}
