import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { MAIL_TEMPLATES } from "@tenantauth/core";
import { describe, expect, it } from "vitest";
import { parseMailArgs } from "./cli-args.js";
import { hasPlaceholder } from "./placeholders.js";
import { runMailCli } from "./run-cli.js";

const run = async (argv: string[]) => {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await runMailCli(argv, { stdout: (l) => stdout.push(l), stderr: (l) => stderr.push(l) });
  return { code, stdout: stdout.join("\n"), stderr: stderr.join("\n") };
};

const LINKS: Record<string, string> = {
  "verify-email": "/verify-email?token=",
  "password-reset": "/reset-password?token=",
  invitation: "/accept-invitation?token=",
  "password-changed": "/forgot-password",
  welcome: "",
  "account-exists": "/signin",
  "two-factor-enabled": "/account",
  "two-factor-disabled": "/forgot-password",
  "two-factor-locked": "/forgot-password",
};

describe("tenantauth-mail arguments", () => {
  it("parses preview options in both forms", () => {
    expect(parseMailArgs(["--help"])).toEqual({ kind: "help" });
    expect(parseMailArgs([])).toEqual({ kind: "help" });
    expect(parseMailArgs(["preview", "--out", "x"])).toEqual({
      kind: "preview",
      out: "x",
      options: { appUrl: "https://app.example.com" },
    });
    expect(
      parseMailArgs([
        "preview",
        "--out=x",
        "--app-url",
        "https://a.test",
        "--product=Acme",
        "--color",
        "#112233",
        "--locale",
        "fr",
      ]),
    ).toEqual({
      kind: "preview",
      out: "x",
      locale: "fr",
      options: { appUrl: "https://a.test", productName: "Acme", primaryColor: "#112233" },
    });
  });

  it("refuses bad arguments with one line", () => {
    expect(() => parseMailArgs(["preview"])).toThrow("--out DIR is required");
    expect(() => parseMailArgs(["send"])).toThrow('unknown command "send" (try --help)');
    expect(() => parseMailArgs(["preview", "--out", "x", "--bogus", "1"])).toThrow("unknown option --bogus");
    expect(() => parseMailArgs(["preview", "--out"])).toThrow("--out needs a value");
    expect(() => parseMailArgs(["preview", "--out", "--product", "x"])).toThrow("--out needs a value");
  });
});

describe("tenantauth-mail preview", () => {
  it("writes every template as .html and .txt, with links and no unreplaced placeholder", async () => {
    const dir = join(await mkdtemp(join(tmpdir(), "tenantauth-preview-")), "nested");
    const result = await run(["preview", "--out", dir, "--app-url", "https://app.acme.test", "--product", "Acme"]);
    expect(result).toEqual({ code: 0, stdout: `wrote ${MAIL_TEMPLATES.length * 2} files to ${dir}`, stderr: "" });
    expect(readdirSync(dir).sort()).toEqual(MAIL_TEMPLATES.flatMap((t) => [`${t}.html`, `${t}.txt`]).sort());
    for (const template of MAIL_TEMPLATES) {
      const html = readFileSync(join(dir, `${template}.html`), "utf8");
      const text = readFileSync(join(dir, `${template}.txt`), "utf8");
      const link = `https://app.acme.test${LINKS[template]}`;
      expect(html).toMatch(/^<!doctype html>/i);
      expect(html).toContain(`href="${link}`);
      expect(text).toMatch(/^Subject: .*Acme/);
      expect(text).toContain(link);
      for (const out of [html, text]) {
        expect(hasPlaceholder(out)).toBe(false);
        expect(out).not.toMatch(/\{[A-Za-z]+\}|undefined/);
      }
    }
    expect(readFileSync(join(dir, "invitation.html"), "utf8")).toContain("Acme &lt;Rockets&gt; &amp; Co");
  });

  it("prints help, and fails with exit 1 and one line on bad input", async () => {
    expect((await run(["--help"])).stdout).toMatch(/^Usage: tenantauth-mail preview --out DIR/);
    expect(await run(["preview"])).toEqual({ code: 1, stdout: "", stderr: "tenantauth-mail: --out DIR is required" });
    const badUrl = await run(["preview", "--out", tmpdir(), "--app-url", "nope"]);
    expect(badUrl.code).toBe(1);
    expect(badUrl.stderr).toBe("tenantauth-mail: invalid mail options: appUrl: must be an absolute http(s) URL");
  });

  it("runs as a program: exit code and stderr", async () => {
    const cli = fileURLToPath(new URL("./cli.ts", import.meta.url));
    const exec = promisify(execFile);
    const failed = await exec(process.execPath, ["--import", "tsx", cli, "preview"]).catch((e: unknown) => e);
    expect(failed).toMatchObject({ code: 1, stderr: "tenantauth-mail: --out DIR is required\n" });
    const dir = await mkdtemp(join(tmpdir(), "tenantauth-preview-"));
    const ok = await exec(process.execPath, ["--import", "tsx", cli, "preview", "--out", dir]);
    expect(ok.stdout).toBe(`wrote ${MAIL_TEMPLATES.length * 2} files to ${dir}\n`);
  });
});
