import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Benchmark } from "./bench/harness.js";
import { benchmarks } from "./bench/list.js";

const isBenchmark = (value: unknown): value is Benchmark =>
  typeof value === "object" && value !== null && "name" in value && typeof (value as Benchmark).run === "function";

/** CI does not time anything: it runs every benchmark tiny, to prove each still works and reports. */
describe("benchmarks (smoke mode)", () => {
  it("lists every benchmark exported by a test/bench/*.bench.ts file, once each", async () => {
    const files = readdirSync(new URL("./bench/", import.meta.url)).filter((f) => f.endsWith(".bench.ts"));
    const exported: Benchmark[] = [];
    for (const file of files) {
      const module = (await import(`./bench/${file}`)) as Record<string, unknown>;
      const found = Object.values(module).filter(isBenchmark);
      expect(found.length, `${file} exports no Benchmark`).toBeGreaterThan(0);
      exported.push(...found);
    }
    for (const bench of exported) expect(benchmarks, `${bench.name} is not in test/bench/list.ts`).toContain(bench);
    expect(new Set(benchmarks.map((b) => b.name)).size).toBe(benchmarks.length);
  });

  it.each(benchmarks.map((b) => [b.name, b] as const))(
    "%s runs and reports",
    async (_name, bench) => {
      const report = await bench.run({ smoke: true });
      expect(report.rows.length).toBeGreaterThan(0);
      for (const row of report.rows) expect(row).toHaveLength(report.columns.length);
      for (const target of report.targets ?? []) expect(target.measured).not.toMatch(/NaN|undefined/);
    },
    120_000,
  );
});
