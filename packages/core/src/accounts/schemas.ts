import * as z from "zod";
import { freeFormJsonObject } from "../internal/free-form-json.js";

/** An email address: trimmed, lower-cased, at most 254 characters (RFC 5321), well-formed. */
export const emailSchema = z
  .string({ error: "must be a string" })
  .trim()
  .toLowerCase()
  .pipe(z.email({ error: "must be a valid email address" }).max(254, { error: "must be at most 254 characters" }));

/** Length of a password as people count it: Unicode code points after NFKC normalisation. */
export function passwordLength(password: string): number {
  return [...password.normalize("NFKC")].length;
}

/** A new password under the length policy (no composition rules, per NIST SP 800-63B and OWASP). */
export function newPasswordSchema(policy: { minLength: number; maxLength: number }): z.ZodType<string> {
  return z.string({ error: "must be a string" }).superRefine((value, ctx) => {
    const length = passwordLength(value);
    if (length < policy.minLength) {
      ctx.addIssue({ code: "custom", message: `must be at least ${policy.minLength} characters` });
    } else if (length > policy.maxLength) {
      ctx.addIssue({ code: "custom", message: `must be at most ${policy.maxLength} characters` });
    }
  });
}

/** A password presented at sign-in: any non-empty string up to a hard cap (so nobody makes us hash megabytes). */
export const presentedPasswordSchema = z
  .string({ error: "must be a string" })
  .min(1, { error: "must not be empty" })
  .max(4096, { error: "is too long" });

/** An organization name: trimmed, 1..191 characters (the unique index's width on MySQL). */
export const organizationNameSchema = z
  .string({ error: "must be a string" })
  .trim()
  .min(1, { error: "must not be empty" })
  .max(191, { error: "must be at most 191 characters" });

/** A free-form JSON object a client sends (profile, settings): bounded in depth and size, see {@link freeFormJsonObject}. */
export const jsonObjectSchema = freeFormJsonObject();

/** A token presented by a client (refresh token, verification token …). */
export const presentedTokenSchema = z
  .string({ error: "must be a string" })
  .min(1, { error: "must not be empty" })
  .max(512, { error: "is too long" });

/** The optional request metadata (client IP, user agent) of the account flows: an object, or nothing. */
export const requestMetaSchema = z.looseObject({ ip: z.string().nullish(), userAgent: z.string().nullish() });
