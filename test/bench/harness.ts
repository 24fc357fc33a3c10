import { Bench } from "tinybench";

/** One benchmark's printed result: a small table plus notes (targets, ratios). */
export interface BenchReport {
  title: string;
  columns: string[];
  rows: Array<Array<string | number>>;
  notes?: string[];
}

/** A benchmark module: `run` measures and reports; `smoke` makes it tiny (CI only checks that it still works). */
export interface Benchmark {
  name: string;
  run(options: { smoke: boolean }): Promise<BenchReport>;
}

/** Median and spread of one measured task, in milliseconds. */
export interface Timing {
  name: string;
  medianMs: number;
  madMs: number;
  p99Ms: number;
  samples: number;
  opsPerSecond: number;
}

/**
 * Measures async tasks side by side in one tinybench run (warm-up included) and returns median, MAD and p99.
 * `iterations` and `time` bound the run; in smoke mode callers pass tiny values.
 */
export async function measure(
  tasks: Record<string, () => Promise<unknown> | unknown>,
  options: { iterations: number; time?: number; warmupIterations?: number },
): Promise<Timing[]> {
  const bench = new Bench({
    iterations: options.iterations,
    time: options.time ?? 0,
    warmupIterations: options.warmupIterations ?? Math.max(1, Math.floor(options.iterations / 10)),
    warmupTime: 0,
    throws: true,
  });
  for (const [name, fn] of Object.entries(tasks)) bench.add(name, fn);
  await bench.run();
  return bench.tasks.map((task) => {
    const result = task.result;
    if (result.state !== "completed") throw new Error(`benchmark task ${task.name} did not complete: ${result.state}`);
    return {
      name: task.name,
      medianMs: result.latency.p50,
      madMs: result.latency.mad,
      p99Ms: result.latency.p99,
      samples: result.latency.samples?.length ?? options.iterations,
      opsPerSecond: result.throughput.p50,
    };
  });
}

/** Formats milliseconds for tables. */
export const ms = (value: number): string =>
  value >= 100 ? value.toFixed(0) : value >= 1 ? value.toFixed(2) : value.toFixed(4);

/** Formats a ratio. */
export const ratio = (value: number): string => value.toFixed(2);
