import type { MailTemplateName } from "@tenantauth/core";

/**
 * The words of one template in one language. `{name}` marks where a value goes (escaped for HTML); the
 * available names are the template's data fields plus `productName` and `link`.
 */
export interface TemplateMessages {
  subject: string;
  heading: string;
  /** Paragraphs before the button. */
  intro: string[];
  /** The button's label; templates without a link have none. */
  action?: string;
  /** Paragraphs after the button. */
  outro: string[];
}

/** A language: the words of every template. */
export type MessageCatalogue = Record<MailTemplateName, TemplateMessages>;

/** English, the default language. Add a language by passing `messages: { fr: { … } }` to the mailer. */
export const en: MessageCatalogue = {
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
    action: "Accept the invitation",
    outro: ["If you did not expect this invitation, you can ignore this email."],
  },
  "password-changed": {
    subject: "Your {productName} password was changed",
    heading: "Your password was changed",
    intro: ["The password of {email} was just changed, and every other session was signed out."],
    outro: ["If this was not you, reset your password now and contact {supportEmail}."],
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
};
