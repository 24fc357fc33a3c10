import { MAIL_TEMPLATES } from "@tenantauth/core";
import * as z from "zod";
import type { PartialCatalogue } from "./messages.js";
import type { LinkBuilders, TemplateOverrides } from "./template-types.js";

const url = z.url({ protocol: /^https?$/, error: "must be an absolute http(s) URL" });

const isRecordOf =
  (check: (value: unknown) => boolean) =>
  (value: unknown): boolean =>
    typeof value === "object" && value !== null && Object.values(value).every(check);
const isTemplateMapOf =
  (check: (value: unknown) => boolean) =>
  (value: unknown): boolean =>
    isRecordOf(check)(value) &&
    Object.keys(value as object).every((k) => (MAIL_TEMPLATES as readonly string[]).includes(k));
const isObject = (value: unknown): boolean => typeof value === "object" && value !== null;
const isFunction = (value: unknown): boolean => typeof value === "function";

/** Branding, links, languages and template overrides of every mail. Defaults live here. */
export const mailOptionsSchema = z.strictObject({
  /** Shown in subjects, headings and the footer. @default "tenantauth" */
  productName: z.string().trim().min(1).default("tenantauth"),
  /** Base of every link, e.g. `https://app.example.com`. */
  appUrl: url,
  /** A logo shown above the heading. */
  logoUrl: url.optional(),
  /** Button and heading colour, `#rrggbb`. @default "#4f46e5" */
  primaryColor: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, { error: "must be a #rrggbb colour" })
    .default("#4f46e5"),
  /** Where people write for help; shown in every footer. @default "support@example.com" */
  supportEmail: z.email({ error: "must be an email address" }).default("support@example.com"),
  /** The language of mails that name none (or one you did not add). @default "en" */
  defaultLocale: z.string().min(1).default("en"),
  /**
   * Languages, by locale: `{ fr: { "verify-email": { subject: "…" }, … } }`. Anything left out falls back to
   * English. A mail's `locale` `fr-CA` uses `fr-CA`, else `fr`, else `defaultLocale`, else English.
   * @default {}
   */
  messages: z
    .record(z.string(), z.custom<PartialCatalogue>(isRecordOf(isObject), { error: "must map templates to messages" }))
    .default({}),
  /** Link builders per template, replacing the default `${appUrl}/verify-email?token=…` and so on. @default {} */
  links: z
    .custom<Partial<LinkBuilders>>(isTemplateMapOf(isFunction), { error: "must map template names to functions" })
    .default({}),
  /** Per-template `subject`, `text` and `mjml` functions replacing the defaults. @default {} */
  templates: z
    .custom<TemplateOverrides>(isTemplateMapOf(isRecordOf(isFunction)), {
      error: "must map template names to { subject?, text?, mjml? } functions",
    })
    .default({}),
});

/** What you pass: branding (`appUrl` required), languages, links and overrides. */
export type MailOptions = z.input<typeof mailOptionsSchema>;

/** The options after defaults. */
export type ResolvedMailOptions = z.output<typeof mailOptionsSchema>;

/**
 * Validates mail options.
 *
 * @throws TypeError naming every bad option, e.g. `invalid mail options: appUrl: must be an absolute http(s) URL`.
 */
export function parseMailOptions(input: MailOptions): ResolvedMailOptions {
  const result = mailOptionsSchema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join(".") || "options"}: ${issue.message}`);
  throw new TypeError(`invalid mail options: ${problems.join("; ")}`);
}
