import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MAIL_TEMPLATES } from "@tenantauth/core";
import { describe, expect, it } from "vitest";
import { parseMailArgs } from "./cli-args.js";
import { writePreviews } from "./preview.js";

describe("tenantauth-mail preview", () => {
  it("parses its arguments", () => {
    expect(parseMailArgs(["--help"])).toEqual({ kind: "help" });
    expect(parseMailArgs(["preview", "--out", "x"])).toEqual({
      kind: "preview",
      out: "x",
      appUrl: "https://app.example.com",
    });
    expect(() => parseMailArgs(["preview"])).toThrow("--out DIR is required");
    expect(() => parseMailArgs(["send"])).toThrow(/unknown command/);
    expect(() => parseMailArgs(["preview", "--out", "x", "--bogus", "1"])).toThrow("unknown option --bogus");
  });

  it("writes every template as .html and .txt, with links and no unreplaced placeholder", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tenantauth-preview-"));
    await writePreviews(dir, { appUrl: "https://app.example.com", productName: "Acme" });
    expect(readdirSync(dir).sort()).toEqual(MAIL_TEMPLATES.flatMap((t) => [`${t}.html`, `${t}.txt`]).sort());
    for (const template of MAIL_TEMPLATES) {
      const html = readFileSync(join(dir, `${template}.html`), "utf8");
      const text = readFileSync(join(dir, `${template}.txt`), "utf8");
      expect(html).toMatch(/<html/i);
      expect(text).toMatch(/^Subject: .*Acme/);
      for (const out of [html, text]) expect(out).not.toMatch(/TAVAR|\{[A-Za-z]+\}|undefined/);
      if (template !== "password-changed") expect(html).toContain('href="https://app.example.com');
    }
    expect(readFileSync(join(dir, "verify-email.txt"), "utf8")).toContain(
      "https://app.example.com/verify-email?token=",
    );
  });
});
