import type { StorageAdapter } from "@tenantauth/core";
import { afterEach, beforeEach, describe } from "vitest";
import { registerAdminTests } from "./admin.js";
import { registerApiKeyTests } from "./api-keys.js";
import { registerAuditTests } from "./audit.js";
import { registerConcurrencyTests } from "./concurrency.js";
import type { Harness } from "./fixtures.js";
import { registerInvitationAcceptanceTests } from "./invitation-acceptance.js";
import { registerInvitationTests } from "./invitations.js";
import { registerLookAlikeNameTests } from "./look-alike-names.js";
import { registerMailTests } from "./mail.js";
import { registerOrganizationTests } from "./organizations.js";
import { registerRateLimitTests } from "./rate-limits.js";
import { registerRecordTests } from "./records.js";
import { registerRevocationTests } from "./revocation.js";
import { registerRevocationRecordTests } from "./revocation-records.js";
import { registerSessionListingTests } from "./session-listing.js";
import { registerSessionTests } from "./sessions.js";
import { registerStatsTests } from "./stats.js";
import { registerTenancyMemberTests } from "./tenancy-members.js";
import { registerTenancyOrganizationTests } from "./tenancy-organizations.js";
import { registerTenancyRoleTests } from "./tenancy-roles.js";
import { registerTenancyScopingTests } from "./tenancy-scoping.js";
import { registerTransactionTests } from "./transactions.js";
import { registerTwoFactorTests } from "./two-factor.js";
import { registerUserTests } from "./users.js";

/** What {@link runStorageConformance}'s factory returns: a fresh adapter and how to dispose of it. */
export interface ConformanceSubject {
  /** An adapter over an empty, migrated store (built-in roles seeded, no users). */
  storage: StorageAdapter;
  /** Called after each test: close connections, drop the schema or delete the file. */
  cleanup?: () => Promise<void>;
}

/**
 * Registers the storage conformance suite: vitest tests that check an adapter against every rule of the
 * `StorageAdapter` contract (fields that round-trip, `null` for nothing, typed conflicts that write nothing,
 * transactions, refresh-token rotation and reuse, tenancy and its organization scoping, the last-owner invariant,
 * invitations, statistics, single-use tokens, the outbox, concurrency, rate-limit counters, revocation records), through the port alone.
 *
 * Call it at the top level of a test module. Each test gets its own adapter from `factory` (in `beforeEach`) and
 * calls its `cleanup` afterwards (in `afterEach`). The tests only need the data they write themselves, with unique
 * emails and names, but a fresh store per test makes failures easier to read.
 *
 * @param name Shown in the suite's title: `storage conformance: ${name}`.
 * @param factory Creates a fresh adapter for one test.
 * @example
 * // my-adapter.test.ts
 * import { runStorageConformance } from "@tenantauth/testing/conformance";
 * import { myStorage } from "../src/index.js";
 *
 * runStorageConformance("my-adapter", async () => {
 *   const storage = await myStorage({ url: process.env.DATABASE_URL! });
 *   await storage.migrate();
 *   return { storage, cleanup: () => storage.close() };
 * });
 */
export function runStorageConformance(name: string, factory: () => Promise<ConformanceSubject>): void {
  describe(`storage conformance: ${name}`, () => {
    let subject: ConformanceSubject | undefined;
    beforeEach(async () => {
      subject = await factory();
    });
    afterEach(async () => {
      const done = subject;
      subject = undefined;
      await done?.cleanup?.();
    });
    const harness: Harness = {
      storage() {
        if (!subject) throw new Error("runStorageConformance: the factory has not given a storage for this test");
        return subject.storage;
      },
    };
    describe("users", () => registerUserTests(harness));
    describe("organizations and roles", () => registerOrganizationTests(harness));
    describe("tenancy: memberships and organizations", () => registerTenancyOrganizationTests(harness));
    describe("tenancy: members and the last owner", () => registerTenancyMemberTests(harness));
    describe("tenancy: custom roles", () => registerTenancyRoleTests(harness));
    describe("look-alike names", () => registerLookAlikeNameTests(harness));
    describe("tenancy: invitations", () => registerInvitationTests(harness));
    describe("tenancy: accepting invitations", () => registerInvitationAcceptanceTests(harness));
    describe("tenancy: organization scoping", () => registerTenancyScopingTests(harness));
    describe("statistics", () => registerStatsTests(harness));
    describe("single-use tokens and the mail outbox", () => registerMailTests(harness));
    describe("records are values", () => registerRecordTests(harness));
    describe("sessions and refresh-token rotation", () => registerSessionTests(harness));
    describe("revocation", () => registerRevocationTests(harness));
    describe("revocation records", () => registerRevocationRecordTests(harness));
    describe("sessions page: listing and revoking by id", () => registerSessionListingTests(harness));
    describe("audit events", () => registerAuditTests(harness));
    describe("transactions", () => registerTransactionTests(harness));
    describe("concurrency", () => registerConcurrencyTests(harness));
    describe("rate-limit counters", () => registerRateLimitTests(harness));
    describe("two-factor sign-in", () => registerTwoFactorTests(harness));
    describe("API keys", () => registerApiKeyTests(harness));
    describe("platform admin, limits and the active organization", () => registerAdminTests(harness));
  });
}
