// @ts-check
/**
 * Mutation testing of the security-critical modules: `pnpm mutation` (a report, like the benchmarks; not a CI step).
 * Each mutant is one small change to the code; the security suites (test/mutation/vitest.config.ts) must notice it.
 * The score and every surviving mutant are discussed in docs/security.md.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  testRunner: "vitest",
  vitest: { configFile: "test/mutation/vitest.config.ts", related: false },
  plugins: ["@stryker-mutator/vitest-runner"],
  mutate: [
    "packages/core/src/tenancy/permissions.ts",
    "packages/core/src/tenancy/members.ts",
    "packages/core/src/tenancy/roles.ts",
    "packages/core/src/tenancy/invitations.ts",
    "packages/core/src/tenancy/organization-lifecycle.ts",
    "packages/core/src/sessions/access-token.ts",
    "packages/core/src/sessions/sessions.ts",
    "packages/core/src/sessions/principal.ts",
    "packages/core/src/sessions/active-organization.ts",
    "packages/core/src/sessions/revocations.ts",
    "packages/core/src/sessions/revocation-cache.ts",
    "packages/core/src/sessions/session-management.ts",
    "packages/core/src/api-keys/*.ts",
    "packages/core/src/admin/platform-admin.ts",
    "packages/core/src/admin/users.ts",
    "packages/core/src/rate-limit/throttle.ts",
    "packages/core/src/rate-limit/counters.ts",
    "packages/core/src/rate-limit/user-throttles.ts",
    "packages/core/src/two-factor/challenge.ts",
    "packages/knex/src/operations/memberships.ts",
  ],
  // Error messages are not guards: a changed message is caught by no security property, so string literals are not
  // mutated. Every other mutator (conditions, operators, booleans, objects, arrays, blocks) is.
  mutator: { excludedMutations: ["StringLiteral"] },
  coverageAnalysis: "perTest",
  concurrency: 2,
  timeoutMS: 30000,
  reporters: ["clear-text", "json", "progress"],
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  tempDirName: ".stryker-tmp",
  cleanTempDir: "always",
  ignoreStatic: true,
};
