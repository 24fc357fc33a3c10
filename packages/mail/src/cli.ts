#!/usr/bin/env node
import { parseMailArgs, USAGE } from "./cli-args.js";
import { writePreviews } from "./preview.js";

async function main(argv: readonly string[]): Promise<void> {
  const command = parseMailArgs(argv);
  if (command.kind === "help") {
    console.log(USAGE);
    return;
  }
  const files = await writePreviews(command.out, {
    appUrl: command.appUrl,
    ...(command.productName ? { productName: command.productName } : {}),
  });
  console.log(`wrote ${files.length} files to ${command.out}`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`tenantauth-mail: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
