#!/usr/bin/env node
import { parseMailArgs, USAGE } from "./cli-args.js";
import { writePreviews } from "./preview.js";

try {
  const command = parseMailArgs(process.argv.slice(2));
  if (command.kind === "help") {
    console.log(USAGE);
  } else {
    const files = await writePreviews(command.out, {
      appUrl: command.appUrl,
      ...(command.productName ? { productName: command.productName } : {}),
    });
    console.log(`wrote ${files.length} files to ${command.out}`);
  }
} catch (error) {
  console.error(`tenantauth-mail: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
