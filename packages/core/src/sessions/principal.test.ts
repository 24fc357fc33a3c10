import { describe, expect, it } from "vitest";
import { AuthError } from "../errors.js";
import type { UserPrincipal } from "./access-token.js";
import { assertPrincipal, sealPrincipal, withRequestMeta } from "./principal.js";

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
