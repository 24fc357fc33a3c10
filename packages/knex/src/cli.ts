#!/usr/bin/env node
import { runCli } from "./cli-run.js";

// `tenantauth-knex migrate --url <url>`: see cli-args.ts for the options. (No top-level await: the CJS build.)
void runCli(process.argv.slice(2), process.env, {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
}).then((code) => {
  process.exitCode = code;
});
