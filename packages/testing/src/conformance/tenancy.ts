import {
  INVITATION_STATUS,
  MEMBER_STATUS,
  ORGANIZATION_STATUS,
  type StorageAdapter,
  USER_STATUS,
} from "@tenantauth/core";
import { expect, it } from "vitest";
import { builtInRoleId, DAY, type Harness, newUser, signup, T0, tokenHash, unique } from "./fixtures.js";

/** A second member of `orgId` with `role`, through an accepted invitation (the port's only way to add one). */
async function addMember(storage: StorageAdapter, orgId: number, invitedBy: number, roleId: number) {
  const hash = tokenHash();
  const email = `member-${unique()}@example.test`;
  await storage.createInvitation({
    invitation: { orgId, email, roleId, invitedBy, tokenHash: hash, expiresAt: T0 + DAY },
    mail: { template: "invitation", recipient: email, payload: {}, availableAt: T0 },
    now: T0,
  });
  const result = await storage.createUserFromInvitation({ user: newUser({ email }), tokenHash: hash, now: T0 });
  if (result.status !== "created") expect.fail(`invitation signup failed: ${result.status}`);
  return { userId: result.user.id, email, hash };
}

/** Registers the conformance tests of organizations, members and roles (the tenancy half of the port). */
export function registerTenancyTests(h: Harness): void {
  it("findMembership returns organization, membership and role; null for outsiders and deleted organizations", async () => {
    const s = h.storage();
    const a = await signup(s);
    const b = await signup(s);
    const found = await s.findMembership(a.orgId, a.userId);
    expect(found?.organization.id).toBe(a.orgId);
    expect(found?.member).toMatchObject({ userId: a.userId, status: MEMBER_STATUS.active });
    expect(found?.role.name).toBe("Owner");
    expect(await s.findMembership(a.orgId, b.userId)).toBeNull();
    expect(await s.findMembership(999_999, a.userId)).toBeNull();
    await s.updateOrganization(a.orgId, { status: ORGANIZATION_STATUS.deleted }, T0);
    expect(await s.findMembership(a.orgId, a.userId)).toBeNull();
  });

  it("updateOrganization patches only given fields, reports a taken name and returns null for none", async () => {
    const s = h.storage();
    const a = await signup(s, { organization: { details: "old", settings: { x: 1 } } });
    const b = await signup(s);
    const renamed = await s.updateOrganization(a.orgId, { name: `renamed-${unique()}` }, T0 + 1);
    expect(renamed?.ok && renamed.value).toMatchObject({ details: "old", settings: { x: 1 }, updatedAt: T0 + 1 });
    expect(await s.updateOrganization(a.orgId, { name: b.orgName }, T0)).toEqual({
      ok: false,
      conflict: "organization_name",
    });
    expect(await s.updateOrganization(999_999, { details: "x" }, T0)).toBeNull();
    const again = await s.createOrganizationWithMember({
      organization: { name: a.orgName, details: null, status: 1, personal: false, settings: {} },
      userId: a.userId,
      roleId: await builtInRoleId(s, "Owner"),
      now: T0,
    });
    expect(again.ok).toBe(true);
  });

  it("listMembers pages by ascending id, filters by role and stays inside the organization", async () => {
    const s = h.storage();
    const a = await signup(s);
    const other = await signup(s);
    const member = await builtInRoleId(s, "Member");
    const admin = await builtInRoleId(s, "Admin");
    const m1 = await addMember(s, a.orgId, a.userId, member);
    const m2 = await addMember(s, a.orgId, a.userId, admin);
    await addMember(s, other.orgId, other.userId, member);
    const all = await s.listMembers({ orgId: a.orgId, limit: 10 });
    expect(all.map((i) => i.user.id)).toEqual([a.userId, m1.userId, m2.userId]);
    expect(all[0]?.user).not.toHaveProperty("passwordHash");
    const page = await s.listMembers({ orgId: a.orgId, limit: 1, afterId: all[0]!.member.id });
    expect(page.map((i) => i.user.id)).toEqual([m1.userId]);
    expect((await s.listMembers({ orgId: a.orgId, limit: 10, roleId: admin })).map((i) => i.user.email)).toEqual([
      m2.email,
    ]);
  });

  it("changeMemberRole and removeMember keep an owner, and find nothing across organizations", async () => {
    const s = h.storage();
    const a = await signup(s);
    const b = await signup(s);
    const owner = await builtInRoleId(s, "Owner");
    const member = await builtInRoleId(s, "Member");
    const base = { orgId: a.orgId, ownerRoleId: owner, now: T0 };
    expect(await s.changeMemberRole({ ...base, userId: a.userId, roleId: member })).toBe("last_owner");
    expect(await s.removeMember({ orgId: a.orgId, userId: a.userId, ownerRoleId: owner })).toBe("last_owner");
    expect(await s.changeMemberRole({ ...base, userId: b.userId, roleId: member })).toBe("not_found");
    expect(await s.removeMember({ orgId: a.orgId, userId: b.userId, ownerRoleId: owner })).toBe("not_found");
    const m = await addMember(s, a.orgId, a.userId, member);
    expect(await s.changeMemberRole({ ...base, userId: m.userId, roleId: owner })).toBe("ok");
    expect(await s.changeMemberRole({ ...base, userId: a.userId, roleId: member })).toBe("ok");
    expect((await s.findMembership(a.orgId, a.userId))?.role.name).toBe("Member");
    expect(await s.removeMember({ orgId: a.orgId, userId: m.userId, ownerRoleId: owner })).toBe("last_owner");
    expect(await s.removeMember({ orgId: a.orgId, userId: a.userId, ownerRoleId: owner })).toBe("ok");
    expect(await s.findMembership(a.orgId, a.userId)).toBeNull();
  });

  it("two owners demoting each other at once leave exactly one owner", async () => {
    const s = h.storage();
    const a = await signup(s);
    const owner = await builtInRoleId(s, "Owner");
    const admin = await builtInRoleId(s, "Admin");
    const second = await addMember(s, a.orgId, a.userId, owner);
    const results = await Promise.all([
      s.changeMemberRole({ orgId: a.orgId, userId: a.userId, roleId: admin, ownerRoleId: owner, now: T0 }),
      s.changeMemberRole({ orgId: a.orgId, userId: second.userId, roleId: admin, ownerRoleId: owner, now: T0 }),
    ]);
    expect([...results].sort()).toEqual(["last_owner", "ok"]);
    const owners = (await s.listMembers({ orgId: a.orgId, limit: 10, roleId: owner })).length;
    expect(owners).toBe(1);
  });

  it("custom roles: names unique per organization, scoped lookups, built-ins immutable, deletion with a replacement", async () => {
    const s = h.storage();
    const a = await signup(s);
    const b = await signup(s);
    const created = await s.createRole(
      { orgId: a.orgId, name: "Billing", description: null, permissions: ["stats:read"] },
      T0,
    );
    if (!created.ok) expect.fail("createRole failed");
    expect(created.value).toMatchObject({ orgId: a.orgId, permissions: ["stats:read"] });
    expect(await s.createRole({ orgId: a.orgId, name: "Billing", description: null, permissions: [] }, T0)).toEqual({
      ok: false,
      conflict: "role_name",
    });
    expect((await s.createRole({ orgId: b.orgId, name: "Billing", description: null, permissions: [] }, T0)).ok).toBe(
      true,
    );
    expect(await s.findRole(b.orgId, created.value.id)).toBeNull();
    expect((await s.listOrganizationRoles(a.orgId)).map((r) => r.name)).toEqual([
      "Owner",
      "Admin",
      "Member",
      "Billing",
    ]);
    const owner = await builtInRoleId(s, "Owner");
    expect(await s.updateRole(a.orgId, owner, { name: "Boss" }, T0)).toBeNull();
    expect(await s.updateRole(b.orgId, created.value.id, { name: "X" }, T0)).toBeNull();
    const updated = await s.updateRole(a.orgId, created.value.id, { permissions: ["stats:read", "org:update"] }, T0);
    expect(updated?.ok && updated.value.permissions).toEqual(["stats:read", "org:update"]);
    const holder = await addMember(s, a.orgId, a.userId, created.value.id);
    expect(await s.deleteRole({ orgId: a.orgId, roleId: created.value.id, now: T0 })).toBe("in_use");
    expect(await s.deleteRole({ orgId: b.orgId, roleId: created.value.id, now: T0 })).toBe("not_found");
    const member = await builtInRoleId(s, "Member");
    expect(await s.deleteRole({ orgId: a.orgId, roleId: created.value.id, replacementRoleId: member, now: T0 })).toBe(
      "deleted",
    );
    expect((await s.findMembership(a.orgId, holder.userId))?.role.name).toBe("Member");
    expect(await s.findRole(a.orgId, created.value.id)).toBeNull();
  });

  it("markEmailVerified keeps the first time; updateUserStatus sets the status; both false for no user", async () => {
    const s = h.storage();
    const a = await signup(s);
    expect(await s.markEmailVerified(a.userId, T0 + 5)).toBe(true);
    expect(await s.markEmailVerified(a.userId, T0 + 9)).toBe(true);
    expect((await s.findUserById(a.userId))?.emailVerifiedAt).toBe(T0 + 5);
    expect(await s.updateUserStatus(a.userId, USER_STATUS.disabled, T0)).toBe(true);
    expect((await s.findUserById(a.userId))?.status).toBe(USER_STATUS.disabled);
    expect(await s.markEmailVerified(999_999, T0)).toBe(false);
    expect(await s.updateUserStatus(999_999, USER_STATUS.active, T0)).toBe(false);
  });

  it("invitations: a new one replaces the pending one; revoke and renew are scoped; statuses on acceptance", async () => {
    const s = h.storage();
    const a = await signup(s);
    const b = await signup(s);
    const member = await builtInRoleId(s, "Member");
    const email = `inv-${unique()}@example.test`;
    const mail = { template: "invitation", recipient: email, payload: {}, availableAt: T0 };
    const make = (hash: string, expiresAt = T0 + DAY) =>
      s.createInvitation({
        invitation: { orgId: a.orgId, email, roleId: member, invitedBy: a.userId, tokenHash: hash, expiresAt },
        mail,
        now: T0,
      });
    const [h1, h2] = [tokenHash(), tokenHash()];
    const first = await make(h1);
    const second = await make(h2);
    expect((await s.findInvitation(a.orgId, first.id))?.status).toBe(INVITATION_STATUS.revoked);
    expect((await s.listInvitations(a.orgId, INVITATION_STATUS.pending)).map((i) => i.id)).toEqual([second.id]);
    expect(await s.findInvitation(b.orgId, second.id)).toBeNull();
    expect(await s.revokeInvitation(b.orgId, second.id, T0)).toBe(false);
    const h3 = tokenHash();
    const renewed = await s.renewInvitation({
      orgId: a.orgId,
      invitationId: second.id,
      tokenHash: h3,
      expiresAt: T0 + 2 * DAY,
      mail,
      now: T0,
    });
    expect(renewed?.expiresAt).toBe(T0 + 2 * DAY);
    expect(await s.findInvitationByTokenHash(h2)).toBeNull();
    expect(await s.acceptInvitation(h1, b.userId, T0)).toEqual({ status: "revoked" });
    expect(await s.acceptInvitation(tokenHash(), b.userId, T0)).toEqual({ status: "not_found" });
    expect(await s.acceptInvitation(h3, b.userId, T0 + 2 * DAY)).toEqual({ status: "expired" });
    expect((await s.acceptInvitation(h3, b.userId, T0)).status).toBe("accepted");
    expect(await s.acceptInvitation(h3, b.userId, T0)).toEqual({ status: "used" });
    expect((await s.findMembership(a.orgId, b.userId))?.role.id).toBe(member);
    const again = tokenHash();
    await s.createInvitation({
      invitation: { orgId: a.orgId, email, roleId: member, invitedBy: a.userId, tokenHash: again, expiresAt: T0 + DAY },
      mail,
      now: T0,
    });
    expect(await s.acceptInvitation(again, b.userId, T0)).toEqual({ status: "already_member" });
  });

  it("createUserFromInvitation checks the email, verifies it, and of concurrent accepts exactly one wins", async () => {
    const s = h.storage();
    const a = await signup(s);
    const member = await builtInRoleId(s, "Member");
    const email = `new-${unique()}@example.test`;
    const hash = tokenHash();
    await s.createInvitation({
      invitation: { orgId: a.orgId, email, roleId: member, invitedBy: a.userId, tokenHash: hash, expiresAt: T0 + DAY },
      mail: { template: "invitation", recipient: email, payload: {}, availableAt: T0 },
      now: T0,
    });
    expect(await s.createUserFromInvitation({ user: newUser(), tokenHash: hash, now: T0 })).toEqual({
      status: "email_mismatch",
    });
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        s.createUserFromInvitation({ user: newUser({ email }), tokenHash: hash, now: T0 + 7 }),
      ),
    );
    const created = results.filter((r) => r.status === "created");
    expect(created).toHaveLength(1);
    expect(created[0]?.status === "created" && created[0].user.emailVerifiedAt).toBe(T0 + 7);
    expect(
      results.filter((r) => r.status !== "created").every((r) => r.status === "used" || r.status === "email_taken"),
    ).toBe(true);
  });
}
