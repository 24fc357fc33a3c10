import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { BEGIN, configurationTable, END, optionDocProblems, optionDocs } from "./docs/config-table.js";

describe("docs/configuration.md", () => {
  it("holds the option reference generated from options.ts (regenerate with pnpm docs:config)", () => {
    const text = readFileSync(fileURLToPath(new URL("../docs/configuration.md", import.meta.url)), "utf8");
    expect(text).toContain(BEGIN);
    const table = text.slice(text.indexOf(BEGIN) + BEGIN.length, text.indexOf(END)).trim();
    expect(table).toBe(configurationTable());
  });

  it("documents every option: a JSDoc line each, and a @default that agrees with the schema", () => {
    expect(optionDocProblems()).toEqual([]);
  });

  it("lists every option of the schema with its default, and catches a wrong @default", () => {
    const rows = optionDocs();
    const byPath = new Map(rows.map((r) => [r.path, r]));
    expect(byPath.get("secret")?.required).toBe(true);
    expect(byPath.get("accessToken.ttlSeconds")?.defaultValue).toBe(900);
    expect(byPath.get("mail.maxAttempts")?.type).toBe("integer, ≥ 1, ≤ 100");
    expect(configurationTable()).toContain("| `session.idleTimeoutSeconds` | `604800` (7 days) |");
    const wrong = rows.map((r) => (r.path === "mail.batchSize" ? { ...r, defaultTag: "25" } : r));
    expect(optionDocProblems(wrong)).toEqual(["mail.batchSize: @default 25 does not match the schema's default 50"]);
    const undocumented = rows.map((r) => (r.path === "issuer" ? { ...r, description: "" } : r));
    expect(optionDocProblems(undocumented)).toEqual(["issuer: no JSDoc description in options.ts"]);
  });
});
