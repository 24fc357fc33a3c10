import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { BEGIN, END, httpRouteTable } from "./docs/http-table.js";

describe("docs/http.md", () => {
  it("lists exactly the routes of core's route table (regenerate with pnpm docs:http)", () => {
    const text = readFileSync(fileURLToPath(new URL("../docs/http.md", import.meta.url)), "utf8");
    const table = text.slice(text.indexOf(BEGIN) + BEGIN.length, text.indexOf(END)).trim();
    expect(table).toBe(httpRouteTable());
  });
});
