#!/usr/bin/env node
import { runMailCli } from "./run-cli.js";

runMailCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
