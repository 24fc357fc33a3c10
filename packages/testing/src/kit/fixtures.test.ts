import { AuthError } from "@tenantauth/core";
import { describe, expect, it } from "vitest";
import { createTestAuth } from "./create-test-auth.js";
import {
  givenApiKey,
  givenMember,
  givenOrganization,
  givenPlatformAdmin,
  givenTwoFactor,
  givenUser,
  signedIn,
  totpCode,
} from "./fixtures.js";

const code = (promise: Promise<unknown>) =>
  promise.then(
    () => "resolved",
    (error: unknown) => (error instanceof AuthError ? error.code : `not an AuthError: ${String(error)}`),
  );

describe("fixtures", () => {
  it("givenUser makes distinct verified users who can sign in, owning an organization", async () => {
    const t = createTestAuth();
    const ada = await givenUser(t, { email: "ada@example.com", organizationName: "Acme" });
    const other = await givenUser(t);
    expect(other.email).not.toBe(ada.email);
    expect(ada).toMatchObject({ email: "ada@example.com", password: t.password, verified: true });
    const session = await signedIn(t, ada);
    expect(session.principal.userId).toBe(ada.id);
    expect(session.headers.authorization).toBe(`Bearer ${session.accessToken}`);
    const [membership] = await t.auth.organizations.list(session.principal);
    expect(membership).toMatchObject({
      organization: { id: ada.organizationId, name: "Acme" },
      role: { name: "Owner" },
    });
  });

  it("givenUser with verified: false and its own password gives an unverified user", async () => {
    const t = createTestAuth();
    const bob = await givenUser(t, { verified: false, password: "another long password" });
    expect(await code(signedIn(t, bob))).toBe("EMAIL_NOT_VERIFIED");
    expect(await code(t.auth.signin({ email: bob.email, password: t.password }))).toBe("INVALID_CREDENTIALS");
  });

  it("givenOrganization makes an organization its owner owns (and an owner when none is given)", async () => {
    const t = createTestAuth();
    const ada = await givenUser(t);
    const widgets = await givenOrganization(t, ada, { name: "Widgets" });
    expect(widgets).toMatchObject({ name: "Widgets", owner: ada });
    const { principal } = await signedIn(t, ada);
    expect((await t.auth.organizations.get(principal, widgets.id)).role.name).toBe("Owner");
    const anonymous = await givenOrganization(t);
    expect(anonymous.owner.id).not.toBe(ada.id);
    expect(await t.auth.authorize(principal, anonymous.id, "stats:read")).toBe(false);
  });

  it("givenMember gives the role asked for, and only that", async () => {
    const t = createTestAuth();
    const acme = await givenOrganization(t);
    const admin = await signedIn(t, await givenMember(t, acme, "Admin"));
    const member = await signedIn(t, await givenMember(t, acme));
    expect(await t.auth.authorize(admin.principal, acme.id, "member:invite")).toBe(true);
    expect(await t.auth.authorize(admin.principal, acme.id, "org:delete")).toBe(false);
    expect(await t.auth.authorize(member.principal, acme.id, "member:invite")).toBe(false);
    expect((await t.auth.organizations.get(member.principal, acme.id)).role.name).toBe("Member");
  });

  it("givenMember takes an existing user and a custom role, and names the roles it lacks", async () => {
    const t = createTestAuth();
    const acme = await givenOrganization(t);
    const owner = await signedIn(t, acme.owner);
    await t.auth.roles.create(owner.principal, acme.id, { name: "Auditor", permissions: ["stats:read"] });
    const carol = await givenUser(t, { email: "carol@example.com" });
    await givenMember(t, acme, "Auditor", { user: carol });
    const session = await signedIn(t, carol);
    expect(await t.auth.authorize(session.principal, acme.id, "stats:read")).toBe(true);
    await expect(givenMember(t, acme, "Janitor")).rejects.toThrow(
      /has no role "Janitor" \(it has Owner, Admin, Member, Auditor\)/,
    );
  });

  it("givenMember keeps working after the owner's access token expired", async () => {
    const t = createTestAuth();
    const acme = await givenOrganization(t);
    await givenMember(t, acme);
    t.clock.tick({ minutes: 20 });
    const late = await signedIn(t, await givenMember(t, acme, "Admin"));
    expect(await t.auth.authorize(late.principal, acme.id, "member:invite")).toBe(true);
  });
});

describe("fixtures of two-factor sign-in, API keys, platform admins and the active organization", () => {
  it("givenTwoFactor turns it on: sign-in needs a code, code() finishes it once, a backup code works once", async () => {
    const t = createTestAuth();
    const ada = await givenUser(t);
    const tf = await givenTwoFactor(t, ada);
    expect(tf.backupCodes).toHaveLength(10);
    expect(tf.code()).toMatch(/^\d{6}$/);
    const challenge = async (): Promise<string> => {
      const error = await t.auth.signin({ email: ada.email, password: ada.password }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AuthError);
      expect((error as AuthError).code).toBe("TWO_FACTOR_REQUIRED");
      return ((error as AuthError).details as { challenge: string }).challenge;
    };
    expect(await code(signedIn(t, ada))).toBe("TWO_FACTOR_REQUIRED");
    const tokens = await t.auth.signin.verifyTotp(await challenge(), tf.code());
    expect((await t.auth.authenticate(tokens.accessToken)).kind).toBe("user");
    expect(await code(t.auth.signin.verifyTotp(await challenge(), tf.code()))).toBe("TWO_FACTOR_CODE_INVALID");
    t.clock.advance(30_000);
    expect(await code(t.auth.signin.verifyTotp(await challenge(), tf.code()))).toBe("resolved");
    expect(await code(t.auth.signin.verifyTotp(await challenge(), tf.backupCodes[0]!))).toBe("resolved");
    expect(await code(t.auth.signin.verifyTotp(await challenge(), tf.backupCodes[0]!))).toBe("TWO_FACTOR_CODE_INVALID");
  });

  it("totpCode is RFC 6238's SHA-1 code (the RFC's test secret at 59 s, last six digits)", () => {
    // RFC 6238 appendix B: secret "12345678901234567890" (base32 below), T = 59 s → 94287082 (8 digits).
    expect(totpCode("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", 59_000)).toBe("287082");
  });

  it("givenApiKey makes a key of the organization, by its owner, that authenticates and is authorized", async () => {
    const t = createTestAuth();
    const acme = await givenOrganization(t, undefined, { name: "Acme" });
    const ci = await givenApiKey(t, acme, { name: "CI", permissions: ["stats:read"] });
    expect(ci.headers.authorization).toBe(`Bearer ${ci.key}`);
    expect(ci.principal).toMatchObject({ kind: "apiKey", orgId: acme.id, createdBy: acme.owner.id });
    expect(ci.apiKey).toMatchObject({ name: "CI", permissions: ["stats:read"] });
    expect(ci.apiKey).not.toHaveProperty("key");
    expect(await t.auth.authorize(ci.principal, acme.id, "stats:read")).toBe(true);
    expect(await t.auth.authorize(ci.principal, acme.id, "org:update")).toBe(false);
  });

  it("givenPlatformAdmin signs in a configured admin, and refuses when none is configured", async () => {
    const t = createTestAuth({ platformAdmins: ["root@example.test"] });
    const root = await givenPlatformAdmin(t);
    expect(root.user.email).toBe("root@example.test");
    expect((await t.auth.admin.users.list(root.principal)).total).toBe(1);
    await expect(givenPlatformAdmin(createTestAuth())).rejects.toThrow(/platformAdmins/);
    await expect(givenPlatformAdmin(t, { email: "eve@example.test" })).rejects.toThrow(/not a platform admin/);
  });

  it("signedIn with activeOrganizationId gives tokens that carry the organization and the role", async () => {
    const t = createTestAuth();
    const acme = await givenOrganization(t, undefined, { name: "Acme" });
    const bob = await givenMember(t, acme, "Admin");
    const session = await signedIn(t, bob, { activeOrganizationId: acme.id });
    expect(session.principal.activeOrganization).toMatchObject({ id: acme.id, role: { name: "Admin" } });
    expect(await code(signedIn(t, bob, { activeOrganizationId: 999_999 }))).toBe("NOT_FOUND");
  });
});
