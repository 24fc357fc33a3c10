import { parseMailArgs, USAGE } from "./cli-args.js";
import { writePreviews } from "./preview.js";

/** Where {@link runMailCli} writes. */
export interface CliIo {
  stdout(line: string): void;
  stderr(line: string): void;
}

/**
 * Runs `tenantauth-mail` and returns the exit code: 0 on success, 1 with a one-line error on stderr otherwise.
 *
 * @example process.exitCode = await runMailCli(process.argv.slice(2));
 */
export async function runMailCli(
  argv: readonly string[],
  io: CliIo = { stdout: (line) => console.log(line), stderr: (line) => console.error(line) },
): Promise<number> {
  try {
    const command = parseMailArgs(argv);
    if (command.kind === "help") {
      io.stdout(USAGE);
      return 0;
    }
    const files = await writePreviews(command.out, command.options, command.locale);
    io.stdout(`wrote ${files.length} files to ${command.out}`);
    return 0;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`tenantauth-mail: ${message.split("\n")[0]}`);
    return 1;
  }
}
