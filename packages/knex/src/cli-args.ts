import { parseArgs } from "node:util";

/** The database and table prefix every command works on, and how long it waits for the migration lock. */
interface Target {
  url: string;
  tablePrefix: string;
  /** `--lock-timeout` in milliseconds; undefined: the command's default. */
  lockTimeoutMs: number | undefined;
}

/** What the command line asks for. */
export type CliCommand =
  | { kind: "help" }
  | ({ kind: "migrate" } & Target)
  | ({ kind: "status" } & Target)
  | ({ kind: "unlock" } & Target)
  | ({ kind: "rollback" } & Target);

/** A command line that cannot be run; the message says why, in one line. */
export class CliUsageError extends Error {
  override readonly name = "CliUsageError";
}

/** `tenantauth-knex --help`. */
export const CLI_HELP = `Usage: tenantauth-knex migrate [--status | --unlock] [options]
       tenantauth-knex rollback [options]

  migrate            creates or upgrades tenantauth's tables; running it again is a no-op. Several at once are
                     safe: one applies, the others wait for it. After a crash, run it again: it completes the
                     schema.
  migrate --status   lists the applied and pending migrations and the state of the migration lock
  migrate --unlock   resets Knex's lock table (*_lock) to one free row, for tools that use Knex's own lock;
                     refused while a migration runs. (migrate resets a stale row by itself.)
  rollback           undoes the last applied migration (one step)

Options:
  --url <url>            mysql://user:pass@host:3306/db, mariadb://…, postgres://…, sqlite:path/to/file.db
                         (default: $TENANTAUTH_DATABASE_URL, then $DATABASE_URL)
  --table-prefix <p>     prefix of every table name (default: none)
  --lock-timeout <s>     seconds to wait while another migration holds the lock (default: 300; --unlock: 0)
  -h, --help             show this help
`;

/**
 * Parses `argv` (without `node` and the script path). The URL falls back to `TENANTAUTH_DATABASE_URL`, then
 * `DATABASE_URL` in `env`.
 *
 * @throws {CliUsageError} for a missing or unknown command, an unknown or misplaced option, or no database URL.
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
  if (command !== "migrate" && command !== "rollback") {
    throw new CliUsageError(`unknown command "${command}"; the commands are migrate and rollback`);
  }
  if (rest.length > 0) throw new CliUsageError(`unexpected argument "${rest[0]}"`);
  if (values.status && values.unlock) throw new CliUsageError("--status and --unlock cannot be combined");
  if (command === "rollback" && (values.status || values.unlock)) {
    throw new CliUsageError(`--${values.status ? "status" : "unlock"} goes with migrate, not rollback`);
  }
  const timeout = values["lock-timeout"];
  let lockTimeoutMs: number | undefined;
  if (timeout !== undefined) {
    const seconds = Number(timeout);
    if (timeout.trim() === "" || !Number.isFinite(seconds) || seconds < 0 || seconds > 86_400) {
      throw new CliUsageError(`--lock-timeout takes seconds from 0 to 86400, not "${timeout}"`);
    }
    lockTimeoutMs = Math.round(seconds * 1000);
  }
  const url = values.url || env.TENANTAUTH_DATABASE_URL || env.DATABASE_URL;
  if (!url) {
    throw new CliUsageError("no database URL: pass --url, or set TENANTAUTH_DATABASE_URL or DATABASE_URL");
  }
  const kind = command === "rollback" ? "rollback" : values.status ? "status" : values.unlock ? "unlock" : "migrate";
  return { kind, url, tablePrefix: values["table-prefix"] ?? "", lockTimeoutMs };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      url: { type: "string" },
      "table-prefix": { type: "string" },
      "lock-timeout": { type: "string" },
      status: { type: "boolean" },
      unlock: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
}
