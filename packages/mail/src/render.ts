import type { MailTemplateName, OutgoingMail } from "@tenantauth/core";
import mjml2html from "mjml";
import { escapeHtml } from "./escape.js";
import { en, type MessageCatalogue, type TemplateMessages } from "./messages.js";
import { type MailOptions, mailOptionsSchema, type ResolvedMailOptions } from "./options.js";

/** A rendered mail. */
export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
}

/** Renders templates, compiling each (template, language) once. */
export interface MailRenderer {
  render(mail: OutgoingMail): Promise<RenderedMail>;
  /** How many MJML compilations have run (for tests and benchmarks). */
  readonly compilations: number;
  readonly options: ResolvedMailOptions;
}

const marker = (name: string): string => `TAVAR${name.replace(/[^A-Za-z]/g, "")}TAVAR`;
const MARKER = /TAVAR([A-Za-z]+)TAVAR/g;

/** `{name}` → a marker that survives MJML, in escaped literal text. */
function withMarkers(text: string): string {
  return text
    .split(/(\{[A-Za-z]+\})/)
    .map((part) => (/^\{[A-Za-z]+\}$/.test(part) ? marker(part.slice(1, -1)) : escapeHtml(part)))
    .join("");
}

/** `{name}` → the value, for the plain-text part and the subject. */
function fill(text: string, values: Record<string, string>): string {
  return text.replace(/\{([A-Za-z]+)\}/g, (_, name: string) => values[name] ?? "");
}

function mjmlOf(messages: TemplateMessages, options: ResolvedMailOptions): string {
  const paragraph = (p: string): string =>
    `<mj-text font-size="15px" line-height="22px" color="#333333">${withMarkers(p)}</mj-text>`;
  const logo = options.logoUrl ? `<mj-image width="120px" src="${escapeHtml(options.logoUrl)}" alt="" />` : "";
  const button = messages.action
    ? `<mj-button background-color="${options.primaryColor}" href="${marker("link")}" font-size="15px" border-radius="6px">${withMarkers(messages.action)}</mj-button>
       <mj-text font-size="12px" color="#666666">${withMarkers("Or paste this link into your browser: {link}")}</mj-text>`
    : "";
  return `<mjml>
  <mj-head><mj-title>${withMarkers(messages.subject)}</mj-title><mj-preview>${withMarkers(messages.heading)}</mj-preview></mj-head>
  <mj-body background-color="#f4f4f7">
    <mj-section><mj-column>
      ${logo}
      <mj-text font-size="22px" font-weight="bold" color="${options.primaryColor}">${withMarkers(messages.heading)}</mj-text>
      ${messages.intro.map(paragraph).join("\n")}
      ${button}
      ${messages.outro.map(paragraph).join("\n")}
      <mj-divider border-color="#e5e5e5" border-width="1px" />
      <mj-text font-size="12px" color="#999999">${withMarkers("{productName} · {supportEmail}")}</mj-text>
    </mj-column></mj-section>
  </mj-body>
</mjml>`;
}

function linkOf(mail: OutgoingMail, options: ResolvedMailOptions): string {
  const base = options.appUrl.replace(/\/+$/, "");
  const withToken = (path: string, token: string): string => `${base}${path}?token=${encodeURIComponent(token)}`;
  switch (mail.template) {
    case "verify-email":
      return withToken(options.paths.verifyEmail, mail.data.token);
    case "password-reset":
      return withToken(options.paths.resetPassword, mail.data.token);
    case "invitation":
      return withToken(options.paths.acceptInvitation, mail.data.token);
    case "account-exists":
      return `${base}${options.paths.signIn}`;
    default:
      return base;
  }
}

function messagesFor(
  template: MailTemplateName,
  locale: string | undefined,
  options: ResolvedMailOptions,
): TemplateMessages {
  const catalogue = (locale ? options.messages[locale] : undefined) as Partial<MessageCatalogue> | undefined;
  return catalogue?.[template] ?? en[template];
}

/**
 * Creates a renderer. Each (template, language) is compiled from MJML once, with markers where values go; a
 * render then only substitutes the HTML-escaped values, so sending stays cheap and user input cannot inject markup.
 *
 * @example const { subject, html, text } = await createRenderer({ appUrl: "https://app.example.com" }).render(mail);
 */
export function createRenderer(input: MailOptions): MailRenderer {
  const options = mailOptionsSchema.parse(input);
  const compiled = new Map<string, Promise<string>>();
  let compilations = 0;
  const compile = (
    template: MailTemplateName,
    locale: string | undefined,
    messages: TemplateMessages,
  ): Promise<string> => {
    const key = `${template}:${locale ?? ""}`;
    let html = compiled.get(key);
    if (!html) {
      compilations += 1;
      html = Promise.resolve(mjml2html(mjmlOf(messages, options), { validationLevel: "strict" })).then((r) => r.html);
      compiled.set(key, html);
    }
    return html;
  };
  return {
    options,
    get compilations() {
      return compilations;
    },
    async render(mail) {
      const messages = messagesFor(mail.template, mail.locale, options);
      const values: Record<string, string> = {
        productName: options.productName,
        supportEmail: options.supportEmail,
        ...Object.fromEntries(Object.entries(mail.data).map(([k, v]) => [k, v === null ? "" : String(v)])),
        link: linkOf(mail, options),
      };
      const html = (await compile(mail.template, mail.locale, messages)).replace(MARKER, (_, name: string) =>
        escapeHtml(values[name] ?? ""),
      );
      const text = [
        fill(messages.heading, values),
        "",
        ...messages.intro.map((p) => fill(p, values)),
        ...(messages.action ? ["", `${fill(messages.action, values)}: ${values.link}`] : []),
        "",
        ...messages.outro.map((p) => fill(p, values)),
        "",
        `${options.productName} · ${options.supportEmail}`,
      ].join("\n");
      return { subject: fill(messages.subject, values), html, text };
    },
  };
}
