import { escapeHtml } from "./escape.js";

/**
 * Placeholders stand where a value goes in compiled HTML. Letters only, so MJML passes them through untouched
 * wherever they sit (text, title, attributes).
 */
const placeholderPattern = /TAVAR([A-Za-z]+)TAVAR/g;
const markPattern = /\{([A-Za-z]+)\}/g;

/** The placeholder of the value `name`. */
export const placeholder = (name: string): string => `TAVAR${name}TAVAR`;

/** Turns catalogue text into MJML: `{name}` becomes a placeholder and every other character is HTML-escaped. */
export function toMjmlText(text: string): string {
  let out = "";
  let last = 0;
  for (const match of text.matchAll(markPattern)) {
    out += escapeHtml(text.slice(last, match.index)) + placeholder(match[1] as string);
    last = match.index + match[0].length;
  }
  return out + escapeHtml(text.slice(last));
}

const stringOf = (value: unknown): string => (value === null || value === undefined ? "" : String(value));

/** Replaces each `{name}` in catalogue text with its value, as plain text. Unknown names become empty. */
export function fill(text: string, values: Readonly<Record<string, unknown>>): string {
  return text.replace(markPattern, (_, name: string) => stringOf(values[name]));
}

/**
 * Replaces each placeholder in compiled HTML with its HTML-escaped value, in one pass (a value that happens to
 * contain a placeholder is not expanded again).
 */
export function substitute(html: string, values: Readonly<Record<string, unknown>>): string {
  return html.replace(placeholderPattern, (_, name: string) => escapeHtml(stringOf(values[name])));
}

/** Whether compiled or rendered output still holds a placeholder (for tests and the preview check). */
export const hasPlaceholder = (text: string): boolean => /TAVAR[A-Za-z]+TAVAR/.test(text);
