import type { MailTemplateName } from "@tenantauth/core";

/**
 * The words of one template in one language. `{name}` marks where a value goes (HTML-escaped in the HTML part):
 * the template's data fields (`email`, `organizationName`, …) plus `productName`, `supportEmail` and `link`.
 */
export interface TemplateMessages {
  subject: string;
  heading: string;
  /** Paragraphs before the button. */
  intro: string[];
  /** Invitations only: the paragraphs before the button when nobody in particular sent it (`invitedByEmail: null`). */
  introWithoutInviter?: string[];
  /** The button's label. */
  action: string;
  /** Paragraphs after the button. */
  outro: string[];
}

/** Words shared by every template of a language. */
export interface SharedMessages {
  /** Under the button, before the bare link. */
  pasteLink: string;
  /** The last line of every mail. */
  footer: string;
}

/** A language: the words of every template, plus the shared ones. */
export type MessageCatalogue = Record<MailTemplateName, TemplateMessages> & { shared: SharedMessages };

/**
 * What a language you add may hold: any template or field it leaves out falls back to English, field by field.
 *
 * @example const fr: PartialCatalogue = { "verify-email": { subject: "Confirmez votre adresse pour {productName}" } };
 */
export type PartialCatalogue = { [K in keyof MessageCatalogue]?: Partial<MessageCatalogue[K]> };

/** English, the default language and the fallback of every other. */
export const en: MessageCatalogue = {
  shared: {
    pasteLink: "Or paste this link into your browser:",
    footer: "{productName} · {supportEmail}",
  },
  "verify-email": {
    subject: "Confirm your email for {productName}",
    heading: "Confirm your email address",
    intro: ["Welcome to {productName}. Please confirm that {email} is your address."],
    action: "Confirm my email",
    outro: ["This link works for 24 hours. If you did not sign up, you can ignore this email."],
  },
  "password-reset": {
    subject: "Reset your {productName} password",
    heading: "Reset your password",
    intro: ["Someone asked to reset the password of {email}. If it was you, choose a new one:"],
    action: "Choose a new password",
    outro: ["This link works for one hour. If you did not ask, ignore this email: your password stays the same."],
  },
  invitation: {
    subject: "You are invited to join {organizationName} on {productName}",
    heading: "Join {organizationName}",
    intro: ["{invitedByEmail} invited {email} to join {organizationName} as {roleName}."],
    introWithoutInviter: ["{email} is invited to join {organizationName} on {productName} as {roleName}."],
    action: "Accept the invitation",
    outro: ["If you did not expect this invitation, you can ignore this email."],
  },
  "password-changed": {
    subject: "Your {productName} password was changed",
    heading: "Your password was changed",
    intro: ["The password of {email} was just changed, and every other session was signed out."],
    action: "Reset my password",
    outro: ["If this was not you, reset your password now and write to {supportEmail}."],
  },
  welcome: {
    subject: "Welcome to {productName}",
    heading: "Welcome aboard",
    intro: ["Your email {email} is confirmed. You are all set."],
    action: "Open {productName}",
    outro: ["Questions? Write to {supportEmail}."],
  },
  "account-exists": {
    subject: "Sign-up attempt on {productName}",
    heading: "You already have an account",
    intro: ["Someone tried to sign up with {email}, which already has an account."],
    action: "Sign in",
    outro: ["If this was you, sign in or reset your password. If not, you can ignore this email."],
  },
  "two-factor-enabled": {
    subject: "Two-factor sign-in is on for your {productName} account",
    heading: "Two-factor sign-in is on",
    intro: ["Signing in as {email} now also asks for a code from your authenticator app."],
    action: "Review my account",
    outro: [
      "Keep your backup codes somewhere safe. If this was not you, reset your password and write to {supportEmail}.",
    ],
  },
  "two-factor-disabled": {
    subject: "Two-factor sign-in was turned off on {productName}",
    heading: "Two-factor sign-in is off",
    intro: ["Signing in as {email} no longer asks for a code from your authenticator app."],
    action: "Reset my password",
    outro: ["If this was not you, reset your password now and write to {supportEmail}."],
  },
  "two-factor-locked": {
    subject: "Two-factor sign-in is paused on your {productName} account",
    heading: "Too many wrong codes",
    intro: [
      "Someone signed in as {email} with the right password, then entered too many wrong codes from an authenticator app. Two-factor sign-in is paused for {retryAfterMinutes} minutes.",
    ],
    action: "Reset my password",
    outro: ["If this was not you, your password is known to someone else: reset it now and write to {supportEmail}."],
  },
};
