import { authorizeClaimsBenchmark } from "./authorize-claims.bench.js";
import type { Benchmark } from "./harness.js";
import { httpAdaptersBenchmark } from "./http-adapters.bench.js";
import { mailRenderBenchmark } from "./mail-render.bench.js";
import { statsBenchmark } from "./stats.bench.js";

/** Every benchmark `pnpm bench` runs, in order. */
export const benchmarks: Benchmark[] = [
  statsBenchmark,
  httpAdaptersBenchmark,
  mailRenderBenchmark,
  authorizeClaimsBenchmark,
];
