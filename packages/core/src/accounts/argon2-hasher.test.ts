import { describe, expect, it } from "vitest";
import { argon2idHasher } from "./argon2-hasher.js";

describe("argon2idHasher", () => {
  const hasher = argon2idHasher();

  it("uses argon2id with OWASP parameters (m=19456 KiB, t=2, p=1) in PHC format", async () => {
    const phc = await hasher.hash("correct horse battery staple");
    expect(phc).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/);
  });

  it("verifies the right password and refuses a wrong one", async () => {
    const phc = await hasher.hash("correct horse battery staple");
    expect(await hasher.verify(phc, "correct horse battery staple")).toBe(true);
    expect(await hasher.verify(phc, "correct horse battery stapler")).toBe(false);
  });

  it("salts: two hashes of one password differ", async () => {
    expect(await hasher.hash("same password")).not.toBe(await hasher.hash("same password"));
  });

  it("answers false, not an exception, for a malformed hash", async () => {
    expect(await hasher.verify("not-a-hash", "whatever")).toBe(false);
    expect(await hasher.verify("", "whatever")).toBe(false);
  });

  it("asks for a rehash when the parameters changed", async () => {
    const weak = argon2idHasher({ memoryCost: 8192, timeCost: 1 });
    const old = await weak.hash("password123");
    expect(hasher.needsRehash(old)).toBe(true);
    expect(weak.needsRehash(old)).toBe(false);
    expect(hasher.needsRehash(await hasher.hash("password123"))).toBe(false);
    expect(hasher.needsRehash("$2b$10$bcrypthashxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")).toBe(true);
    // A hash with old parameters still verifies, so the sign-in that rehashes it can succeed.
    expect(await hasher.verify(old, "password123")).toBe(true);
  });
});
