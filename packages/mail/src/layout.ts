import type { MailTemplateName } from "@tenantauth/core";
import { escapeHtml } from "./escape.js";
import type { TemplateMessages } from "./messages.js";
import type { MjmlContext } from "./template-types.js";

/** The paragraphs before the button: invitations sent by nobody in particular have their own. */
export function introOf(messages: TemplateMessages, values: Readonly<Record<string, unknown>>): string[] {
  return values.invitedByEmail === null && messages.introWithoutInviter ? messages.introWithoutInviter : messages.intro;
}

const FONT = "-apple-system, BlinkMacSystemFont, 'Segoe UI', Helvetica, Arial, sans-serif";

/**
 * The default MJML of every template: logo, heading, paragraphs, a button with the link, the bare link, footer.
 * No web font is linked, so the mail loads nothing but the logo.
 */
export function defaultMjml<T extends MailTemplateName>(context: MjmlContext<T>): string {
  const { messages, shared, values, options } = context;
  const color = options.primaryColor; // validated as #rrggbb
  const paragraph = (html: string): string => `<mj-text>${html}</mj-text>`;
  const logo = options.logoUrl
    ? `<mj-image width="120px" align="left" padding-bottom="8px" src="${escapeHtml(options.logoUrl)}" alt="${values.productName}" />`
    : "";
  return `<mjml lang="${escapeHtml(context.locale)}">
  <mj-head>
    <mj-title>${messages.subject}</mj-title>
    <mj-preview>${messages.heading}</mj-preview>
    <mj-attributes>
      <mj-all font-family="${FONT}" />
      <mj-text font-size="15px" line-height="22px" color="#333333" />
    </mj-attributes>
  </mj-head>
  <mj-body background-color="#f4f4f7" width="560px">
    <mj-section padding="24px 0 0"><mj-column></mj-column></mj-section>
    <mj-section background-color="#ffffff" border-radius="8px" padding="24px 16px">
      <mj-column>
        ${logo}
        <mj-text font-size="22px" line-height="30px" font-weight="bold" color="${color}">${messages.heading}</mj-text>
        ${introOf(messages, values).map(paragraph).join("\n        ")}
        <mj-button background-color="${color}" color="#ffffff" href="${values.link}" font-size="15px" border-radius="6px" align="left">${messages.action}</mj-button>
        <mj-text font-size="12px" line-height="18px" color="#666666">${shared.pasteLink}<br /><a href="${values.link}" style="color: ${color}; word-break: break-all;">${values.link}</a></mj-text>
        ${messages.outro.map(paragraph).join("\n        ")}
      </mj-column>
    </mj-section>
    <mj-section padding="8px 0 24px">
      <mj-column>
        <mj-text font-size="12px" color="#999999" align="center">${shared.footer}</mj-text>
      </mj-column>
    </mj-section>
  </mj-body>
</mjml>`;
}

/** The default plain-text part: the same words, paragraph by paragraph, and the bare link. */
export function defaultText(
  messages: TemplateMessages,
  footer: string,
  values: Readonly<Record<string, unknown>>,
  fill: (text: string) => string,
): string {
  return [
    fill(messages.heading),
    ...introOf(messages, values).map(fill),
    `${fill(messages.action)}: ${String(values.link)}`,
    ...messages.outro.map(fill),
    `--\n${fill(footer)}`,
  ].join("\n\n");
}
