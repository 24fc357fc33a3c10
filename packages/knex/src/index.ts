export type { ParsedDatabaseUrl } from "./connection-url.js";
export { parseDatabaseUrl } from "./connection-url.js";
export type { Dialect } from "./dialect.js";
export type { KnexStorage } from "./knex-storage.js";
export { knexStorage } from "./knex-storage.js";
export type { MigrateResult } from "./migrate.js";
export { migrate } from "./migrate.js";
export type { KnexStorageOptions } from "./options.js";
