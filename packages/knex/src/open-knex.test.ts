import { ConfigError } from "@tenantauth/core";
import { afterEach, describe, expect, it, vi } from "vitest";
import { knexStorage } from "./knex-storage.js";
import { openKnex } from "./open-knex.js";

describe("openKnex / knexStorage(url)", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("a driver that is not installed gives a ConfigError naming the package, and Knex prints nothing", () => {
    // The `mysql` (v1) driver is not installed in this workspace: Knex really fails to load it.
    const printed = [
      vi.spyOn(console, "log").mockImplementation(() => {}),
      vi.spyOn(console, "error").mockImplementation(() => {}),
      vi.spyOn(console, "warn").mockImplementation(() => {}),
    ];
    let caught: unknown;
    try {
      openKnex({ client: "mysql", connection: { host: "127.0.0.1" } }, "mysql");
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).message).toContain("install mysql: npm install mysql");
    expect((caught as ConfigError).cause).toBeInstanceOf(Error);
    for (const spy of printed) expect(spy).not.toHaveBeenCalled();
  });

  it("knexStorage(url) creates Knex with the URL's driver and names itself after it", async () => {
    const sqlite = knexStorage("sqlite::memory:");
    const mysql = knexStorage("mysql://root@127.0.0.1:1/never_connected");
    try {
      expect([sqlite.name, sqlite.dialect]).toEqual(["knex:better-sqlite3", "sqlite"]);
      expect([mysql.name, mysql.dialect]).toEqual(["knex:mysql2", "mysql"]);
    } finally {
      await sqlite.destroy();
      await mysql.destroy();
    }
  });

  it("knexStorage rejects an unknown scheme, a non-Knex value and a bad table prefix with ConfigError", () => {
    expect(() => knexStorage("redis://localhost")).toThrow(ConfigError);
    expect(() => knexStorage(42 as never)).toThrow(/expected a Knex instance or a database URL/);
    expect(() => knexStorage("sqlite::memory:", { tablePrefix: "bad-prefix;" })).toThrow(/tablePrefix/);
    expect(() => knexStorage("sqlite::memory:", { tablePrefix: "x".repeat(21) })).toThrow(ConfigError);
  });
});
