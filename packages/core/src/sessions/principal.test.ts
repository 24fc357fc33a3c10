import { describe, expect, it } from "vitest";
import { AuthError } from "../errors.js";
import type { UserPrincipal } from "./access-token.js";
import { assertPrincipal, sealPrincipal, userIdOf, withRequestMeta } from "./principal.js";

const made = (): UserPrincipal =>
  sealPrincipal({
    kind: "user",
    userId: 7,
    email: "ada@example.com",
    sessionId: "s1",
    issuedAt: 1,
    expiresAt: 2,
    activeOrganization: { id: 3, role: { id: 4, name: "Owner", permissions: ["org:update"] } },
  });

const codeOf = (fn: () => void): string | undefined => {
  try {
    fn();
  } catch (error) {
    if (error instanceof AuthError) return error.code;
    throw error;
  }
  return undefined;
};

describe("principals core made", () => {
  it("are frozen all the way down, so they cannot turn invalid after the check", () => {
    const principal = made();
    expect(Object.isFrozen(principal)).toBe(true);
    expect(Object.isFrozen(principal.activeOrganization)).toBe(true);
    expect(Object.isFrozen(principal.activeOrganization?.role)).toBe(true);
    expect(Object.isFrozen(principal.activeOrganization?.role.permissions)).toBe(true);
    expect(codeOf(() => assertPrincipal(principal))).toBeUndefined();
  });

  it("stay made through withRequestMeta with well-typed meta, frozen meta included", () => {
    const principal = withRequestMeta(made(), { ip: "203.0.113.9", userAgent: "curl" });
    expect(Object.isFrozen(principal)).toBe(true);
    expect(Object.isFrozen(principal.meta)).toBe(true);
    expect(codeOf(() => assertPrincipal(principal))).toBeUndefined();
  });

  it("do not vouch for a copy: a changed copy or wrong-typed meta is parsed, and refused", () => {
    expect(codeOf(() => assertPrincipal({ ...made(), userId: "7" }))).toBe("UNAUTHENTICATED");
    const badMeta = withRequestMeta(made(), { ip: 5 as unknown as string });
    expect(Object.isFrozen(badMeta)).toBe(false);
    expect(codeOf(() => assertPrincipal(badMeta))).toBe("UNAUTHENTICATED");
    // A plain object of the right shape still passes, as before: it is parsed.
    expect(codeOf(() => assertPrincipal({ ...made() }))).toBeUndefined();
  });
});

describe("assertPrincipal on what is not a principal core made", () => {
  it("refuses null, undefined and primitives with UNAUTHENTICATED, never a TypeError", () => {
    for (const value of [null, undefined, 0, "user", true]) {
      expect(
        codeOf(() => assertPrincipal(value)),
        String(value),
      ).toBe("UNAUTHENTICATED");
    }
  });

  it("answers API_KEY_NOT_ALLOWED only for a well-formed API key principal; a malformed one is UNAUTHENTICATED", () => {
    const key = { kind: "apiKey", keyId: "k1", orgId: 3, createdBy: 7, permissions: ["stats:read"] };
    expect(codeOf(() => assertPrincipal(key))).toBe("API_KEY_NOT_ALLOWED");
    expect(codeOf(() => assertPrincipal({ kind: "apiKey" }))).toBe("UNAUTHENTICATED");
    expect(codeOf(() => assertPrincipal({ ...key, orgId: "3" }))).toBe("UNAUTHENTICATED");
  });
});

describe("withRequestMeta", () => {
  it("keeps a principal core made when only one of ip and user agent is given (the other undefined)", () => {
    for (const meta of [{ ip: "203.0.113.9" }, { userAgent: "curl" }, {}]) {
      const principal = withRequestMeta(made(), meta);
      expect(Object.isFrozen(principal), JSON.stringify(meta)).toBe(true);
      expect(Object.isFrozen(principal.meta), JSON.stringify(meta)).toBe(true);
    }
  });
});

describe("userIdOf", () => {
  it("is the signed-in user, or the creator of an API key", () => {
    expect(userIdOf(made())).toBe(7);
    expect(userIdOf({ kind: "apiKey", keyId: "k1", orgId: 3, createdBy: 9, permissions: [] })).toBe(9);
  });
});
