import { AuthError, ConfigError } from "@tenantauth/core";
import { CLI_HELP, CliUsageError, parseCliArgs } from "./cli-args.js";
import { parseDatabaseUrl } from "./connection-url.js";
import { driverErrorCode } from "./driver-errors.js";
import { type MigrationStatus, migrate, migrationStatus, rollbackMigration, unlockMigrations } from "./migrate.js";
import type { KnexLockRows } from "./migration-book.js";
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
    const where = `${dialect}${command.tablePrefix ? `, table prefix "${command.tablePrefix}"` : ""}`;
    const options = {
      tablePrefix: command.tablePrefix,
      ...(command.lockTimeoutMs === undefined ? {} : { lockTimeoutMs: command.lockTimeoutMs }),
    };
    try {
      switch (command.kind) {
        case "migrate": {
          const { applied, clearedKnexLock } = await migrate(knex, options);
          if (clearedKnexLock) output.out(`Reset a stale Knex lock table (${describeLock(clearedKnexLock)}).`);
          output.out(
            applied.length === 0
              ? `tenantauth schema is up to date (${where}); nothing to apply.`
              : `Applied ${applied.length} migration${applied.length === 1 ? "" : "s"} (${where}): ${applied.join(", ")}`,
          );
          break;
        }
        case "rollback": {
          const { rolledBack } = await rollbackMigration(knex, options);
          output.out(
            rolledBack
              ? `Rolled back ${rolledBack} (${where}). Run tenantauth-knex migrate to apply it again.`
              : `No tenantauth migration is applied (${where}); nothing to roll back.`,
          );
          break;
        }
        case "status":
          for (const line of statusLines(await migrationStatus(knex, options), where)) output.out(line);
          break;
        case "unlock": {
          const before = await unlockMigrations(knex, options);
          output.out(
            before.locked === 0 && before.rows <= 1
              ? `The Knex lock table was already free (${where}); nothing to do.`
              : `Reset the Knex lock table to one free row (${where}); it held ${describeLock(before)}. No migration was running.`,
          );
          break;
        }
      }
    } finally {
      await knex.destroy();
    }
    return 0;
  } catch (error) {
    output.err(`tenantauth-knex: ${describe(error)}`);
    return 1;
  }
}

const describeLock = (rows: KnexLockRows): string =>
  `${rows.rows} row${rows.rows === 1 ? "" : "s"}, ${rows.locked} set`;

/** `migrate --status`: one line per migration, then the locks. */
function statusLines(status: MigrationStatus, where: string): string[] {
  const { applied, pending, unknown, lockHeld, knexLock } = status;
  const lines = [`tenantauth schema (${where}): ${applied.length} applied, ${pending.length} pending`];
  for (const m of applied) {
    const at = m.migratedAt ? `, ${m.migratedAt.toISOString()}` : "";
    lines.push(
      `  applied  ${m.name}  (batch ${m.batch}${at})${unknown.includes(m.name) ? "  unknown to this version" : ""}`,
    );
  }
  for (const name of pending) lines.push(`  pending  ${name}`);
  lines.push(
    lockHeld === undefined
      ? "Migration lock: a write transaction on SQLite (not observable from outside)"
      : lockHeld
        ? "Migration lock: held: a migration is running now"
        : "Migration lock: free",
  );
  if (knexLock.rows === 1 && knexLock.locked === 0) lines.push("Knex lock table: free");
  else if (knexLock.rows === 0) lines.push("Knex lock table: not created yet");
  else {
    lines.push(
      `Knex lock table: ${describeLock(knexLock)}${lockHeld ? " (the running migration)" : " (stale: the next migrate resets it; tenantauth-knex migrate --unlock resets it now)"}`,
    );
  }
  return lines;
}

function describe(error: unknown): string {
  if (error instanceof CliUsageError) return `${error.message} (see --help)`;
  if (error instanceof ConfigError) return error.issues.map((i) => `${i.path}: ${i.message}`).join("; ");
  if (error instanceof AuthError) {
    const code = driverErrorCode(error);
    return code ? `${error.message} [${code}]` : error.message;
  }
  return error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);
}
