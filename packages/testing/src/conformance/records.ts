import { expect, it } from "vitest";
import { builtInRoleId, type Harness, newOrganization, newSession, newUser, T0, tokenHash } from "./fixtures.js";

/** Tests that records crossing the port are values: neither side can change the other's copy. */
export function registerRecordTests(h: Harness): void {
  it("changing a returned record, or the input after the call, changes nothing stored", async () => {
    const storage = h.storage();
    const user = newUser({ profile: { nested: { a: 1 } }, settings: { list: [1] } });
    const organization = newOrganization({ settings: { nested: { b: 2 } } });
    const result = await storage.createUserWithOrganization({
      user,
      organization,
      roleId: await builtInRoleId(storage, "Owner"),
      now: T0,
    });
    if (!result.ok) return expect.fail(`unexpected conflict ${result.conflict}`);
    const userBefore = structuredClone(result.user);
    const orgBefore = structuredClone(result.organization);
    const memberBefore = structuredClone(result.member);

    (user.profile.nested as { a: number }).a = 99;
    (user.settings.list as number[]).push(2);
    (organization.settings.nested as { b: number }).b = 99;
    result.user.email = "changed@example.test";
    (result.user.profile.nested as { a: number }).a = 42;
    result.organization.name = "changed";
    result.organization.settings.extra = true;
    result.member.roleId = -1;
    result.member.settings.extra = true;

    expect(await storage.findUserById(userBefore.id)).toStrictEqual(userBefore);
    expect(await storage.findOrganizationById(orgBefore.id)).toStrictEqual(orgBefore);
    const listed = await storage.listUserOrganizations(userBefore.id);
    const listedBefore = structuredClone(listed);
    expect(listed[0]?.member).toStrictEqual(memberBefore);
    const found = await storage.findUserById(userBefore.id);
    found!.profile.extra = "x";
    expect(await storage.findUserById(userBefore.id)).toStrictEqual(userBefore);
    listed[0]!.organization.name = "changed again";
    listed[0]!.role.permissions.push("changed");
    expect(await storage.listUserOrganizations(userBefore.id)).toStrictEqual(listedBefore);
  });

  it("changing the built-in roles or a session returned to the caller changes nothing stored", async () => {
    const storage = h.storage();
    const roles = await storage.listBuiltInRoles();
    const rolesBefore = structuredClone(roles);
    for (const role of roles) {
      role.name = `${role.name}!`;
      role.permissions.push("everything");
    }
    expect(await storage.listBuiltInRoles()).toStrictEqual(rolesBefore);

    const created = await storage.createUserWithOrganization({
      user: newUser(),
      organization: newOrganization(),
      roleId: rolesBefore[0]!.id,
      now: T0,
    });
    if (!created.ok) return expect.fail("unexpected conflict");
    const input = newSession(created.user.id);
    const session = await storage.createSession({ session: input, refreshTokenHash: tokenHash() });
    const sessionBefore = structuredClone(session);
    session.revokedAt = T0;
    input.expiresAt = 0;
    expect(await storage.findSessionById(sessionBefore.id)).toStrictEqual(sessionBefore);
  });
}
