import { inspect } from "node:util";
import { ConfigError } from "@tenantauth/core";
import { describe, expect, it } from "vitest";
import { parseDatabaseUrl } from "./connection-url.js";

const configError = (fn: () => unknown): ConfigError => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error("expected a ConfigError");
};

describe("parseDatabaseUrl", () => {
  it("mysql:// → mysql2 with utf8mb4, numbers for BIGINT/DECIMAL, decoded credentials and query options", () => {
    const parsed = parseDatabaseUrl(
      "mysql://us%40er:p%3Ass@db.example:3307/app?ssl=%7B%22rejectUnauthorized%22%3Atrue%7D&connectTimeout=5000",
    );
    expect(parsed.dialect).toBe("mysql");
    expect(parsed.driverPackage).toBe("mysql2");
    expect(parsed.config.client).toBe("mysql2");
    expect(parsed.config.connection).toMatchObject({
      host: "db.example",
      port: 3307,
      user: "us@er",
      password: "p:ss",
      database: "app",
      charset: "utf8mb4",
      supportBigNumbers: true,
      bigNumberStrings: false,
      decimalNumbers: true,
      ssl: { rejectUnauthorized: true },
      connectTimeout: 5000,
    });
  });

  it("mariadb:// is MySQL too; no port means the driver's default", () => {
    const parsed = parseDatabaseUrl("mariadb://root@127.0.0.1/test");
    expect(parsed.dialect).toBe("mysql");
    expect(parsed.config.connection).not.toHaveProperty("port");
  });

  it("a query parameter cannot turn off the number/utf8mb4 normalisation", () => {
    const parsed = parseDatabaseUrl("mysql://root@h/db?charset=latin1&bigNumberStrings=true");
    expect(parsed.config.connection).toMatchObject({ charset: "utf8mb4", bigNumberStrings: false });
  });

  it.each([
    ["sqlite:data/app.db", "data/app.db"],
    ["sqlite:///var/lib/app.db", "/var/lib/app.db"],
    ["sqlite://app.db", "app.db"],
    ["sqlite::memory:", ":memory:"],
  ])("%s → better-sqlite3 file %s", (url, filename) => {
    const parsed = parseDatabaseUrl(url);
    expect(parsed.dialect).toBe("sqlite");
    expect(parsed.driverPackage).toBe("better-sqlite3");
    expect(parsed.config).toMatchObject({ client: "better-sqlite3", connection: { filename }, useNullAsDefault: true });
    expect(parsed.config.pool?.afterCreate).toBeTypeOf("function");
  });

  it.each(["postgres://u:p@h:5432/db", "postgresql://u:p@h/db"])("%s → pg", (url) => {
    const parsed = parseDatabaseUrl(url);
    expect(parsed).toMatchObject({
      dialect: "postgres",
      driverPackage: "pg",
      config: { client: "pg", connection: url },
    });
  });

  it("rejects an unknown scheme without echoing the URL (it may hold a password)", () => {
    const error = configError(() => parseDatabaseUrl("mongodb://admin:s3cret@h/db"));
    expect(error.message).toMatch(/unsupported database URL scheme "mongodb:"/);
    expect(error.message).toMatch(/mysql:\/\//);
    expect(error.message).not.toContain("s3cret");
  });

  it("rejects a malformed MySQL URL without keeping it anywhere, cause included (printed, it would show the password)", () => {
    const error = configError(() => parseDatabaseUrl("mysql://root:s3cret@[not-a-host/db"));
    expect(error.message).toMatch(/not a valid MySQL URL/);
    expect(inspect(error, { depth: null, showHidden: true })).not.toContain("s3cret");
  });

  it.each([
    ["", /a database URL is required/],
    ["not a url", /a database URL is required/],
    ["sqlite:", /needs a file/],
    ["mysql://root@host", /needs a host and a database/],
    ["mysql://", /not a valid MySQL URL|needs a host/],
  ])("rejects %j", (url, message) => {
    expect(configError(() => parseDatabaseUrl(url)).message).toMatch(message);
  });
});
