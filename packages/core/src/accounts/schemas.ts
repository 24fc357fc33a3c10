import * as z from "zod";
import { freeFormJsonObject } from "../internal/free-form-json.js";
import { foldName, hasInvisibleCharacters } from "../tenancy/name-key.js";

/** Bytes of a string in UTF-8 (RFC 5321 counts octets). */
const octets = (text: string): number => new TextEncoder().encode(text).byteLength;

/**
 * An email address: trimmed, lower-cased, well-formed, with a local part of at most 64 octets and at most 254
 * octets in all (RFC 5321: longer addresses cannot receive mail).
 */
export const emailSchema = z
  .string({ error: "must be a string" })
  .trim()
  .toLowerCase()
  .pipe(
    z
      .email({ error: "must be a valid email address" })
      .refine((email) => octets(email) <= 254, { error: "must be at most 254 characters" })
      .refine((email) => octets(email.slice(0, email.lastIndexOf("@"))) <= 64, {
        error: "must have at most 64 characters before the @",
      }),
  );

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

/**
 * A name people tell apart by eye (organizations, roles): trimmed (white space at either end, as `String.trim`
 * sees it, goes), then no control, zero-width, bidi or other invisible characters left (`INVALID_INPUT`),
 * 1..`max` characters, with at least one visible character. Two names
 * that fold alike (case, NFKC, spacing: see `uniqueNameKey`) are one name for the unique checks.
 */
export function visibleNameSchema(max: number): z.ZodType<string> {
  return z
    .string({ error: "must be a string" })
    .trim()
    .refine((name) => !hasInvisibleCharacters(name), {
      error: "must not contain control, zero-width, bidi or other invisible characters",
    })
    .min(1, { error: "must not be empty" })
    .max(max, { error: `must be at most ${max} characters` })
    .refine((name) => foldName(name).length > 0, { error: "must contain a visible character" });
}

/** An organization name: see {@link visibleNameSchema}; 1..191 characters (the unique index's width on MySQL). */
export const organizationNameSchema = visibleNameSchema(191);

/** A free-form JSON object a client sends (profile, settings): bounded in depth and size, see {@link freeFormJsonObject}. */
export const jsonObjectSchema = freeFormJsonObject();

/** A token presented by a client (refresh token, verification token …). */
export const presentedTokenSchema = z
  .string({ error: "must be a string" })
  .min(1, { error: "must not be empty" })
  .max(512, { error: "is too long" });

/** The optional request metadata (client IP, user agent) of the account flows: an object, or nothing. */
export const requestMetaSchema = z.looseObject({ ip: z.string().nullish(), userAgent: z.string().nullish() });
