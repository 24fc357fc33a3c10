/**
 * `pnpm bench`: runs every benchmark and writes docs/benchmarks.md with the machine, Node version and date.
 * `pnpm bench --smoke` runs them tiny and writes nothing (CI runs this to prove they still work).
 */
import { writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { fileURLToPath } from "node:url";
import type { Benchmark, BenchReport } from "./harness.js";
import { benchmarks } from "./list.js";

const smoke = process.argv.includes("--smoke");
const only = process.argv.find((a) => a.startsWith("--only="))?.slice("--only=".length);

function table(report: BenchReport): string {
  const head = `| ${report.columns.join(" | ")} |\n|${report.columns.map(() => "---").join("|")}|`;
  const body = report.rows.map((r) => `| ${r.join(" | ")} |`).join("\n");
  const notes = (report.notes ?? []).map((n) => `\n- ${n}`).join("");
  return `### ${report.title}\n\n${head}\n${body}\n${notes}\n`;
}

const selected: Benchmark[] = benchmarks.filter((b) => !only || b.name === only);
const sections: string[] = [];
for (const bench of selected) {
  console.log(`\n▶ ${bench.name}${smoke ? " (smoke)" : ""}`);
  const report = await bench.run({ smoke });
  const text = table(report);
  console.log(text);
  sections.push(text);
}

if (!smoke && !only) {
  const cpu = cpus()[0]?.model ?? "unknown CPU";
  const header = `# Benchmarks

Written by \`pnpm bench\` (test/bench/run.ts); do not edit by hand. Figures are medians with the median absolute
deviation (MAD) as spread, measured side by side in one run. They are not assertions: CI runs \`pnpm bench --smoke\`
only to prove the benchmarks still work.

- Machine: ${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB
- Node.js: ${process.version}
- Date: ${new Date().toISOString().slice(0, 10)}
`;
  writeFileSync(
    fileURLToPath(new URL("../../docs/benchmarks.md", import.meta.url)),
    `${header}\n${sections.join("\n")}`,
  );
  console.log("wrote docs/benchmarks.md");
}
process.exit(0);
