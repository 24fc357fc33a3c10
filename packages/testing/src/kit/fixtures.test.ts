import { AuthError } from "@tenantauth/core";
import { describe, expect, it } from "vitest";
import { createTestAuth } from "./create-test-auth.js";
import { givenMember, givenOrganization, givenUser, signedIn } from "./fixtures.js";

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
