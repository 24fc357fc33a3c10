import { ConfigError, type MailStorage, type StorageAdapter } from "@tenantauth/core";
import type { Knex } from "knex";
import { createAdapter } from "./adapter.js";
import { parseDatabaseUrl } from "./connection-url.js";
import type { Db } from "./db.js";
import { type Dialect, dialectOf } from "./dialect.js";
import { toStorageError } from "./driver-errors.js";
import { migrate } from "./migrate.js";
import { openKnex } from "./open-knex.js";
import { type KnexStorageOptions, resolveOptions } from "./options.js";
import { boundStatements } from "./statement-timeout.js";
import { tableNames } from "./tables.js";

/** The Knex storage adapter: a {@link StorageAdapter} plus access to its Knex instance and schema. */
export interface KnexStorage extends StorageAdapter, MailStorage {
  /** The Knex instance the adapter runs on (the caller's, or the one it created from a URL). */
  readonly knex: Knex;
  /** The database family, from the Knex client. */
  readonly dialect: Dialect;
  /** Creates or upgrades the tables; see {@link migrate}. */
  migrate(): Promise<void>;
  /** Closes the connection pool if the adapter created it from a URL; leaves a caller's Knex instance alone. */
  destroy(): Promise<void>;
}

/**
 * The default storage adapter, on Knex: MySQL / MariaDB (mysql2) first; SQLite (better-sqlite3) and
 * PostgreSQL (pg) pass the same conformance suite.
 *
 * Pass your own Knex instance, or a URL for the adapter to create one:
 * `mysql://user:pass@host:3306/db` (or `mariadb://`), `postgres://…` / `postgresql://…`,
 * `sqlite:path/to/file.db`, `sqlite:///abs/file.db`, `sqlite::memory:`. From a URL, MySQL sessions use utf8mb4
 * and return BIGINTs as numbers; SQLite gets foreign keys on and (for files) WAL.
 *
 * @example
 * const storage = knexStorage(process.env.DATABASE_URL!, { tablePrefix: "auth_" });
 * await storage.migrate();
 * const auth = createAuth({ secret, storage });
 * @throws {ConfigError} for an unknown URL scheme, a missing driver package (the message names it), an
 *   unsupported Knex client, or invalid options.
 */
export function knexStorage(knexOrUrl: Knex | string, options?: KnexStorageOptions): KnexStorage {
  const { tablePrefix, statementTimeoutMs, acquireTimeoutMs } = resolveOptions(options);
  let knex: Knex;
  let owned = false;
  if (typeof knexOrUrl === "string") {
    const parsed = parseDatabaseUrl(knexOrUrl);
    knex = openKnex({ ...parsed.config, acquireConnectionTimeout: acquireTimeoutMs }, parsed.driverPackage);
    boundStatements(knex, statementTimeoutMs);
    owned = true;
  } else if (typeof knexOrUrl === "function" && "client" in knexOrUrl) {
    knex = knexOrUrl;
  } else {
    throw new ConfigError([{ path: "knex", message: "expected a Knex instance or a database URL" }]);
  }
  const dialect = dialectOf(knex);
  const db: Db = { root: knex, q: knex, trx: null, dialect, t: tableNames(tablePrefix) };
  const driver = (knex.client as { driverName?: unknown }).driverName;
  return {
    ...createAdapter(db, `knex:${typeof driver === "string" ? driver : dialect}`),
    knex,
    dialect,
    async migrate() {
      await migrate(knex, { tablePrefix });
    },
    async destroy() {
      if (!owned) return;
      try {
        await knex.destroy();
      } catch (error) {
        throw toStorageError(error, "destroy");
      }
    },
  };
}
