import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { buildOpenApiDocument } from "@tenantauth/core";
import { describe, expect, it } from "vitest";
import { BEGIN, END, httpRouteTable } from "./docs/http-table.js";

describe("docs/http.md", () => {
  it("lists exactly the routes of core's route table (regenerate with pnpm docs:http)", () => {
    const text = readFileSync(fileURLToPath(new URL("../docs/http.md", import.meta.url)), "utf8");
    const table = text.slice(text.indexOf(BEGIN) + BEGIN.length, text.indexOf(END)).trim();
    expect(table).toBe(httpRouteTable());
  });

  it("lists the same operations, with the same success status, as the OpenAPI document at /openapi.json", () => {
    const text = readFileSync(fileURLToPath(new URL("../docs/http.md", import.meta.url)), "utf8");
    const documented = [
      ...text.matchAll(/^\| (GET|POST|PUT|PATCH|DELETE) \| `([^`]+)` \|[^|]*\|[^|]*\| (\d{3}) \|/gm),
    ].map((m) => `${m[1]} ${m[2]} ${m[3]}`);
    const paths = buildOpenApiDocument().paths as Record<
      string,
      Record<string, { responses: Record<string, unknown> }>
    >;
    const inOpenApi = Object.entries(paths).flatMap(([path, operations]) =>
      Object.entries(operations).map(([method, operation]) => {
        const success = Object.keys(operation.responses).find((status) => status.startsWith("2"));
        return `${method.toUpperCase()} ${path} ${success}`;
      }),
    );
    expect(documented.length).toBeGreaterThan(10);
    expect([...documented].sort()).toEqual([...inOpenApi].sort());
  });
});
