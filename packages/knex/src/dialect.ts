import { ConfigError } from "@tenantauth/core";
import type { Knex } from "knex";

/** The SQL dialects the adapter supports. MySQL (and MariaDB) is the primary target. */
export type Dialect = "mysql" | "sqlite" | "postgres";

// knex's `client.dialect` is inherited by every client of a family: mysql2 → "mysql", better-sqlite3 → "sqlite3".
const BY_KNEX_DIALECT: Record<string, Dialect> = {
  mysql: "mysql",
  sqlite3: "sqlite",
  postgresql: "postgres",
};

/**
 * The dialect of a Knex instance.
 *
 * @throws {ConfigError} when the instance uses a client the adapter does not support (e.g. mssql, oracle).
 */
export function dialectOf(knex: Knex): Dialect {
  const client = knex.client as { dialect?: unknown; driverName?: unknown };
  const dialect = typeof client.dialect === "string" ? BY_KNEX_DIALECT[client.dialect] : undefined;
  if (!dialect) {
    throw new ConfigError([
      {
        path: "knex",
        message: `unsupported Knex client "${String(client.driverName ?? client.dialect)}": use mysql2, better-sqlite3 or pg`,
      },
    ]);
  }
  return dialect;
}
