import type { Mailer, MailTemplateName, OutgoingMail } from "@tenantauth/core";

/** A mail the {@link Mailbox} received, as tenantauth handed it to the mailer. */
export type CapturedMail = OutgoingMail;

/** Options of {@link captureMailer}. */
export interface MailboxOptions {
  /** Base URL of the links that {@link Mailbox.linkIn} builds. @default "http://app.test" */
  appUrl?: string;
}

/**
 * A {@link Mailer} that keeps every mail instead of sending it, with helpers to read them. The links it builds use
 * the same paths as the default links of `@tenantauth/mail` (`/verify-email?token=…`, `/reset-password?token=…`,
 * `/accept-invitation?token=…`).
 */
export interface Mailbox extends Mailer {
  /** Every mail received, oldest first. */
  readonly sent: readonly CapturedMail[];
  /** While true, `send` rejects as an unreachable SMTP server would (the outbox keeps the mail and retries). */
  down: boolean;
  /** The newest mail to `to` (of `template`, when given), or `undefined`. */
  last(to: string, template?: MailTemplateName): CapturedMail | undefined;
  /** Every mail to `to` (of `template`, when given), oldest first; with no `to`, every mail. */
  all(to?: string, template?: MailTemplateName): CapturedMail[];
  /** The token a mail carries (verify-email, password-reset, invitation). @throws Error when it carries none */
  tokenIn(mail: CapturedMail | undefined): string;
  /** The link a reader of the mail would click. @throws Error when `mail` is `undefined` */
  linkIn(mail: CapturedMail | undefined): string;
  /** Forgets every mail received so far. */
  clear(): void;
}

/**
 * The path of each template's link, as @tenantauth/mail builds it by default; a token, when the template carries
 * one, goes in `?token=`. Total over the templates, so a new template cannot be forgotten here.
 */
const LINKS: Record<MailTemplateName, { path: string; token: boolean }> = {
  "verify-email": { path: "/verify-email", token: true },
  "password-reset": { path: "/reset-password", token: true },
  invitation: { path: "/accept-invitation", token: true },
  "password-changed": { path: "/forgot-password", token: false },
  welcome: { path: "", token: false },
  "account-exists": { path: "/signin", token: false },
  "two-factor-enabled": { path: "/account", token: false },
  "two-factor-disabled": { path: "/forgot-password", token: false },
  "two-factor-locked": { path: "/forgot-password", token: false },
};

const describeMail = (mail: CapturedMail): string => `the ${mail.template} mail to ${mail.to}`;

/**
 * Creates a {@link Mailbox}. `createTestAuth()` makes one for you (`t.mailbox`).
 *
 * @example
 * await auth.signup({ email: "ada@example.com", password, organizationName: "Acme" });
 * await auth.mail.idle();
 * const token = mailbox.tokenIn(mailbox.last("ada@example.com", "verify-email"));
 */
export function captureMailer(options: MailboxOptions = {}): Mailbox {
  const appUrl = (options.appUrl ?? "http://app.test").replace(/\/+$/, "");
  const sent: CapturedMail[] = [];
  const matches = (mail: CapturedMail, to?: string, template?: MailTemplateName): boolean =>
    (to === undefined || mail.to === to.trim().toLowerCase()) && (template === undefined || mail.template === template);
  const mailbox: Mailbox = {
    sent,
    down: false,
    async send(mail) {
      if (mailbox.down) throw new Error("connect ECONNREFUSED 127.0.0.1:25 (mailbox.down is true)");
      sent.push(structuredClone(mail));
    },
    last: (to, template) => sent.filter((mail) => matches(mail, to, template)).at(-1),
    all: (to, template) => sent.filter((mail) => matches(mail, to, template)),
    tokenIn(mail) {
      if (mail === undefined) throw new Error("tokenIn: no mail (did you await auth.mail.idle()?)");
      const token = (mail.data as { token?: unknown }).token;
      if (typeof token !== "string") throw new Error(`tokenIn: ${describeMail(mail)} carries no token`);
      return token;
    },
    linkIn(mail) {
      if (mail === undefined) throw new Error("linkIn: no mail (did you await auth.mail.idle()?)");
      const link = LINKS[mail.template];
      if (link.token) return `${appUrl}${link.path}?token=${encodeURIComponent(mailbox.tokenIn(mail))}`;
      return `${appUrl}${link.path}`;
    },
    clear() {
      sent.length = 0;
    },
  };
  return mailbox;
}
