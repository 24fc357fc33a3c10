import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const example = fileURLToPath(new URL("../examples/consumer-tests/", import.meta.url));
const packages = fileURLToPath(new URL("../packages/", import.meta.url));

/** The entry points a package publishes (`@tenantauth/testing`, `@tenantauth/testing/hono`, …). */
function publicEntryPoints(): Set<string> {
  const names = new Set<string>();
  for (const dir of readdirSync(packages)) {
    const manifest = JSON.parse(readFileSync(`${packages}${dir}/package.json`, "utf8")) as {
      name: string;
      exports: Record<string, unknown>;
    };
    for (const key of Object.keys(manifest.exports))
      names.add(key === "." ? manifest.name : `${manifest.name}${key.slice(1)}`);
  }
  return names;
}

describe("examples/consumer-tests", () => {
  it("its tests import only published entry points of the packages (its own files and vitest aside)", () => {
    const allowed = publicEntryPoints();
    expect(allowed).toContain("@tenantauth/testing/hono");
    const tests = readdirSync(`${example}src`).filter((f) => f.endsWith(".test.ts"));
    expect(tests.length).toBeGreaterThan(0);
    for (const file of tests) {
      const source = readFileSync(`${example}src/${file}`, "utf8");
      const specifiers = [...source.matchAll(/\bfrom\s+"([^"]+)"/g)].map((m) => m[1] ?? "");
      const foreign = specifiers.filter((s) => !s.startsWith("./") && s !== "vitest" && !allowed.has(s));
      expect({ file, foreign }).toEqual({ file, foreign: [] });
      expect(source).toContain("@tenantauth/testing");
    }
  });
});
