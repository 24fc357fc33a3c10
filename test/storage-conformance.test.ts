import { knexStorage } from "@tenantauth/knex";
import { memoryStorage } from "@tenantauth/testing";
import { runStorageConformance } from "@tenantauth/testing/conformance";
import { describe, it } from "vitest";
import { mysqlAvailability, mysqlTestDatabase } from "./support/mysql.js";
import { sqliteTestFile } from "./support/sqlite.js";

// The one storage contract, checked on every backend: memory, SQLite (file, WAL) and MySQL (when available).

runStorageConformance("memory", async () => ({ storage: memoryStorage() }));

runStorageConformance("sqlite (knex, better-sqlite3)", async () => {
  const file = await sqliteTestFile();
  const storage = knexStorage(`sqlite:${file.path}`);
  await storage.migrate();
  return {
    storage,
    async cleanup() {
      await storage.destroy();
      await file.cleanup();
    },
  };
});

const mysql = await mysqlAvailability();
if (mysql.available) {
  runStorageConformance(
    `mysql (knex, mysql2, ${mysql.source === "env" ? "TENANTAUTH_TEST_MYSQL_URL" : "Testcontainers"})`,
    async () => {
      const db = await mysqlTestDatabase();
      const storage = knexStorage(db.url);
      await storage.migrate();
      return {
        storage,
        async cleanup() {
          await storage.destroy();
          await db.cleanup();
        },
      };
    },
  );
} else {
  // Keeps the backend visible in the output as skipped, with the reason.
  describe(`storage conformance: mysql (skipped: ${mysql.reason})`, () => {
    it.skip("needs MySQL", () => {});
  });
}
