import { defineConfig } from "tsup";

export default defineConfig({
  // `conformance` imports vitest; keeping it a separate entry lets `memoryStorage` load without it.
  entry: { index: "src/index.ts", conformance: "src/conformance/index.ts" },
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "node20",
  shims: true,
});
