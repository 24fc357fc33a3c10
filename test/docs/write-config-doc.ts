/** Regenerates the option reference in docs/configuration.md: `pnpm docs:config`. */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { BEGIN, configurationTable, END, optionDocProblems } from "./config-table.js";

const file = fileURLToPath(new URL("../../docs/configuration.md", import.meta.url));
const text = readFileSync(file, "utf8");
const start = text.indexOf(BEGIN);
const end = text.indexOf(END);
if (start < 0 || end < 0) throw new Error("docs/configuration.md lacks the option table markers");
writeFileSync(file, `${text.slice(0, start + BEGIN.length)}\n${configurationTable()}\n${text.slice(end)}`);
console.log("docs/configuration.md updated");
for (const problem of optionDocProblems()) console.warn(`warning: ${problem}`);
