import type { MailOptions } from "./options.js";

/** A parsed `tenantauth-mail` command line. */
export type MailCommand =
  | { kind: "help" }
  | {
      kind: "preview";
      out: string;
      locale?: string;
      options: Pick<MailOptions, "appUrl" | "productName" | "primaryColor" | "logoUrl" | "supportEmail">;
    };

/** The usage text. */
export const USAGE = `Usage: tenantauth-mail preview --out DIR [options]

Writes every mail template, rendered with sample data, as DIR/<template>.html and DIR/<template>.txt.

Options:
  --out DIR        folder to write (created when missing); required
  --app-url URL    base of the links (default https://app.example.com)
  --product NAME   product name (default tenantauth)
  --color #RRGGBB  primary colour
  --logo URL       logo image URL
  --support EMAIL  support address
  --locale LOCALE  language of the mails (English is built in)
  -h, --help       show this help`;

const FLAGS = {
  "--out": "out",
  "--app-url": "appUrl",
  "--product": "productName",
  "--color": "primaryColor",
  "--logo": "logoUrl",
  "--support": "supportEmail",
  "--locale": "locale",
} as const;

/**
 * Parses `tenantauth-mail` arguments (without `node` and the script). Accepts `--flag value` and `--flag=value`.
 *
 * @throws Error with a one-line message when they are wrong.
 */
export function parseMailArgs(argv: readonly string[]): MailCommand {
  if (argv.length === 0 || argv.includes("--help") || argv.includes("-h")) return { kind: "help" };
  const [command, ...rest] = argv;
  if (command !== "preview") throw new Error(`unknown command "${command}" (try --help)`);
  const values: Partial<Record<(typeof FLAGS)[keyof typeof FLAGS], string>> = {};
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] as string;
    const eq = arg.indexOf("=");
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    if (!Object.hasOwn(FLAGS, flag)) throw new Error(`unknown option ${flag} (try --help)`);
    const value = eq === -1 ? rest[++i] : arg.slice(eq + 1);
    if (value === undefined || value === "" || (eq === -1 && value.startsWith("--"))) {
      throw new Error(`${flag} needs a value`);
    }
    values[FLAGS[flag as keyof typeof FLAGS]] = value;
  }
  const { out, locale, appUrl = "https://app.example.com", ...branding } = values;
  if (!out) throw new Error("--out DIR is required");
  return { kind: "preview", out, ...(locale ? { locale } : {}), options: { appUrl, ...branding } };
}
