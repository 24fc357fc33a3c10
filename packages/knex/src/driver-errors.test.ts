import { inspect } from "node:util";
import { AuthError, SafeError } from "@tenantauth/core";
import { describe, expect, it } from "vitest";
import { isConnectionError, isRetryable, isUniqueViolation, toStorageError } from "./driver-errors.js";

// Shapes of the errors each driver throws (code/errno as mysql2, better-sqlite3 and pg set them).
const mysqlDuplicate = Object.assign(new Error("insert into `users` … - Duplicate entry 'a@b.c' for key"), {
  code: "ER_DUP_ENTRY",
  errno: 1062,
});
const mysqlDeadlock = Object.assign(new Error("Deadlock found"), { code: "ER_LOCK_DEADLOCK", errno: 1213 });
const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED", fatal: true });

describe("driver error classification", () => {
  it("recognises unique violations of the three drivers, and nothing else", () => {
    expect(isUniqueViolation(mysqlDuplicate)).toBe(true);
    expect(isUniqueViolation({ code: "SQLITE_CONSTRAINT_UNIQUE" })).toBe(true);
    expect(isUniqueViolation({ code: "SQLITE_CONSTRAINT_PRIMARYKEY" })).toBe(true);
    expect(isUniqueViolation({ code: "23505" })).toBe(true);
    expect(isUniqueViolation({ code: "SQLITE_CONSTRAINT_FOREIGNKEY" })).toBe(false);
    expect(isUniqueViolation({ code: "23503" })).toBe(false);
    expect(isUniqueViolation(new Error("Duplicate entry"))).toBe(false);
  });

  it("recognises deadlocks and busy errors, also behind an AuthError", () => {
    expect(isRetryable(mysqlDeadlock)).toBe(true);
    expect(isRetryable({ code: "40001" })).toBe(true);
    expect(isRetryable({ code: "40P01" })).toBe(true);
    expect(isRetryable({ code: "SQLITE_BUSY" })).toBe(true);
    expect(isRetryable(new AuthError("STORAGE_ERROR", "x", { cause: mysqlDeadlock }))).toBe(true);
    expect(isRetryable(mysqlDuplicate)).toBe(false);
  });

  it("wraps without leaking SQL or values: unavailable for connection failures, error otherwise", () => {
    const unavailable = toStorageError(refused, "findUserByEmail");
    expect(unavailable.code).toBe("STORAGE_UNAVAILABLE");
    // The driver error stays inside the adapter: the cause is its summary (operation, code, table).
    expect(unavailable.cause).toBeInstanceOf(SafeError);
    expect(unavailable.cause).toMatchObject({ operation: "findUserByEmail", code: "ECONNREFUSED" });
    expect(isConnectionError(new Error("Unable to acquire a connection"))).toBe(true);
    expect(isConnectionError({ code: "08006" })).toBe(true);

    const failed = toStorageError(mysqlDuplicate, "createSession");
    expect(failed.code).toBe("STORAGE_ERROR");
    expect(failed.message).toBe("A storage operation failed (createSession)");
    expect(failed.message).not.toMatch(/insert|a@b\.c/);
    expect(failed.cause).toMatchObject({ operation: "createSession", code: "ER_DUP_ENTRY", table: "users" });
    expect(inspect(failed, { depth: null, showHidden: true })).not.toMatch(/insert|a@b\.c|Duplicate/);
    expect(isUniqueViolation(failed)).toBe(true);

    // Deadlocked or busy after every retry: unavailable too (the client may try again), and said so.
    const busy = toStorageError(mysqlDeadlock, "createSession");
    expect(busy.code).toBe("STORAGE_UNAVAILABLE");
    expect(isRetryable(busy)).toBe(true);
    expect(busy.message).toBe("The database is busy; try again (createSession)");
    expect(isConnectionError(mysqlDeadlock)).toBe(false);

    const already = new AuthError("STORAGE_UNAVAILABLE", "x");
    expect(toStorageError(already, "op")).toBe(already);
  });

  it("names the table of the failed statement, from PostgreSQL's field or the statement's head", () => {
    const table = (error: unknown): unknown => (toStorageError(error, "op").cause as SafeError).table;
    expect(table({ code: "23502", table: "ta_users" })).toBe("ta_users");
    expect(table(new Error('update "ta_sessions" set "revoked_at" = 1 where "id" = 2 - boom'))).toBe("ta_sessions");
    expect(table(new Error("select `id` from `ta_roles` where `org_id` = 3 - boom"))).toBe("ta_roles");
    expect(table(Object.assign(new Error("x"), { sql: "delete from `ta_rate_limits` where 1" }))).toBe(
      "ta_rate_limits",
    );
    expect(table(new Error("no statement here"))).toBeUndefined();
  });
});
