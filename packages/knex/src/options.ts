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
});

/** Options of `knexStorage()` and `migrate()`, as the caller writes them. */
export type KnexStorageOptions = z.input<typeof knexStorageOptionsSchema>;

/** Options after validation, defaults applied. */
export type ResolvedKnexStorageOptions = z.output<typeof knexStorageOptionsSchema>;

/** Validates options. @throws {ConfigError} naming each bad field. */
export function resolveOptions(options: KnexStorageOptions | undefined): ResolvedKnexStorageOptions {
  const parsed = knexStorageOptionsSchema.safeParse(options ?? {});
  if (parsed.success) return parsed.data;
  throw new ConfigError(parsed.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message })));
}
