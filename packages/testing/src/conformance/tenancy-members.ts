import { MEMBER_STATUS } from "@tenantauth/core";
import { expect, it } from "vitest";
import { type Harness, signup, T0 } from "./fixtures.js";
import { addMember, join, roleIds, snapshot } from "./tenancy-fixtures.js";

/** Tests of member lists and of the last-owner invariant of changeMemberRole and removeMember. */
export function registerTenancyMemberTests(h: Harness): void {
  it("listMembers lists the organization's members by ascending member id, each with its role and user (no password hash)", async () => {
    const s = h.storage();
    const { admin, member } = await roleIds(s);
    const a = await signup(s, { user: { profile: { name: "Zoë" }, emailVerifiedAt: T0 - 1 } });
    const m1 = await addMember(s, a.orgId, a.userId, member);
    const m2 = await addMember(s, a.orgId, a.userId, admin);
    const items = await s.listMembers({ orgId: a.orgId, limit: 10 });
    expect(items.map((i) => i.member.id)).toEqual([a.memberId, m1.memberId, m2.memberId]);
    const first = items[0];
    expect(first?.member).toStrictEqual((await s.findMembership(a.orgId, a.userId))?.member);
    expect(first?.role).toStrictEqual((await s.findMembership(a.orgId, a.userId))?.role);
    expect(first?.user).toStrictEqual({
      id: a.userId,
      email: a.email,
      profile: { name: "Zoë" },
      status: 1,
      emailVerifiedAt: T0 - 1,
    });
    expect(items.map((i) => [i.user.id, i.role.id])).toEqual([
      [a.userId, (await roleIds(s)).owner],
      [m1.userId, member],
      [m2.userId, admin],
    ]);
    for (const item of items) expect(item.user).not.toHaveProperty("passwordHash");
  });

  it("listMembers pages with afterId (exclusive) and limit, without gaps or repeats", async () => {
    const s = h.storage();
    const { member } = await roleIds(s);
    const a = await signup(s);
    for (let i = 0; i < 4; i++) await addMember(s, a.orgId, a.userId, member);
    const all = (await s.listMembers({ orgId: a.orgId, limit: 200 })).map((i) => i.member.id);
    expect(all).toHaveLength(5);
    const paged: number[] = [];
    let afterId: number | undefined;
    for (let page = 0; page < 10; page++) {
      const items = await s.listMembers({ orgId: a.orgId, limit: 2, ...(afterId === undefined ? {} : { afterId }) });
      expect(items.length).toBeLessThanOrEqual(2);
      if (items.length === 0) break;
      paged.push(...items.map((i) => i.member.id));
      afterId = items.at(-1)?.member.id;
    }
    expect(paged).toEqual(all);
    expect(await s.listMembers({ orgId: a.orgId, limit: 10, afterId: all[4]! })).toEqual([]);
  });

  it("listMembers filters by roleId and by status", async () => {
    const s = h.storage();
    const { owner, admin, member } = await roleIds(s);
    const a = await signup(s);
    const m1 = await addMember(s, a.orgId, a.userId, admin);
    const m2 = await addMember(s, a.orgId, a.userId, member);
    const ids = async (filter: { roleId?: number; status?: number }) =>
      (await s.listMembers({ orgId: a.orgId, limit: 10, ...filter })).map((i) => i.user.id);
    expect(await ids({ roleId: admin })).toEqual([m1.userId]);
    expect(await ids({ roleId: owner })).toEqual([a.userId]);
    expect(await ids({ status: MEMBER_STATUS.active })).toEqual([a.userId, m1.userId, m2.userId]);
    expect(await ids({ status: MEMBER_STATUS.suspended })).toEqual([]);
    expect(await ids({ roleId: member, status: MEMBER_STATUS.active })).toEqual([m2.userId]);
  });

  it("changeMemberRole gives the member the role and sets updatedAt; findMembership shows it", async () => {
    const s = h.storage();
    const { owner, admin, member } = await roleIds(s);
    const a = await signup(s);
    const m = await addMember(s, a.orgId, a.userId, member);
    const before = await s.findMembership(a.orgId, m.userId);
    const base = { orgId: a.orgId, userId: m.userId, ownerRoleId: owner };
    expect(await s.changeMemberRole({ ...base, roleId: admin, now: T0 + 5 })).toBe("ok");
    const after = await s.findMembership(a.orgId, m.userId);
    expect(after?.member).toStrictEqual({ ...before?.member, roleId: admin, updatedAt: T0 + 5 });
    expect(after?.role.name).toBe("Admin");
  });

  it("the last active owner can be neither demoted nor removed, and nothing changes", async () => {
    const s = h.storage();
    const { owner, member } = await roleIds(s);
    const a = await signup(s);
    const m = await addMember(s, a.orgId, a.userId, member);
    const before = await snapshot(s, [a.orgId], [a.userId, m.userId]);
    const base = { orgId: a.orgId, userId: a.userId, ownerRoleId: owner };
    expect(await s.changeMemberRole({ ...base, roleId: member, now: T0 + 1 })).toBe("last_owner");
    expect(await s.removeMember(base)).toBe("last_owner");
    expect(await snapshot(s, [a.orgId], [a.userId, m.userId])).toStrictEqual(before);
  });

  it("the last active owner stays so while another organization has owners of its own (owners are counted per organization)", async () => {
    const s = h.storage();
    const { owner, admin, member } = await roleIds(s);
    const a = await signup(s);
    const b = await signup(s);
    // Organization b has two owners, one of them also an admin of a.
    const coOwner = await addMember(s, b.orgId, b.userId, owner);
    await join(s, a.orgId, a.userId, admin, { userId: coOwner.userId, email: coOwner.email });
    const before = await snapshot(s, [a.orgId, b.orgId], [a.userId, b.userId, coOwner.userId]);
    const base = { orgId: a.orgId, userId: a.userId, ownerRoleId: owner };
    expect(await s.changeMemberRole({ ...base, roleId: member, now: T0 + 1 })).toBe("last_owner");
    expect(await s.changeMemberRole({ ...base, roleId: admin, now: T0 + 1 })).toBe("last_owner");
    expect(await s.removeMember(base)).toBe("last_owner");
    expect(await snapshot(s, [a.orgId, b.orgId], [a.userId, b.userId, coOwner.userId])).toStrictEqual(before);
    // b's owners are not a's: in b, one of two may go.
    const inB = { orgId: b.orgId, userId: b.userId, ownerRoleId: owner };
    expect(await s.changeMemberRole({ ...inB, roleId: member, now: T0 + 2 })).toBe("ok");
    expect(await s.removeMember({ orgId: b.orgId, userId: coOwner.userId, ownerRoleId: owner })).toBe("last_owner");
  });

  it("an owner may be given the owner role again; a member who is not an owner can always be changed or removed", async () => {
    const s = h.storage();
    const { owner, admin, member } = await roleIds(s);
    const a = await signup(s);
    const m = await addMember(s, a.orgId, a.userId, member);
    expect(
      await s.changeMemberRole({ orgId: a.orgId, userId: a.userId, roleId: owner, ownerRoleId: owner, now: T0 }),
    ).toBe("ok");
    const base = { orgId: a.orgId, userId: m.userId, ownerRoleId: owner };
    expect(await s.changeMemberRole({ ...base, roleId: admin, now: T0 })).toBe("ok");
    expect(await s.removeMember(base)).toBe("ok");
    expect(await s.findMembership(a.orgId, m.userId)).toBeNull();
    expect(await s.listUserOrganizations(m.userId)).toEqual([]);
  });

  it("with two owners one can be demoted or removed, and the other is then the last owner", async () => {
    const s = h.storage();
    const { owner, member } = await roleIds(s);
    const a = await signup(s);
    const second = await addMember(s, a.orgId, a.userId, owner);
    const third = await addMember(s, a.orgId, a.userId, owner);
    const change = (userId: number) =>
      s.changeMemberRole({ orgId: a.orgId, userId, roleId: member, ownerRoleId: owner, now: T0 });
    expect(await change(a.userId)).toBe("ok");
    expect(await s.removeMember({ orgId: a.orgId, userId: second.userId, ownerRoleId: owner })).toBe("ok");
    expect(await change(third.userId)).toBe("last_owner");
    expect(await s.removeMember({ orgId: a.orgId, userId: third.userId, ownerRoleId: owner })).toBe("last_owner");
    expect((await s.listMembers({ orgId: a.orgId, limit: 10, roleId: owner })).map((i) => i.user.id)).toEqual([
      third.userId,
    ]);
  });

  it("two owners demoting each other at once leave exactly one owner", async () => {
    const s = h.storage();
    const { owner, admin } = await roleIds(s);
    const a = await signup(s);
    const second = await addMember(s, a.orgId, a.userId, owner);
    const results = await Promise.all(
      [a.userId, second.userId].map((userId) =>
        s.changeMemberRole({ orgId: a.orgId, userId, roleId: admin, ownerRoleId: owner, now: T0 }),
      ),
    );
    expect([...results].sort()).toEqual(["last_owner", "ok"]);
    expect(await s.listMembers({ orgId: a.orgId, limit: 10, roleId: owner })).toHaveLength(1);
  });

  it("owners removing each other and demoting themselves at once leave exactly one owner", async () => {
    const s = h.storage();
    const { owner, member } = await roleIds(s);
    const a = await signup(s);
    const others = [];
    for (let i = 0; i < 3; i++) others.push(await addMember(s, a.orgId, a.userId, owner));
    const userIds = [a.userId, ...others.map((o) => o.userId)];
    const results = await Promise.all(
      userIds.map((userId, i) =>
        i % 2 === 1
          ? s.removeMember({ orgId: a.orgId, userId, ownerRoleId: owner })
          : s.changeMemberRole({ orgId: a.orgId, userId, roleId: member, ownerRoleId: owner, now: T0 }),
      ),
    );
    expect(results.filter((r) => r === "ok")).toHaveLength(3);
    expect(results.filter((r) => r === "last_owner")).toHaveLength(1);
    expect(await s.listMembers({ orgId: a.orgId, limit: 10, roleId: owner })).toHaveLength(1);
  });

  it("changeMemberRole and removeMember of a user who is not a member are not_found and change nothing", async () => {
    const s = h.storage();
    const { owner, member } = await roleIds(s);
    const a = await signup(s);
    const b = await signup(s);
    const before = await snapshot(s, [a.orgId, b.orgId], [a.userId, b.userId]);
    for (const userId of [b.userId, b.userId + 1_000_000]) {
      const base = { orgId: a.orgId, userId, ownerRoleId: owner };
      expect(await s.changeMemberRole({ ...base, roleId: member, now: T0 + 1 })).toBe("not_found");
      expect(await s.removeMember(base)).toBe("not_found");
    }
    expect(await snapshot(s, [a.orgId, b.orgId], [a.userId, b.userId])).toStrictEqual(before);
  });

  it("changeMemberRole to a role that does not exist, or to another organization's custom role, is not_found", async () => {
    const s = h.storage();
    const { owner, member } = await roleIds(s);
    const a = await signup(s);
    const b = await signup(s);
    const m = await addMember(s, a.orgId, a.userId, member);
    const foreign = await s.createRole({ orgId: b.orgId, name: "Foreign", description: null, permissions: [] }, T0);
    if (!foreign.ok) return expect.fail("createRole failed");
    const before = await snapshot(s, [a.orgId, b.orgId], [m.userId]);
    for (const roleId of [foreign.value.id, foreign.value.id + 1_000_000]) {
      expect(
        await s.changeMemberRole({ orgId: a.orgId, userId: m.userId, roleId, ownerRoleId: owner, now: T0 + 1 }),
      ).toBe("not_found");
    }
    expect(await snapshot(s, [a.orgId, b.orgId], [m.userId])).toStrictEqual(before);
  });
}
