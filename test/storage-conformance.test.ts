import { runStorageConformance } from "@tenantauth/testing/conformance";
import { describe, it } from "vitest";
import { backends } from "./support/backends.js";
import { mysqlAvailability } from "./support/mysql.js";

// The one storage contract, checked on every backend: memory, SQLite (file, WAL) and MySQL (when available).
for (const backend of backends) runStorageConformance(backend.label, backend.create);

const mysql = await mysqlAvailability();
if (!mysql.available) {
  // Keeps the backend visible in the output as skipped, with the reason.
  describe(`storage conformance: mysql (skipped: ${mysql.reason})`, () => {
    it.skip("needs MySQL", () => {});
  });
}
