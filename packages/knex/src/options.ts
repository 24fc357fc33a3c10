import { ConfigError } from "@tenantauth/core";
import * as z from "zod";

/**
 * Options of `knexStorage()` and `migrate()`.
 */
export const knexStorageOptionsSchema = z.object({
  /**
   * Prepended to every table name (and so to every index name), e.g. `auth_`.
   * Letters, digits and underscores, at most 20 characters, so generated index names stay within
   * MySQL's and PostgreSQL's 63-character limit.
   * @default ""
   */
  tablePrefix: z
    .string()
    .max(20)
    .regex(/^[A-Za-z0-9_]*$/, "letters, digits and underscores only")
    .default(""),
  /**
   * For a storage made from a URL: the longest wait for one statement's answer, in ms; past it the statement fails
   * with `STORAGE_UNAVAILABLE` (HTTP 503 with `Retry-After`) and its connection is dropped, so a network partition
   * or a stuck server holds no request longer than this. Migrations are not bounded. 0 turns it off. A Knex instance
   * of your own is left alone: bound it yourself (`.timeout()`, the driver's settings). @default 5000
   */
  statementTimeoutMs: z.number().int().min(0).max(600_000).default(5_000),
  /**
   * For a storage made from a URL: the longest wait for a free pooled connection (or a new one), in ms, before the
   * call fails with `STORAGE_UNAVAILABLE`. Knex's own default is 60 s. @default 5000
   */
  acquireTimeoutMs: z.number().int().min(100).max(600_000).default(5_000),
});

/** Options of `knexStorage()` and `migrate()`, as the caller writes them. */
export type KnexStorageOptions = z.input<typeof knexStorageOptionsSchema>;

/** Options after validation, defaults applied. */
export type ResolvedKnexStorageOptions = z.output<typeof knexStorageOptionsSchema>;

/** Validates options. @throws {ConfigError} naming each bad field. */
export function resolveOptions(options: KnexStorageOptions | undefined): ResolvedKnexStorageOptions {
  return parseOrThrow(knexStorageOptionsSchema, options);
}

/** Options of `migrate()`, `rollbackMigration()`, `migrationStatus()` and `unlockMigrations()`. */
export const migrateOptionsSchema = knexStorageOptionsSchema.extend({
  /**
   * How long a migrator waits for the migration lock while another one runs, in milliseconds; then it fails
   * with `STORAGE_UNAVAILABLE` saying what to do. (Whole seconds on MySQL: `GET_LOCK` rounds up.)
   * @default 300000 (5 minutes)
   */
  lockTimeoutMs: z
    .number()
    .int()
    .min(0)
    .max(24 * 3_600_000)
    .default(300_000),
});

/** Options of the migration functions, as the caller writes them. */
export type MigrateOptions = z.input<typeof migrateOptionsSchema>;

/** Validates migration options. @throws {ConfigError} naming each bad field. */
export function resolveMigrateOptions(options: MigrateOptions | undefined): z.output<typeof migrateOptionsSchema> {
  return parseOrThrow(migrateOptionsSchema, options);
}

function parseOrThrow<S extends z.ZodType>(schema: S, options: unknown): z.output<S> {
  const parsed = schema.safeParse(options ?? {});
  if (parsed.success) return parsed.data;
  throw new ConfigError(parsed.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message })));
}
