/**
 * `pnpm bench`: runs every benchmark and writes docs/benchmarks.md: one table of targets (measured figure, met or
 * missed, and why when missed), then each benchmark's details, with the machine, Node version and date.
 * `pnpm bench --smoke` runs them tiny and writes nothing (CI runs this to prove they still work);
 * `pnpm bench --only=<name>` runs one and writes nothing.
 */
import { writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { fileURLToPath } from "node:url";
import type { Benchmark, BenchReport, TargetResult } from "./harness.js";

// MySQL for the benchmarks that use it (a user allowed to CREATE DATABASE); set before the test support reads it.
process.env.TENANTAUTH_TEST_MYSQL_URL ??= process.env.TENANTAUTH_BENCH_MYSQL_URL ?? "mysql://root@127.0.0.1:3306/test";
const { benchmarks } = await import("./list.js");

const smoke = process.argv.includes("--smoke");
const only = process.argv.find((a) => a.startsWith("--only="))?.slice("--only=".length);

const cell = (value: string | number): string => String(value).replaceAll("|", "\\|");

function table(report: BenchReport): string {
  const head = `| ${report.columns.join(" | ")} |\n|${report.columns.map(() => "---").join("|")}|`;
  const body = report.rows.map((r) => `| ${r.map(cell).join(" | ")} |`).join("\n");
  const notes = (report.notes ?? []).map((n) => `\n- ${n}`).join("");
  return `### ${report.title}\n\n${head}\n${body}\n${notes}\n`;
}

function targetsTable(targets: TargetResult[]): string {
  const met = (t: TargetResult): string => (t.met === null ? "—" : t.met ? "met" : "**missed**");
  const rows = targets.map((t) => `| ${[t.name, t.target, t.measured, met(t), t.note ?? ""].map(cell).join(" | ")} |`);
  return `| benchmark | target | measured | met | note |\n|---|---|---|---|---|\n${rows.join("\n")}\n`;
}

const selected: Benchmark[] = benchmarks.filter((b) => !only || b.name === only);
if (selected.length === 0)
  throw new Error(`no benchmark named ${only}; known: ${benchmarks.map((b) => b.name).join(", ")}`);
const sections: string[] = [];
const targets: TargetResult[] = [];
const started = performance.now();
for (const bench of selected) {
  console.log(`\n▶ ${bench.name}${smoke ? " (smoke)" : ""}`);
  const t0 = performance.now();
  const report = await bench.run({ smoke });
  const text = table(report);
  console.log(text);
  if (report.targets?.length) console.log(targetsTable(report.targets));
  console.log(`(${bench.name}: ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  sections.push(text);
  targets.push(...(report.targets ?? []));
}
const seconds = (performance.now() - started) / 1000;
console.log(`\nall benchmarks: ${seconds.toFixed(0)} s`);

if (!smoke && !only) {
  const cpu = cpus()[0]?.model ?? "unknown CPU";
  const header = `# Benchmarks

Written by \`pnpm bench\` (test/bench/run.ts); do not edit by hand. Figures are medians, with the median absolute
deviation (MAD) or p99 as spread, measured side by side in one run, after a warm-up. They are not assertions: CI runs
\`pnpm bench --smoke\` only to prove the benchmarks still work. \`pnpm bench\` builds the packages first: the HTTP
benchmark's servers run the built packages, as an app that installs them does; the others run the sources.

- Machine: ${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB
- Node.js: ${process.version}
- Date: ${new Date().toISOString().slice(0, 10)}
- The whole run took ${seconds.toFixed(0)} s. One benchmark alone: \`pnpm bench --only=<name>\` (${benchmarks.map((b) => b.name).join(", ")}).

## Targets

${targetsTable(targets)}
## Details
`;
  writeFileSync(
    fileURLToPath(new URL("../../docs/benchmarks.md", import.meta.url)),
    `${header}\n${sections.join("\n")}`,
  );
  console.log("wrote docs/benchmarks.md");
}
process.exit(0);
