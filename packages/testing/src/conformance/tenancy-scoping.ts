import { INVITATION_STATUS } from "@tenantauth/core";
import { expect, it } from "vitest";
import { DAY, type Harness, signup, T0, tokenHash } from "./fixtures.js";
import { addMember, invitationMail, invite, roleIds, snapshot } from "./tenancy-fixtures.js";

/** The cross-tenant rule: every method that names an organization finds nothing of another one. */
export function registerTenancyScopingTests(h: Harness): void {
  it("every method given organization B and ids of organization A finds nothing and changes nothing", async () => {
    const s = h.storage();
    const { owner, member } = await roleIds(s);
    const a = await signup(s);
    const b = await signup(s);
    const role = await s.createRole({ orgId: a.orgId, name: "Billing", description: null, permissions: [] }, T0);
    if (!role.ok) return expect.fail("createRole failed");
    const m = await addMember(s, a.orgId, a.userId, role.value.id);
    const { invitation } = await invite(s, { orgId: a.orgId, invitedBy: a.userId, roleId: member });
    const before = await snapshot(s, [a.orgId, b.orgId], [a.userId, b.userId, m.userId]);
    const B = b.orgId;
    const now = T0 + 1;

    expect(await s.findMembership(B, a.userId)).toBeNull();
    expect(await s.findMembership(B, m.userId)).toBeNull();
    expect((await s.listMembers({ orgId: B, limit: 200 })).map((i) => i.user.id)).toEqual([b.userId]);
    expect(await s.listMembers({ orgId: B, limit: 200, roleId: role.value.id })).toEqual([]);
    for (const userId of [a.userId, m.userId]) {
      expect(await s.changeMemberRole({ orgId: B, userId, roleId: member, ownerRoleId: owner, now })).toBe("not_found");
      expect(await s.removeMember({ orgId: B, userId, ownerRoleId: owner })).toBe("not_found");
    }
    expect(
      await s.changeMemberRole({ orgId: B, userId: b.userId, roleId: role.value.id, ownerRoleId: owner, now }),
    ).toBe("not_found");
    expect((await s.listOrganizationRoles(B)).map((r) => r.id)).not.toContain(role.value.id);
    expect(await s.findRole(B, role.value.id)).toBeNull();
    expect(await s.updateRole(B, role.value.id, { name: "Stolen" }, now)).toBeNull();
    expect(await s.deleteRole({ orgId: B, roleId: role.value.id, now })).toBe("not_found");
    expect(await s.deleteRole({ orgId: B, roleId: role.value.id, replacementRoleId: member, now })).toBe("not_found");
    expect(await s.findInvitation(B, invitation.id)).toBeNull();
    for (const status of Object.values(INVITATION_STATUS)) expect(await s.listInvitations(B, status)).toEqual([]);
    expect(await s.revokeInvitation(B, invitation.id, now)).toBe(false);
    const renewed = await s.renewInvitation({
      orgId: B,
      invitationId: invitation.id,
      tokenHash: tokenHash(),
      expiresAt: T0 + 2 * DAY,
      mail: invitationMail(invitation.email),
      now,
    });
    expect(renewed).toBeNull();
    const stats = await s.organizationStats(B, T0);
    expect(stats).toStrictEqual({
      byRole: [{ roleId: owner, role: "Owner", count: 1 }],
      byStatus: [{ status: 1, count: 1 }],
      pendingInvitations: 0,
    });

    expect(await snapshot(s, [a.orgId, b.orgId], [a.userId, b.userId, m.userId])).toStrictEqual(before);
  });
}
