import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL("..", import.meta.url));
const src = (pkg: string): string => fileURLToPath(new URL(`../packages/${pkg}/src/index.ts`, import.meta.url));

/**
 * One vitest run for the whole workspace: unit tests beside the code (packages/x/src/x.test.ts) and the
 * cross-package suites in test/. Workspace packages resolve to their sources, so tests need no build.
 */
export default defineConfig({
  root,
  resolve: {
    alias: {
      "@tenantauth/core": src("core"),
      "@tenantauth/knex": src("knex"),
      "@tenantauth/testing": src("testing"),
    },
  },
  test: {
    include: ["packages/*/src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    reporters: ["default"],
  },
});
