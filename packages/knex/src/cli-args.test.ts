import { describe, expect, it } from "vitest";
import { CliUsageError, parseCliArgs } from "./cli-args.js";

describe("parseCliArgs", () => {
  it("migrate --url --table-prefix", () => {
    expect(parseCliArgs(["migrate", "--url", "sqlite:a.db", "--table-prefix", "auth_"], {})).toEqual({
      kind: "migrate",
      url: "sqlite:a.db",
      tablePrefix: "auth_",
    });
    expect(parseCliArgs(["migrate", "--url=sqlite:a.db"], {})).toEqual({
      kind: "migrate",
      url: "sqlite:a.db",
      tablePrefix: "",
    });
  });

  it("falls back to TENANTAUTH_DATABASE_URL, then DATABASE_URL; --url wins", () => {
    const env = { TENANTAUTH_DATABASE_URL: "sqlite:t.db", DATABASE_URL: "sqlite:d.db" };
    expect(parseCliArgs(["migrate"], env)).toMatchObject({ url: "sqlite:t.db" });
    expect(parseCliArgs(["migrate"], { DATABASE_URL: "sqlite:d.db" })).toMatchObject({ url: "sqlite:d.db" });
    expect(parseCliArgs(["migrate", "--url", "sqlite:u.db"], env)).toMatchObject({ url: "sqlite:u.db" });
  });

  it("--help and -h win over everything else", () => {
    expect(parseCliArgs(["--help"], {})).toEqual({ kind: "help" });
    expect(parseCliArgs(["migrate", "-h"], {})).toEqual({ kind: "help" });
  });

  it.each([
    [[], /missing command/],
    [["rollback"], /unknown command "rollback"/],
    [["migrate", "extra"], /unexpected argument "extra"/],
    [["migrate", "--url"], /--url/],
    [["migrate", "--verbose"], /--verbose/],
    [["migrate"], /no database URL/],
  ])("%j is a usage error", (argv, message) => {
    expect(() => parseCliArgs(argv, {})).toThrow(CliUsageError);
    expect(() => parseCliArgs(argv, {})).toThrow(message);
  });
});
