import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { AuthError } from "../errors.js";
import { SafeError, safeCodeOf, safeErrorFields } from "./safe-error.js";

const SECRET = "alice@example.com $argon2id$v=19$m=19456 insert into `users`";

describe("safeErrorFields", () => {
  it("keeps name, code and frames of a foreign error, never its message or other fields", () => {
    const driver = Object.assign(new Error(`${SECRET} - Duplicate entry`), {
      code: "ER_DUP_ENTRY",
      sql: SECRET,
      bindings: [SECRET],
    });
    const fields = safeErrorFields(driver);
    expect(fields).toMatchObject({ name: "Error", code: "ER_DUP_ENTRY" });
    expect(fields.frames?.[0]).toMatch(/^at /);
    expect(JSON.stringify(fields)).not.toMatch(/alice|argon2|insert|Duplicate/);
  });

  it("keeps an AuthError's code, status and message, and reduces its cause chain", () => {
    const wrapped = new AuthError("STORAGE_ERROR", "A storage operation failed (op)", {
      cause: Object.assign(new Error(SECRET), { errno: 1062 }),
    });
    const fields = safeErrorFields(wrapped);
    expect(fields).toMatchObject({
      name: "AuthError",
      code: "STORAGE_ERROR",
      status: 500,
      message: "A storage operation failed (op)",
      cause: { name: "Error", code: "1062" },
    });
    expect(JSON.stringify(fields)).not.toMatch(/alice|argon2|insert/);
  });

  it("gives only the type of a thrown non-error (a string could be anything)", () => {
    expect(safeErrorFields(SECRET)).toEqual({ name: "string" });
    expect(safeErrorFields({ message: SECRET })).toEqual({ name: "object" });
  });

  it("drops codes and names that are not plain tokens", () => {
    expect(safeCodeOf({ code: SECRET })).toBeUndefined();
    expect(safeCodeOf(Object.assign(new Error("x"), { name: SECRET }))).toBeUndefined();
    expect(safeCodeOf(new RangeError("x"))).toBe("RangeError");
    expect(safeCodeOf({ sqlState: "23505" })).toBe("23505");
  });
});

describe("SafeError", () => {
  it("prints as operation, code and table only, however it is printed", () => {
    const summary = SafeError.of(
      Object.assign(new Error(SECRET), { code: "SQLITE_ERROR" }),
      "createSession",
      "sessions",
    );
    expect(summary.message).toBe("createSession failed (SQLITE_ERROR) on sessions");
    const printed = inspect(new AuthError("STORAGE_ERROR", "x", { cause: summary }), { depth: null, showHidden: true });
    expect(printed).toContain("createSession failed (SQLITE_ERROR) on sessions");
    expect(printed).not.toMatch(/alice|argon2|insert/);
  });

  it("refuses identifiers that are not identifiers", () => {
    const summary = new SafeError({ operation: SECRET, code: "X", table: "users; drop" });
    expect(summary).toMatchObject({ operation: undefined, code: "X", table: undefined });
  });
});
