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
  /** `<id@sender-domain>`, the same at every attempt to deliver one outbox intent. */
  messageId?: string;
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

/**
 * How long an SMTP exchange may wait, in ms. Each is well under the outbox's claim lease (`mail.leaseSeconds`, 300 s by
 * default), so a server that accepts and never answers fails the attempt (retried later) instead of holding the
 * round until the claim lapses and another node sends the mail a second time.
 */
export interface SmtpTimeouts {
  /** To open the TCP connection. @default 10000 */
  connectionMs?: number;
  /** From the connection to the server's greeting. @default 10000 */
  greetingMs?: number;
  /** Of silence on an open connection. @default 30000 */
  socketMs?: number;
}

/** The timeouts a transport gets from {@link smtpMailer} unless given (nodemailer's own are 2 min, 30 s and 10 min). */
export const SMTP_TIMEOUT_DEFAULTS = { connectionMs: 10_000, greetingMs: 10_000, socketMs: 30_000 } as const;

/** Options of {@link smtpMailer}: where to send, who sends, and the branding of the mails. */
export type SmtpMailerOptions = MailOptions & {
  /** The sender, e.g. `"Acme <no-reply@acme.test>"`. */
  from: string;
  /** For a transport built from `url` or options (a transporter of your own keeps its settings). */
  timeouts?: SmtpTimeouts;
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

function timeoutsOf(timeouts: SmtpTimeouts | undefined): Record<string, number> {
  const t = { ...SMTP_TIMEOUT_DEFAULTS, ...timeouts };
  for (const [name, value] of Object.entries(t)) {
    if (!Number.isInteger(value) || value < 1 || value > 600_000) {
      throw new TypeError(`smtpMailer: timeouts.${name} must be a whole number of ms from 1 to 600000`);
    }
  }
  return { connectionTimeout: t.connectionMs, greetingTimeout: t.greetingMs, socketTimeout: t.socketMs };
}

function transportOf(
  url: string | undefined,
  transport: MailTransport | SmtpTransportOptions | undefined,
  timeouts: SmtpTimeouts | undefined,
) {
  if (transport && isTransport(transport)) return transport;
  const bounds = timeoutsOf(timeouts);
  // Options given explicitly (timeouts among them) win over the defaults.
  if (transport) return nodemailer.createTransport({ ...bounds, ...transport }) as MailTransport;
  let protocol = "";
  try {
    protocol = new URL(url ?? "").protocol;
  } catch {}
  if (protocol !== "smtp:" && protocol !== "smtps:") {
    throw new TypeError("smtpMailer needs `url` (smtp://user:pass@host:587 or smtps://…) or `transport`");
  }
  return nodemailer.createTransport({ url: url as string, ...bounds }) as MailTransport;
}

/** The domain of the sender's address (for the Message-ID), or `tenantauth.invalid` when it has none. */
function senderDomain(from: string): string {
  const address = /<([^>]*)>\s*$/.exec(from)?.[1] ?? from;
  const domain = address.slice(address.lastIndexOf("@") + 1).trim();
  return /^[A-Za-z0-9.-]{1,253}$/.test(domain) && address.includes("@") ? domain : "tenantauth.invalid";
}

const MESSAGE_KEY = /^[A-Za-z0-9._-]{1,64}$/;

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
  const { from, url, transport, timeouts, ...branding } = options;
  if (typeof from !== "string" || from.trim() === "") throw new TypeError("smtpMailer needs `from`");
  const renderer = createRenderer(branding);
  const transporter = transportOf(url, transport, timeouts);
  const domain = senderDomain(from);
  return {
    renderer,
    async send(mail) {
      const { subject, html, text } = await renderer.render(mail);
      try {
        // An address object, so nodemailer does not parse `to` as a list of recipients.
        const message: TransportMessage = { from, to: { name: "", address: mail.to }, subject, html, text };
        // The outbox intent's id: a resend after an unrecorded success carries the same Message-ID.
        if (typeof mail.id === "string" && MESSAGE_KEY.test(mail.id)) message.messageId = `<${mail.id}@${domain}>`;
        await transporter.sendMail(message);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new Error(`SMTP delivery of ${mail.template} failed: ${reason}`, { cause: error });
      }
    },
    close: () => transporter.close?.(),
  };
}
