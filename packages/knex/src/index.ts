export type { ParsedDatabaseUrl } from "./connection-url.js";
export { parseDatabaseUrl } from "./connection-url.js";
export type { Dialect } from "./dialect.js";
export type { KnexStorage } from "./knex-storage.js";
export { knexStorage } from "./knex-storage.js";
export type { MigrateResult, MigrationStatus, RollbackResult } from "./migrate.js";
export { migrate, migrationStatus, rollbackMigration, unlockMigrations } from "./migrate.js";
export type { AppliedMigration, KnexLockRows } from "./migration-book.js";
export type { KnexStorageOptions, MigrateOptions } from "./options.js";
