import { hashToken } from "../internal/crypto.js";

/**
 * Characters a name may not contain: control (Cc), format (Cf: zero-width space, joiners, byte-order mark, bidi
 * overrides and isolates, soft hyphen …), lone surrogates (Cs), line and paragraph separators, and the Hangul
 * fillers, letters that print as nothing. Each can make two names look alike, or hide text.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}\u115f\u1160\u3164\uffa0]/u;

/**
 * Ignored when names are compared: the above (in rows written before the rule) and every other default-ignorable
 * code point (variation selectors, the combining grapheme joiner …), which renders as nothing.
 */
const IGNORED = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/gu;

/** True when `name` holds a character that {@link INVISIBLE} refuses. */
export function hasInvisibleCharacters(name: string): boolean {
  return INVISIBLE.test(name);
}

/**
 * The form in which two names are compared: NFKC, without invisible characters, case-folded (upper- then
 * lower-cased, so "ß" meets "SS"), NFKC again, white space runs as one space, trimmed. "Acme Corp", "ACME  CORP",
 * "Ａｃｍｅ Ｃｏｒｐ" and "Acme\u00a0Corp" all fold to "acme corp".
 */
export function foldName(name: string): string {
  return name
    .normalize("NFKC")
    .replace(IGNORED, "")
    .toUpperCase()
    .toLowerCase()
    .normalize("NFKC")
    .replace(/\s+/gu, " ")
    .trim();
}

/**
 * The uniqueness key of an organization or role name: SHA-256 (hex) of {@link foldName}, 64 characters whatever
 * the name's length, so one unique index on it holds on every database. Storage adapters keep it beside the name
 * and make it unique (organizations: globally; custom roles: per organization), so look-alike names are refused
 * even when two requests race.
 *
 * @example uniqueNameKey("ACME Corp") === uniqueNameKey("acme\u00a0corp") // true
 */
export function uniqueNameKey(name: string): string {
  return hashToken(foldName(name));
}
