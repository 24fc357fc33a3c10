import { parseArgs } from "node:util";

/** What the command line asks for. */
export type CliCommand = { kind: "help" } | { kind: "migrate"; url: string; tablePrefix: string };

/** A command line that cannot be run; the message says why, in one line. */
export class CliUsageError extends Error {
  override readonly name = "CliUsageError";
}

/** `tenantauth-knex --help`. */
export const CLI_HELP = `Usage: tenantauth-knex migrate [--url <database-url>] [--table-prefix <prefix>]

Creates or upgrades tenantauth's tables. Running it again is a no-op.

Options:
  --url <url>            mysql://user:pass@host:3306/db, mariadb://…, postgres://…, sqlite:path/to/file.db
                         (default: $TENANTAUTH_DATABASE_URL, then $DATABASE_URL)
  --table-prefix <p>     prefix of every table name (default: none)
  -h, --help             show this help
`;

/**
 * Parses `argv` (without `node` and the script path). The URL falls back to `TENANTAUTH_DATABASE_URL`, then
 * `DATABASE_URL` in `env`.
 *
 * @throws {CliUsageError} for a missing or unknown command, an unknown option, or no database URL.
 */
export function parseCliArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): CliCommand {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new CliUsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: "help" };
  const [command, ...rest] = positionals;
  if (command === undefined) throw new CliUsageError("missing command; try: tenantauth-knex migrate --url <url>");
  if (command !== "migrate") throw new CliUsageError(`unknown command "${command}"; the only command is migrate`);
  if (rest.length > 0) throw new CliUsageError(`unexpected argument "${rest[0]}"`);
  const url = values.url || env.TENANTAUTH_DATABASE_URL || env.DATABASE_URL;
  if (!url) {
    throw new CliUsageError("no database URL: pass --url, or set TENANTAUTH_DATABASE_URL or DATABASE_URL");
  }
  return { kind: "migrate", url, tablePrefix: values["table-prefix"] ?? "" };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      url: { type: "string" },
      "table-prefix": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
}
