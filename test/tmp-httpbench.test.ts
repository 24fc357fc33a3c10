import { it } from "vitest";
import { httpAdaptersBenchmark } from "./bench/http-adapters.bench.js";

it("bench", async () => {
  const t = performance.now();
  console.log(JSON.stringify(await httpAdaptersBenchmark.run({ smoke: false }), null, 1));
  console.log((performance.now() - t) / 1000);
}, 120_000);
