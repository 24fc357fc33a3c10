import * as z from "zod";
import type { MessageCatalogue } from "./messages.js";

const url = z.url({ error: "must be an absolute URL" });

/** Branding and links of every mail. Validated by `mailOptionsSchema`; defaults inside. */
export const mailOptionsSchema = z.strictObject({
  /** Shown in subjects and headings. @default "tenantauth" */
  productName: z.string().min(1).default("tenantauth"),
  /** Base of every link, e.g. `https://app.example.com`. */
  appUrl: url,
  /** A logo shown above the heading. */
  logoUrl: url.optional(),
  /** Button and accent colour. @default "#4f46e5" */
  primaryColor: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, { error: "must be a #rrggbb colour" })
    .default("#4f46e5"),
  /** Where people write for help. @default "support@example.com" */
  supportEmail: z.email({ error: "must be an email address" }).default("support@example.com"),
  /** Overrides per language: `{ fr: { "verify-email": { … } } }`. English is built in and the fallback. */
  messages: z
    .record(
      z.string(),
      z.custom<Partial<MessageCatalogue>>((v) => typeof v === "object" && v !== null),
    )
    .default({}),
  /** Paths of the app's pages that receive the tokens. */
  paths: z
    .strictObject({
      verifyEmail: z.string().default("/verify-email"),
      resetPassword: z.string().default("/reset-password"),
      acceptInvitation: z.string().default("/accept-invitation"),
      signIn: z.string().default("/signin"),
    })
    .prefault({}),
});

/** What you pass for branding. */
export type MailOptions = z.input<typeof mailOptionsSchema>;

/** Branding after defaults. */
export type ResolvedMailOptions = z.output<typeof mailOptionsSchema>;
