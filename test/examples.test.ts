import { execFile } from "node:child_process";
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
});
