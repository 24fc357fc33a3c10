/** Regenerates the route table in docs/http.md: `pnpm docs:http`. */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { BEGIN, END, httpRouteTable } from "./http-table.js";

const file = fileURLToPath(new URL("../../docs/http.md", import.meta.url));
const text = readFileSync(file, "utf8");
const start = text.indexOf(BEGIN);
const end = text.indexOf(END);
if (start < 0 || end < 0) throw new Error("docs/http.md lacks the route table markers");
writeFileSync(file, `${text.slice(0, start + BEGIN.length)}\n${httpRouteTable()}\n${text.slice(end)}`);
console.log("docs/http.md updated");
