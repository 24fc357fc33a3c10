import { expect, it } from "vitest";
import { builtInRoleId, type Harness, newOrganization, newUser, signup, T0, unique } from "./fixtures.js";

/** Spellings of one name that `uniqueNameKey` folds together: case, NFKC (full width, no-break space), spacing. */
const lookAlikes = (base: string): string[] => [
  base.toUpperCase(),
  base.toLowerCase(),
  base.replace(/[a-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)), // full-width letters
  base.replace(" ", "\u00a0"),
  base.replace(" ", "   "),
];

/**
 * Names are unique by their folded form (`uniqueNameKey` from @tenantauth/core): organizations globally, custom
 * roles within their organization and against the built-in roles. The store enforces it, so races of look-alikes
 * have one winner.
 */
export function registerLookAlikeNameTests(h: Harness): void {
  it("organization names that differ only by case, NFKC form or spacing are one name: conflicts everywhere", async () => {
    const s = h.storage();
    const base = `Acme Labs ${unique()}`;
    const owner = await signup(s, { organization: { name: base } });
    const other = await signup(s);
    const ownerRoleId = await builtInRoleId(s, "Owner");
    for (const name of lookAlikes(base)) {
      expect(await s.isOrganizationNameTaken(name), name).toBe(true);
      const created = await s.createOrganizationWithMember({
        organization: newOrganization({ name }),
        userId: other.userId,
        roleId: ownerRoleId,
        now: T0 + 1,
      });
      expect(created, name).toStrictEqual({ ok: false, conflict: "organization_name" });
      const renamed = await s.updateOrganization(other.orgId, { name }, T0 + 1);
      expect(renamed, name).toStrictEqual({ ok: false, conflict: "organization_name" });
    }
    const signedUp = await s.createUserWithOrganization({
      user: newUser(),
      organization: newOrganization({ name: base.toUpperCase() }),
      roleId: ownerRoleId,
      now: T0 + 2,
    });
    expect(signedUp).toStrictEqual({ ok: false, conflict: "organization_name" });
    // Its own organization may take another spelling of its own name.
    const respelled = await s.updateOrganization(owner.orgId, { name: base.toUpperCase() }, T0 + 3);
    expect(respelled?.ok).toBe(true);
    expect(await s.isOrganizationNameTaken(base)).toBe(true);
    // And the old spelling's key moved with it: a look-alike of the new name is still refused.
    expect((await s.updateOrganization(other.orgId, { name: base }, T0 + 4))?.ok).toBe(false);
  });

  it("of 10 concurrent createOrganizationWithMember calls with look-alike names, exactly one succeeds", async () => {
    const s = h.storage();
    const ownerRoleId = await builtInRoleId(s, "Owner");
    const base = `Race Corp ${unique()}`;
    const names = [...lookAlikes(base), ...lookAlikes(base)];
    const users: Array<{ userId: number }> = [];
    for (let i = 0; i < names.length; i++) users.push(await signup(s));
    const results = await Promise.all(
      names.map((name, i) =>
        s.createOrganizationWithMember({
          organization: newOrganization({ name }),
          userId: users[i]!.userId,
          roleId: ownerRoleId,
          now: T0 + 1,
        }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.conflict === "organization_name")).toHaveLength(names.length - 1);
  });

  it("custom role names fold alike within an organization and against the built-in names, not across organizations", async () => {
    const s = h.storage();
    const a = await signup(s);
    const b = await signup(s);
    const role = (name: string, orgId = a.orgId) =>
      s.createRole({ orgId, name, description: null, permissions: [] }, T0);
    expect((await role("Billing Desk")).ok).toBe(true);
    const conflict = { ok: false, conflict: "role_name" };
    for (const name of [...lookAlikes("Billing Desk"), "OWNER", "ａｄｍｉｎ", "member"]) {
      expect(await role(name), name).toStrictEqual(conflict);
    }
    const support = await role("Support Desk");
    if (!support.ok) expect.fail("Support Desk was refused");
    for (const name of ["BILLING DESK", "Ｏｗｎｅｒ"]) {
      expect(await s.updateRole(a.orgId, support.value.id, { name }, T0 + 1), name).toStrictEqual(conflict);
    }
    expect((await s.updateRole(a.orgId, support.value.id, { name: "SUPPORT DESK" }, T0 + 1))?.ok).toBe(true);
    expect((await role("billing desk", b.orgId)).ok).toBe(true);
  });

  it("of 8 concurrent createRole calls with look-alike names in one organization, exactly one succeeds", async () => {
    const s = h.storage();
    const a = await signup(s);
    const names = [...lookAlikes("Night Shift"), "night shift", "NIGHT SHIFT", "Night  Shift"];
    const results = await Promise.all(
      names.map((name) => s.createRole({ orgId: a.orgId, name, description: null, permissions: [] }, T0)),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.conflict === "role_name")).toHaveLength(names.length - 1);
  });
}
