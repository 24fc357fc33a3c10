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
