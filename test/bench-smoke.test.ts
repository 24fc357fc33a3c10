import { describe, expect, it } from "vitest";
import { benchmarks } from "./bench/list.js";

/** CI does not time anything: it runs every benchmark tiny, to prove each still works and reports. */
describe("benchmarks (smoke mode)", () => {
  it.each(benchmarks.map((b) => [b.name, b] as const))(
    "%s runs and reports",
    async (_name, bench) => {
      const report = await bench.run({ smoke: true });
      expect(report.rows.length).toBeGreaterThan(0);
      for (const row of report.rows) expect(row).toHaveLength(report.columns.length);
    },
    120_000,
  );
});
