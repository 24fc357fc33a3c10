import type { MailTemplateName, OutgoingMail } from "@tenantauth/core";
import mjml2html from "mjml";
import { escapeHtml } from "./escape.js";
import { defaultMjml, defaultText } from "./layout.js";
import { linkOf } from "./links.js";
import { en, type SharedMessages, type TemplateMessages } from "./messages.js";
import { type MailOptions, parseMailOptions, type ResolvedMailOptions } from "./options.js";
import { fill, placeholder, substitute, toMjmlText } from "./placeholders.js";
import type { MjmlContext, TemplateOverride, TextContext } from "./template-types.js";

/** A rendered mail: what a mailer sends. */
export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
  /** The mail's link (also inside `html` and `text`). */
  link: string;
}

/** Renders mails with one set of options, compiling each (template, language) from MJML once. */
export interface MailRenderer {
  /**
   * Renders one mail.
   *
   * @throws Error when a template override yields invalid MJML or a link builder a non-http(s) URL.
   */
  render(mail: OutgoingMail): Promise<RenderedMail>;
  /** How many MJML compilations this renderer has run (for tests and benchmarks). */
  readonly compilations: number;
  readonly options: ResolvedMailOptions;
}

type Values = Record<string, unknown>;
type AnyOverride = TemplateOverride<MailTemplateName>;

/** Control characters (C0, DEL, C1), line and paragraph separators, and bidirectional overrides. */
const CONTROL = /[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]+/gu;

/**
 * The mail's data with every string on one line: each run of control characters (CR and LF included) becomes one
 * space, and spaces are collapsed and trimmed. Names come from users (organization, role, inviter); in the plain-text
 * part a line break in one could forge lines of its own ("Click https://…") under the real text.
 */
function oneLineValues<T extends object>(data: T): T {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(data)) {
    out[name] = typeof value === "string" ? value.replace(CONTROL, " ").replace(/ {2,}/g, " ").trim() : value;
  }
  return out as T;
}

/** The language a mail is written in: its locale, else that locale's base language, else the default, else English. */
function resolveLocale(requested: string | undefined, options: ResolvedMailOptions): string {
  const candidates = requested ? [requested, requested.split(/[-_]/)[0]?.toLowerCase()] : [];
  for (const locale of [...candidates, options.defaultLocale]) {
    if (locale && (locale === "en" || Object.hasOwn(options.messages, locale))) return locale;
  }
  return "en";
}

/** The words of one template in one language, each missing field taken from English. */
function wordsOf(template: MailTemplateName, locale: string, options: ResolvedMailOptions) {
  const catalogue = Object.hasOwn(options.messages, locale) ? options.messages[locale] : undefined;
  const messages: TemplateMessages = { ...en[template], ...catalogue?.[template] };
  const shared: SharedMessages = { ...en.shared, ...catalogue?.shared };
  return { messages, shared };
}

const asMjml = (messages: TemplateMessages): TemplateMessages => ({
  subject: toMjmlText(messages.subject),
  heading: toMjmlText(messages.heading),
  intro: messages.intro.map(toMjmlText),
  ...(messages.introWithoutInviter ? { introWithoutInviter: messages.introWithoutInviter.map(toMjmlText) } : {}),
  action: toMjmlText(messages.action),
  outro: messages.outro.map(toMjmlText),
});

/**
 * Creates a renderer. Each (template, language) is compiled from MJML once, with placeholders where values go; a
 * render then only substitutes the HTML-escaped values into the cached HTML. User input never reaches the MJML
 * compiler, so it cannot inject markup, and sending stays cheap.
 *
 * @example
 * const renderer = createRenderer({ appUrl: "https://app.example.com", productName: "Acme" });
 * const { subject, html, text } = await renderer.render({ template: "welcome", to: "ada@example.com", data: { email: "ada@example.com" } });
 * @throws TypeError when the options are invalid.
 */
export function createRenderer(input: MailOptions): MailRenderer {
  const options = parseMailOptions(input);
  const compiled = new Map<string, Promise<string>>();
  let compilations = 0;

  const compile = (template: MailTemplateName, locale: string, rawValues: Values): Promise<string> => {
    // Only which fields are null changes the MJML (a template may branch on them); values never do.
    const nulls = Object.keys(rawValues).filter((key) => rawValues[key] === null);
    const key = `${template}\u0000${locale}\u0000${nulls.join(",")}`;
    const cached = compiled.get(key);
    if (cached) return cached;
    const { messages, shared } = wordsOf(template, locale, options);
    const values = Object.fromEntries(
      Object.entries(rawValues).map(([name, value]) => [name, value === null ? null : placeholder(name)]),
    );
    const context = {
      values,
      locale,
      messages: asMjml(messages),
      shared: { pasteLink: toMjmlText(shared.pasteLink), footer: toMjmlText(shared.footer) },
      options,
      escapeHtml,
    } as MjmlContext<MailTemplateName>;
    const override = options.templates[template] as AnyOverride | undefined;
    compilations += 1;
    const html = (async () => {
      const source = (override?.mjml ?? defaultMjml)(context);
      const result = await mjml2html(source, { validationLevel: "strict" });
      return result.html;
    })();
    compiled.set(key, html);
    html.catch(() => compiled.delete(key)); // a failed compile is retried next time, not cached
    return html;
  };

  return {
    options,
    get compilations() {
      return compilations;
    },
    async render(input) {
      const mail = { ...input, data: oneLineValues(input.data) } as OutgoingMail;
      const locale = resolveLocale(mail.locale, options);
      const link = linkOf(mail, options.appUrl, options.links);
      const values: Values = {
        ...mail.data,
        link,
        productName: options.productName,
        supportEmail: options.supportEmail,
      };
      const html = substitute(await compile(mail.template, locale, values), values);
      const { messages, shared } = wordsOf(mail.template, locale, options);
      const fillValues = (text: string): string => fill(text, values);
      const context = { values, locale, messages, shared, options, fill: fillValues } as TextContext<MailTemplateName>;
      const override = options.templates[mail.template] as AnyOverride | undefined;
      // A subject is one header line, whatever a name holds.
      const subject = (override?.subject?.(context) ?? fillValues(messages.subject))
        .replace(CONTROL, " ")
        .replace(/\s+/g, " ")
        .trim();
      const text = override?.text?.(context) ?? defaultText(messages, shared.footer, values, fillValues);
      return { subject, html, text, link };
    },
  };
}
