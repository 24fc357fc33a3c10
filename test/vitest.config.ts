import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL("..", import.meta.url));
const src = (path: string): string => fileURLToPath(new URL(`../packages/${path}`, import.meta.url));

/** Each workspace import, matched exactly (so `@tenantauth/testing` does not swallow `@tenantauth/testing/conformance`). */
const workspace: Record<string, string> = {
  "@tenantauth/core": "core/src/index.ts",
  "@tenantauth/knex": "knex/src/index.ts",
  "@tenantauth/testing": "testing/src/index.ts",
  "@tenantauth/testing/conformance": "testing/src/conformance/index.ts",
  "@tenantauth/testing/express": "testing/src/request/express.ts",
  "@tenantauth/testing/hono": "testing/src/request/hono.ts",
  "@tenantauth/mail": "mail/src/index.ts",
  "@tenantauth/express": "express/src/index.ts",
  "@tenantauth/hono": "hono/src/index.ts",
  "@tenantauth/redis": "redis/src/index.ts",
};

/**
 * One vitest run for the whole workspace: unit tests beside the code (packages/x/src/x.test.ts) and the
 * cross-package suites in test/. Workspace packages resolve to their sources, so tests need no build.
 */
export default defineConfig({
  root,
  resolve: {
    alias: Object.entries(workspace).map(([name, path]) => ({
      find: new RegExp(`^${name.replace(/[/.]/g, "\\$&")}$`),
      replacement: src(path),
    })),
  },
  test: {
    include: ["packages/*/src/**/*.test.ts", "test/**/*.test.ts", "examples/*/src/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    reporters: ["verbose"],
  },
});
