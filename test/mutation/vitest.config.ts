import { defineConfig } from "vitest/config";
import base from "../vitest.config.js";

/**
 * The suites that guard the security-critical modules, for `pnpm mutation` (stryker.config.mjs). They run on memory
 * and SQLite storage (the MySQL and PostgreSQL runs are left out when their URLs are unset), so each mutant costs
 * seconds, not minutes.
 */
export const securitySuites = [
  "test/accounts.test.ts",
  "test/audit.test.ts",
  "test/impersonation.test.ts",
  "test/invitation-throttle.test.ts",
  "test/limits.test.ts",
  "test/malicious-lockout.test.ts",
  "test/mail-flows.test.ts",
  "test/revocation.test.ts",
  "test/security-chain.test.ts",
  "test/suspended-members.test.ts",
  "test/token-spending.test.ts",
  "test/two-factor-brute-force.test.ts",
  "test/active-organization.test.ts",
  "test/admin.test.ts",
  "test/api-keys.test.ts",
  "test/isolation.test.ts",
  "test/organizations.test.ts",
  "test/rate-limit.test.ts",
  "test/roles-invitations.test.ts",
  "test/sessions.test.ts",
  "test/two-factor.test.ts",
  "test/membership-race.test.ts",
  "test/tenancy-interleavings.test.ts",
  "test/storage-conformance.test.ts",
  "test/statement-counts.test.ts",
  "packages/core/src/sessions/*.test.ts",
  "packages/core/src/tenancy/*.test.ts",
];

/** The workspace config with only those suites (mergeConfig would append to `include`, not replace it). */
export default defineConfig({ ...base, test: { ...base.test, include: securitySuites, reporters: ["dot"] } });
