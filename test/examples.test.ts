import { type ChildProcess, execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { bytesOf, deriveKey } from "../packages/core/src/internal/crypto.js";
import { cryptoRandom } from "../packages/core/src/ports/clock.js";
import { signAccessToken } from "../packages/core/src/sessions/access-token.js";

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
        env: {
          ...process.env,
          PORT: String(port),
          DATABASE_URL: `sqlite:${join(data, "app.db")}`,
          SMTP_URL: "",
          AUTH_SECRET: randomBytes(32).toString("base64"),
        },
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
        expect(response.headers.get("x-powered-by"), "the framework is not advertised").toBeNull();
        expect(response.headers.get("x-content-type-options")).toBe("nosniff");
        const hostRoute = await fetch(`http://127.0.0.1:${port}/api/orgs/1/projects`);
        expect(hostRoute.status).toBe(401);
        expect(hostRoute.headers.get("x-powered-by"), "not on the app's own routes either").toBeNull();
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

  it.each(["hono-saas", "express-saas"])(
    "%s refuses to start without AUTH_SECRET: exits non-zero and says why",
    async (dir) => {
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        PORT: String(20_000 + Math.floor(Math.random() * 20_000)),
        SMTP_URL: "",
      };
      delete env.AUTH_SECRET;
      delete env.TENANTAUTH_DEV;
      const data = mkdtempSync(join(tmpdir(), "tenantauth-example-"));
      const child = spawn(tsx, ["src/main.ts"], {
        cwd: `${root}examples/${dir}`,
        env: { ...env, DATABASE_URL: `sqlite:${join(data, "app.db")}` },
      });
      const output = collect(child);
      try {
        const code = await exitOf(child, 30_000);
        expect(code, `${dir} started without a secret: ${output.all()}`).not.toBe(0);
        expect(output.stderr()).toMatch(/AUTH_SECRET is not set/);
        expect(output.stdout()).not.toContain("listening");
      } finally {
        child.kill();
        rmSync(data, { recursive: true, force: true });
      }
    },
    60_000,
  );

  it.each(["hono-saas", "express-saas"])(
    "%s in development mode (TENANTAUTH_DEV=1) signs with a random secret: a token forged with the old built-in secret is refused",
    async (dir) => {
      const port = 20_000 + Math.floor(Math.random() * 20_000);
      const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), SMTP_URL: "", TENANTAUTH_DEV: "1" };
      delete env.AUTH_SECRET;
      const data = mkdtempSync(join(tmpdir(), "tenantauth-example-"));
      const child = spawn(tsx, ["src/main.ts"], {
        cwd: `${root}examples/${dir}`,
        env: { ...env, DATABASE_URL: `sqlite:${join(data, "app.db")}` },
      });
      const output = collect(child);
      try {
        const until = Date.now() + 30_000;
        while (!output.stdout().includes("listening")) {
          if (Date.now() > until || child.exitCode !== null) throw new Error(`${dir} did not start: ${output.all()}`);
          await new Promise((r) => setTimeout(r, 100));
        }
        const base = `http://127.0.0.1:${port}`;
        const signup = await fetch(`${base}/auth/signup`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ email: "ada@example.com", password: "correct horse battery staple" }),
        });
        expect(signup.status).toBe(200);
        const { user_id: userId } = (await signup.json()) as { user_id: number };
        // The attack: the string the examples used to fall back to, and an exp ten years away.
        const forged = signAccessToken(
          {
            key: deriveKey(bytesOf("dev-only-secret-change-me-0123456789abcdef"), "access-token"),
            issuer: "tenantauth",
            audience: "tenantauth",
            ttlSeconds: 10 * 365 * 24 * 3600,
            random: cryptoRandom,
          },
          { userId, email: "ada@example.com", sessionId: "forgedsession0000000000000" },
          Date.now(),
        );
        const me = await fetch(`${base}/auth/me`, { headers: { authorization: `Bearer ${forged}` } });
        expect(me.status).toBe(401);
        expect(((await me.json()) as { error: { code: string } }).error.code).toBe("INVALID_TOKEN");
        const project = await fetch(`${base}/api/orgs/1/projects`, { headers: { authorization: `Bearer ${forged}` } });
        expect(project.status).toBe(401);
        expect(output.stderr()).toMatch(/TENANTAUTH_DEV=1: development mode, signing tokens with a random secret/);
      } finally {
        child.kill();
        rmSync(data, { recursive: true, force: true });
      }
    },
    60_000,
  );
});

/** Collects a child's stdout and stderr. */
function collect(child: ChildProcess) {
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return { stdout: () => stdout, stderr: () => stderr, all: () => `${stdout}\n${stderr}` };
}

/** The exit code of a child, or null when it is still running after `ms`. */
function exitOf(child: ChildProcess, ms: number): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), ms);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve(code ?? 1);
    });
  });
}
