/** A parsed `tenantauth-mail` command line. */
export type MailCommand = { kind: "help" } | { kind: "preview"; out: string; appUrl: string; productName?: string };

/** The usage text. */
export const USAGE = `Usage: tenantauth-mail preview --out DIR [--app-url URL] [--product NAME]

Writes every mail template, rendered with sample data, as DIR/<template>.html and DIR/<template>.txt.`;

/** Parses arguments; throws an Error with a one-line message when they are wrong. */
export function parseMailArgs(argv: readonly string[]): MailCommand {
  if (argv.length === 0 || argv.includes("--help") || argv.includes("-h")) return { kind: "help" };
  const [command, ...rest] = argv;
  if (command !== "preview") throw new Error(`unknown command "${command}" (try --help)`);
  const values: Record<string, string> = {};
  for (let i = 0; i < rest.length; i += 2) {
    const flag = rest[i];
    const value = rest[i + 1];
    if (!flag?.startsWith("--") || value === undefined || value.startsWith("--")) {
      throw new Error(`expected --flag value pairs, got "${flag ?? ""}"`);
    }
    values[flag.slice(2)] = value;
  }
  for (const key of Object.keys(values)) {
    if (!["out", "app-url", "product"].includes(key)) throw new Error(`unknown option --${key}`);
  }
  if (!values.out) throw new Error("--out DIR is required");
  return {
    kind: "preview",
    out: values.out,
    appUrl: values["app-url"] ?? "https://app.example.com",
    ...(values.product ? { productName: values.product } : {}),
  };
}
