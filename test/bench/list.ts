import { authenticateBenchmark } from "./authenticate.bench.js";
import { authorizeClaimsBenchmark } from "./authorize-claims.bench.js";
import type { Benchmark } from "./harness.js";
import { httpAdaptersBenchmark } from "./http-adapters.bench.js";
import { mailRenderBenchmark } from "./mail-render.bench.js";
import { signinBenchmark } from "./signin.bench.js";
import { authorizeBenchmark, statementsBenchmark } from "./sql-operations.bench.js";
import { statsBenchmark } from "./stats.bench.js";

/**
 * Every benchmark `pnpm bench` runs, in order. To add one: export a `Benchmark` from a `*.bench.ts` file in this
 * folder and add it here (test/bench-smoke.test.ts fails for a bench file whose benchmark is not listed).
 */
export const benchmarks: Benchmark[] = [
  signinBenchmark,
  authenticateBenchmark,
  authorizeBenchmark,
  statementsBenchmark,
  statsBenchmark,
  httpAdaptersBenchmark,
  mailRenderBenchmark,
  authorizeClaimsBenchmark,
];
