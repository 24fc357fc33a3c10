import { execFile, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = fileURLToPath(new URL("..", import.meta.url));
const tsx = fileURLToPath(new URL("../node_modules/.bin/tsx", import.meta.url));

/** Runs an example's script the way a reader would, against the built packages. */
async function example(dir: string, script: string): Promise<string> {
  const { stdout } = await run(tsx, [script], { cwd: `${root}examples/${dir}`, timeout: 60_000 });
  return stdout;
}

describe("examples run as documented", () => {
  it("quickstart: signs up, signs in, refreshes, creates an organization and signs out on SQLite", async () => {
    const out = await example("quickstart", "src/main.ts");
    for (const step of [
      "Signed up",
      "Verified the email",
      "Signed in",
      "Authenticated",
      "Refreshed",
      "Created an organization",
      "Signed out",
    ]) {
      expect(out).toContain(step);
    }
    expect(out).toContain('"code": "INVALID_REFRESH_TOKEN"');
    expect(out).toContain("Demo finished.");
  });

  it("hono-saas demo (README's first command): the seed routes, its own protected route and isolation over HTTP", async () => {
    const out = await example("hono-saas", "src/demo.ts");
    expect(out).toMatch(/POST \/auth\/signup → 200/);
    expect(out).toMatch(/POST \/auth\/signin → 403/);
    expect(out).toMatch(/POST \/auth\/verify-email → 200/);
    expect(out).toContain('"message": "User signed up successfully"');
    expect(out).toMatch(/POST \/auth\/organizations → 200/);
    expect(out).toMatch(/POST \/api\/orgs\/\d+\/projects → 201/);
    expect(out).toMatch(/GET \/api\/orgs\/\d+\/projects → 404/);
    expect(out).toMatch(/POST \/auth\/refresh → 401/);
    expect(out).toContain("Demo finished.");
  });

  it.each(["hono-saas", "express-saas"])(
    "%s starts on SQLite and prints mail to the console when SMTP_URL is not set",
    async (dir) => {
      const data = mkdtempSync(join(tmpdir(), "tenantauth-example-"));
      const port = 20_000 + Math.floor(Math.random() * 20_000);
      const child = spawn(tsx, ["src/main.ts"], {
        cwd: `${root}examples/${dir}`,
        env: { ...process.env, PORT: String(port), DATABASE_URL: `sqlite:${join(data, "app.db")}`, SMTP_URL: "" },
      });
      let out = "";
      child.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString();
      });
      try {
        const until = Date.now() + 30_000;
        while (!out.includes("listening")) {
          if (Date.now() > until) throw new Error(`${dir} did not start: ${out}`);
          await new Promise((r) => setTimeout(r, 100));
        }
        const response = await fetch(`http://127.0.0.1:${port}/auth/signup`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            email: "ada@example.com",
            password: "correct horse battery staple",
            organization_name: "Acme",
          }),
        });
        expect(response.status).toBe(200);
        while (!out.includes("verify-email?token=")) {
          if (Date.now() > until) throw new Error(`no mail printed: ${out}`);
          await new Promise((r) => setTimeout(r, 100));
        }
        expect(out).toContain("mail to ada@example.com (verify-email)");
      } finally {
        child.kill();
        rmSync(data, { recursive: true, force: true });
      }
    },
    60_000,
  );
});
