import type { MailTemplateData, MailTemplateName } from "@tenantauth/core";
import type { SharedMessages, TemplateMessages } from "./messages.js";
import type { ResolvedMailOptions } from "./options.js";

/**
 * Builds a template's link from its data and the `appUrl` (without a trailing slash). The result must be an
 * absolute http(s) URL.
 *
 * @example const verify: LinkBuilder<"verify-email"> = ({ token }, appUrl) => `${appUrl}/auth/verify/${token}`;
 */
export type LinkBuilder<T extends MailTemplateName> = (data: MailTemplateData[T], appUrl: string) => string;

/** One link builder per template; each one you pass replaces the default. */
export type LinkBuilders = { [T in MailTemplateName]: LinkBuilder<T> };

/** The values every template can show: its data, plus `link`, `productName` and `supportEmail`. */
export type TemplateValues<T extends MailTemplateName> = MailTemplateData[T] & {
  link: string;
  productName: string;
  supportEmail: string;
};

/** What a `subject` or `text` override receives: the real values (plain text, nothing escaped). */
export interface TextContext<T extends MailTemplateName> {
  values: TemplateValues<T>;
  /** The language chosen (after fallback), e.g. `"en"`. */
  locale: string;
  /** This language's words for the template, `{name}` marks not yet filled. */
  messages: TemplateMessages;
  shared: SharedMessages;
  options: ResolvedMailOptions;
  /** Replaces each `{name}` in `text` with its value. */
  fill(text: string): string;
}

/**
 * What an `mjml` override receives. It runs once per (template, language) and is compiled once, so it never sees
 * the mail's data: each string in `values` is a placeholder that is replaced by the HTML-escaped value after
 * compiling. Put placeholders in text or in quoted attributes, never in a tag name or a CSS value. A `null` field
 * (e.g. `invitedByEmail`) is `null` here too, so the MJML may branch on it.
 */
export interface MjmlContext<T extends MailTemplateName> {
  values: TemplateValues<T>;
  locale: string;
  /** This language's words, already HTML-escaped, with `{name}` turned into placeholders: safe to put in MJML. */
  messages: TemplateMessages;
  shared: SharedMessages;
  options: ResolvedMailOptions;
  /** Escapes a constant of your own for MJML text or a quoted attribute. */
  escapeHtml(text: string): string;
}

/** Replaces parts of one template; what you leave out stays the default. */
export interface TemplateOverride<T extends MailTemplateName> {
  subject?: (context: TextContext<T>) => string;
  text?: (context: TextContext<T>) => string;
  mjml?: (context: MjmlContext<T>) => string;
}

/** Overrides per template. */
export type TemplateOverrides = { [T in MailTemplateName]?: TemplateOverride<T> };
