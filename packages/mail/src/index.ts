export type { MailCommand } from "./cli-args.js";
export { parseMailArgs } from "./cli-args.js";
export type { ConsoleMailerOptions } from "./console-mailer.js";
export { consoleMailer } from "./console-mailer.js";
export { escapeHtml } from "./escape.js";
export { defaultLinks } from "./links.js";
export type { MessageCatalogue, PartialCatalogue, SharedMessages, TemplateMessages } from "./messages.js";
export { en } from "./messages.js";
export type { MailOptions, ResolvedMailOptions } from "./options.js";
export { mailOptionsSchema, parseMailOptions } from "./options.js";
export { sampleMails, writePreviews } from "./preview.js";
export type { MailRenderer, RenderedMail } from "./render.js";
export { createRenderer } from "./render.js";
export { renderMail } from "./render-mail.js";
export type { CliIo } from "./run-cli.js";
export { runMailCli } from "./run-cli.js";
export type {
  MailTransport,
  SmtpMailer,
  SmtpMailerOptions,
  SmtpTimeouts,
  SmtpTransportOptions,
  TransportMessage,
} from "./smtp-mailer.js";
export { SMTP_TIMEOUT_DEFAULTS, smtpMailer } from "./smtp-mailer.js";
export type {
  LinkBuilder,
  LinkBuilders,
  MjmlContext,
  TemplateOverride,
  TemplateOverrides,
  TemplateValues,
  TextContext,
} from "./template-types.js";
