import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { createTestAuth } from "./create-test-auth.js";
import { fastHasher, TestOnlyError } from "./fast-hasher.js";

const original = process.env.NODE_ENV;
afterEach(() => {
  process.env.NODE_ENV = original;
});

describe("fastHasher", () => {
  it("verifies the password it hashed and nothing else", async () => {
    const hasher = fastHasher();
    const hash = await hasher.hash("correct horse battery staple");
    expect(hash).not.toContain("correct horse");
    expect(await hasher.verify(hash, "correct horse battery staple")).toBe(true);
    expect(await hasher.verify(hash, "correct horse battery stapler")).toBe(false);
    expect(await hasher.verify("$argon2id$v=19$m=19456,t=2,p=1$abc$def", "x")).toBe(false);
    expect(await hasher.verify("$tenantauth-test-sha256$only-salt", "x")).toBe(false);
    expect(hasher.needsRehash(hash)).toBe(false);
    expect(hasher.needsRehash("$argon2id$v=19$m=19456,t=2,p=1$abc$def")).toBe(true);
  });

  it("salts every hash", async () => {
    const hasher = fastHasher();
    expect(await hasher.hash("same password")).not.toBe(await hasher.hash("same password"));
  });

  it.each([["production"], ["development"], [undefined]])(
    "refuses to be made, or createTestAuth() to run, with NODE_ENV=%s",
    (env) => {
      if (env === undefined) delete process.env.NODE_ENV;
      else process.env.NODE_ENV = env;
      expect(() => fastHasher()).toThrow(TestOnlyError);
      expect(() => fastHasher()).toThrow(/for tests only/);
      expect(() => createTestAuth()).toThrow(TestOnlyError);
    },
  );

  it("refuses to hash or verify once NODE_ENV is no longer test", async () => {
    const hasher = fastHasher();
    const hash = await hasher.hash("correct horse battery staple");
    process.env.NODE_ENV = "production";
    await expect(hasher.hash("another password")).rejects.toThrow(TestOnlyError);
    await expect(hasher.verify(hash, "correct horse battery staple")).rejects.toThrow(TestOnlyError);
  });
});

describe("createTestAuth() in a production process", () => {
  it("fails at start-up, before any password is hashed", async () => {
    const tsx = fileURLToPath(new URL("../../../../node_modules/.bin/tsx", import.meta.url));
    const entry = fileURLToPath(new URL("../index.ts", import.meta.url));
    const script = `import(${JSON.stringify(entry)}).then((kit) => { kit.createTestAuth(); console.log("started"); })`;
    const result = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = execFile(tsx, ["-e", script], { env: { ...process.env, NODE_ENV: "production" }, timeout: 30_000 });
      let out = "";
      child.stdout?.on("data", (chunk: Buffer) => {
        out += chunk.toString();
      });
      child.stderr?.on("data", (chunk: Buffer) => {
        out += chunk.toString();
      });
      child.on("close", (code) => resolve({ code, out }));
    });
    expect(result.out).not.toContain("started");
    expect(result.out).toContain('refuses to run with NODE_ENV="production"');
    expect(result.code).not.toBe(0);
  });
});
