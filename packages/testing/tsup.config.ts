import { defineConfig } from "tsup";

export default defineConfig({
  // `conformance` imports vitest; keeping it a separate entry lets `memoryStorage` load without it.
  // `express` and `hono` import neither framework (they take the app structurally), so neither is a dependency.
  entry: {
    index: "src/index.ts",
    conformance: "src/conformance/index.ts",
    express: "src/request/express.ts",
    hono: "src/request/hono.ts",
  },
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "node20",
  shims: true,
});
