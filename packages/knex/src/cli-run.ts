import { AuthError, ConfigError } from "@tenantauth/core";
import { CLI_HELP, CliUsageError, parseCliArgs } from "./cli-args.js";
import { parseDatabaseUrl } from "./connection-url.js";
import { driverErrorCode } from "./driver-errors.js";
import { migrate } from "./migrate.js";
import { openKnex } from "./open-knex.js";

/** Where the CLI writes. */
export interface CliOutput {
  out(line: string): void;
  err(line: string): void;
}

/**
 * Runs `tenantauth-knex` and returns its exit code: 0 on success (and for `--help`), 1 on any error, which is
 * reported in one line without a stack trace.
 */
export async function runCli(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  output: CliOutput,
): Promise<number> {
  try {
    const command = parseCliArgs(argv, env);
    if (command.kind === "help") {
      output.out(CLI_HELP.trimEnd());
      return 0;
    }
    const { config, driverPackage, dialect } = parseDatabaseUrl(command.url);
    const knex = openKnex(config, driverPackage, { quiet: true });
    try {
      const { applied } = await migrate(knex, { tablePrefix: command.tablePrefix });
      const where = `${dialect}${command.tablePrefix ? `, table prefix "${command.tablePrefix}"` : ""}`;
      output.out(
        applied.length === 0
          ? `tenantauth schema is up to date (${where}); nothing to apply.`
          : `Applied ${applied.length} migration${applied.length === 1 ? "" : "s"} (${where}): ${applied.join(", ")}`,
      );
    } finally {
      await knex.destroy();
    }
    return 0;
  } catch (error) {
    output.err(`tenantauth-knex: ${describe(error)}`);
    return 1;
  }
}

function describe(error: unknown): string {
  if (error instanceof CliUsageError) return `${error.message} (see --help)`;
  if (error instanceof ConfigError) return error.issues.map((i) => `${i.path}: ${i.message}`).join("; ");
  if (error instanceof AuthError) {
    if (driverErrorCode(error) === "MigrationLocked") {
      return "the migration lock is held: another migration is running, or a crashed one left the *_lock table locked";
    }
    const code = driverErrorCode(error);
    return code ? `${error.message} [${code}]` : error.message;
  }
  return error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);
}
