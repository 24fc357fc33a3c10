/** Names of the transactional mails tenantauth sends. */
export const MAIL_TEMPLATES = [
  "verify-email",
  "password-reset",
  "invitation",
  "password-changed",
  "welcome",
  "account-exists",
  "two-factor-enabled",
  "two-factor-disabled",
  "two-factor-locked",
] as const;

/** A transactional mail's template name. */
export type MailTemplateName = (typeof MAIL_TEMPLATES)[number];

/**
 * Data each template receives. Secrets (tokens) arrive in clear here, at delivery time only: in the outbox they
 * are sealed. Links are built by the mailer from its `appUrl` and the token.
 */
export interface MailTemplateData {
  /** Confirm an email address. */
  "verify-email": { email: string; token: string };
  /** Reset a forgotten password. */
  "password-reset": { email: string; token: string };
  /** Join an organization. */
  invitation: {
    email: string;
    token: string;
    organizationName: string;
    roleName: string;
    invitedByEmail: string | null;
  };
  /** Notice that the password was changed or reset. */
  "password-changed": { email: string };
  /** Welcome after the email was verified. */
  welcome: { email: string };
  /** Someone tried to sign up with an address that already has an account. */
  "account-exists": { email: string };
  /** Notice that two-factor sign-in was turned on. */
  "two-factor-enabled": { email: string };
  /** Notice that two-factor sign-in was turned off. */
  "two-factor-disabled": { email: string };
  /**
   * Notice that two-factor sign-in is paused: the password was entered right, then too many wrong codes
   * (`rateLimit.twoFactorSignin`). `retryAfterMinutes`: how long the pause lasts, rounded up.
   */
  "two-factor-locked": { email: string; retryAfterMinutes: number };
}

/**
 * One mail to deliver. `id` is the same at every attempt to deliver one outbox intent (and differs between intents):
 * a mailer uses it as the message's `Message-ID`, so that a mail sent again after an unrecorded success is
 * recognisable as the same message. It reveals nothing (a keyed hash of the intent).
 */
export type OutgoingMail = {
  [T in MailTemplateName]: {
    template: T;
    to: string;
    data: MailTemplateData[T];
    locale?: string | undefined;
    id?: string | undefined;
  };
}[MailTemplateName];

/**
 * Renders and sends transactional mail: any object with `send(mail)`. `send` throws when delivery fails; the
 * outbox then retries with backoff. (SMTP and console mailers are planned for a `@tenantauth/mail` package.)
 */
export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
}
