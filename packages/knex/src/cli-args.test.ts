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

  it("migrate --status, migrate --unlock, rollback, --lock-timeout in seconds", () => {
    const url = ["--url", "sqlite:a.db"];
    expect(parseCliArgs(["migrate", "--status", ...url], {})).toMatchObject({ kind: "status", url: "sqlite:a.db" });
    expect(parseCliArgs(["migrate", "--unlock", ...url], {})).toMatchObject({ kind: "unlock" });
    expect(parseCliArgs(["rollback", ...url, "--table-prefix", "p_"], {})).toEqual({
      kind: "rollback",
      url: "sqlite:a.db",
      tablePrefix: "p_",
      lockTimeoutMs: undefined,
    });
    expect(parseCliArgs(["migrate", ...url, "--lock-timeout", "2.5"], {})).toMatchObject({
      kind: "migrate",
      lockTimeoutMs: 2500,
    });
    expect(parseCliArgs(["migrate", ...url, "--lock-timeout=0"], {})).toMatchObject({ lockTimeoutMs: 0 });
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
    [["status"], /unknown command "status"; the commands are migrate and rollback/],
    [["migrate", "--status", "--unlock"], /--status and --unlock cannot be combined/],
    [["rollback", "--status"], /--status goes with migrate, not rollback/],
    [["migrate", "--lock-timeout=-1"], /--lock-timeout takes seconds from 0 to 86400, not "-1"/],
    [["migrate", "--lock-timeout", "soon"], /--lock-timeout takes seconds/],
    [["migrate", "--lock-timeout", ""], /--lock-timeout takes seconds/],
    [["migrate", "extra"], /unexpected argument "extra"/],
    [["migrate", "--url"], /--url/],
    [["migrate", "--verbose"], /--verbose/],
    [["migrate"], /no database URL/],
  ])("%j is a usage error", (argv, message) => {
    expect(() => parseCliArgs(argv, {})).toThrow(CliUsageError);
    expect(() => parseCliArgs(argv, {})).toThrow(message);
  });
});
