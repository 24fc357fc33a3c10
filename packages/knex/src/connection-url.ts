import { ConfigError } from "@tenantauth/core";
import type { Knex } from "knex";
import type { Dialect } from "./dialect.js";

/** A database URL turned into a Knex configuration. */
export interface ParsedDatabaseUrl {
  dialect: Dialect;
  /** The npm package of the driver Knex loads for it (`mysql2`, `better-sqlite3` or `pg`). */
  driverPackage: "mysql2" | "better-sqlite3" | "pg";
  config: Knex.Config;
}

const SUPPORTED = "mysql://, mariadb://, postgres://, postgresql:// or sqlite:";

const urlError = (message: string): ConfigError => new ConfigError([{ path: "url", message }]);

/**
 * Turns a database URL into a Knex configuration. Never echoes the URL (it may hold a password).
 *
 * - `mysql://user:pass@host:3306/db?ssl={...}` (or `mariadb://`): client mysql2, utf8mb4, BIGINT as numbers.
 *   Query parameters are passed to mysql2 as options, JSON-parsed when they parse (as mysql2 itself does).
 * - `sqlite:relative/path.db`, `sqlite:///abs/path.db`, `sqlite::memory:`: client better-sqlite3, foreign keys
 *   on, WAL journal for files.
 * - `postgres://…` or `postgresql://…`: client pg.
 *
 * @throws {ConfigError} for an unknown scheme or a URL that cannot be parsed.
 */
export function parseDatabaseUrl(url: string): ParsedDatabaseUrl {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  switch (scheme) {
    case "mysql":
    case "mariadb":
      return { dialect: "mysql", driverPackage: "mysql2", config: mysqlConfig(url) };
    case "sqlite":
      return { dialect: "sqlite", driverPackage: "better-sqlite3", config: sqliteConfig(url.slice("sqlite:".length)) };
    case "postgres":
    case "postgresql":
      return { dialect: "postgres", driverPackage: "pg", config: { client: "pg", connection: url } };
    default:
      throw urlError(
        scheme === undefined
          ? `a database URL is required, starting with ${SUPPORTED}`
          : `unsupported database URL scheme "${scheme}:"; use ${SUPPORTED}`,
      );
  }
}

function mysqlConfig(url: string): Knex.Config {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // No cause: URL's error carries the whole URL, password included, as `input`.
    throw new ConfigError([
      { path: "url", message: "not a valid MySQL URL (mysql://user:password@host:port/database)" },
    ]);
  }
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ""));
  if (!parsed.hostname || !database) {
    throw urlError("a MySQL URL needs a host and a database: mysql://user:password@host:port/database");
  }
  const extra: Record<string, unknown> = {};
  for (const [key, value] of parsed.searchParams) {
    try {
      extra[key] = JSON.parse(value);
    } catch {
      extra[key] = value;
    }
  }
  const host = parsed.hostname.startsWith("[") ? parsed.hostname.slice(1, -1) : parsed.hostname;
  return {
    client: "mysql2",
    connection: {
      ...extra,
      host: decodeURIComponent(host),
      ...(parsed.port ? { port: Number(parsed.port) } : {}),
      user: decodeURIComponent(parsed.username),
      password: decodeURIComponent(parsed.password),
      database,
      // utf8mb4 for the session, and BIGINT / DECIMAL values as JS numbers rather than strings.
      charset: "utf8mb4",
      supportBigNumbers: true,
      bigNumberStrings: false,
      decimalNumbers: true,
    },
  };
}

function sqliteConfig(rest: string): Knex.Config {
  // sqlite:///abs/path.db → /abs/path.db; sqlite://rel.db → rel.db; sqlite:rel.db → rel.db.
  const filename = rest.startsWith("//") ? rest.slice(2) : rest;
  if (!filename)
    throw urlError("a SQLite URL needs a file: sqlite:path/to/file.db, sqlite:///abs/file.db or sqlite::memory:");
  const inMemory = filename === ":memory:";
  return {
    client: "better-sqlite3",
    connection: { filename },
    useNullAsDefault: true,
    pool: {
      afterCreate(connection: { pragma(source: string): unknown }, done: (error: Error | null, c: unknown) => void) {
        try {
          connection.pragma("foreign_keys = ON");
          // Short synchronous busy wait (it blocks the event loop); the adapter retries busy transactions itself.
          connection.pragma("busy_timeout = 50");
          if (!inMemory) connection.pragma("journal_mode = WAL");
          done(null, connection);
        } catch (error) {
          done(error as Error, connection);
        }
      },
    },
  };
}
