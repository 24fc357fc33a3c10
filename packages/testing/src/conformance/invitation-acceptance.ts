import { INVITATION_STATUS } from "@tenantauth/core";
import { expect, it } from "vitest";
import { ACTIVE_MEMBER, DAY, type Harness, newUser, RICH_JSON, signup, T0, tokenHash } from "./fixtures.js";
import { addMember, invite, newEmail, roleIds, snapshot } from "./tenancy-fixtures.js";

/** Tests of accepting invitations: by an existing user, by signing up, and under races. */
export function registerInvitationAcceptanceTests(h: Harness): void {
  it("acceptInvitation marks the invitation accepted by the user and adds the membership with its role", async () => {
    const s = h.storage();
    const a = await signup(s);
    const b = await signup(s);
    const { admin } = await roleIds(s);
    const { invitation, hash } = await invite(s, {
      orgId: a.orgId,
      invitedBy: a.userId,
      roleId: admin,
      email: b.email,
    });
    const result = await s.acceptInvitation(hash, b.userId, T0 + 7);
    if (result.status !== "accepted") return expect.fail(`acceptInvitation: ${result.status}`);
    const acceptedInvitation = {
      ...invitation,
      status: INVITATION_STATUS.accepted,
      acceptedAt: T0 + 7,
      acceptedBy: b.userId,
      updatedAt: T0 + 7,
    };
    expect(result).toStrictEqual({
      status: "accepted",
      invitation: acceptedInvitation,
      member: {
        id: result.member.id,
        orgId: a.orgId,
        userId: b.userId,
        roleId: admin,
        status: ACTIVE_MEMBER,
        settings: {},
        createdAt: T0 + 7,
        updatedAt: T0 + 7,
      },
    });
    expect(await s.findInvitationByTokenHash(hash)).toStrictEqual(acceptedInvitation);
    expect((await s.findMembership(a.orgId, b.userId))?.member).toStrictEqual(result.member);
    expect((await s.listUserOrganizations(b.userId)).map((o) => o.organization.id)).toEqual([b.orgId, a.orgId]);
  });

  it("acceptInvitation answers not_found, revoked, used and expired (from expiresAt on), and changes nothing", async () => {
    const s = h.storage();
    const a = await signup(s);
    const b = await signup(s);
    const c = await signup(s);
    const { member } = await roleIds(s);
    const base = { orgId: a.orgId, invitedBy: a.userId, roleId: member };
    const gone = await invite(s, base);
    await s.revokeInvitation(a.orgId, gone.invitation.id, T0);
    const used = await invite(s, { ...base, email: c.email });
    expect((await s.acceptInvitation(used.hash, c.userId, T0)).status).toBe("accepted");
    const stale = await invite(s, { ...base, email: b.email, expiresAt: T0 + DAY });
    const before = await snapshot(s, [a.orgId, b.orgId], [b.userId]);
    expect(await s.acceptInvitation(tokenHash(), b.userId, T0)).toEqual({ status: "not_found" });
    expect(await s.acceptInvitation(gone.hash, b.userId, T0)).toEqual({ status: "revoked" });
    expect(await s.acceptInvitation(used.hash, b.userId, T0)).toEqual({ status: "used" });
    expect(await s.acceptInvitation(stale.hash, b.userId, T0 + DAY)).toEqual({ status: "expired" });
    expect(await s.acceptInvitation(stale.hash, b.userId, T0 + 2 * DAY)).toEqual({ status: "expired" });
    expect(await snapshot(s, [a.orgId, b.orgId], [b.userId])).toStrictEqual(before);
    expect((await s.acceptInvitation(stale.hash, b.userId, T0 + DAY - 1)).status).toBe("accepted");
  });

  it("acceptInvitation by a user who is already a member is already_member, and the invitation stays pending", async () => {
    const s = h.storage();
    const a = await signup(s);
    const { admin, member } = await roleIds(s);
    const m = await addMember(s, a.orgId, a.userId, member);
    const { invitation, hash } = await invite(s, {
      orgId: a.orgId,
      invitedBy: a.userId,
      roleId: admin,
      email: m.email,
    });
    const before = await snapshot(s, [a.orgId], [m.userId]);
    expect(await s.acceptInvitation(hash, m.userId, T0 + 1)).toEqual({ status: "already_member" });
    expect(await snapshot(s, [a.orgId], [m.userId])).toStrictEqual(before);
    expect(await s.findInvitationByTokenHash(hash)).toStrictEqual(invitation);
    expect((await s.findMembership(a.orgId, m.userId))?.role.id).toBe(member);
  });

  it("of 10 concurrent acceptInvitation calls with one token by different users, exactly one is accepted and one membership written", async () => {
    const s = h.storage();
    const a = await signup(s);
    const { member } = await roleIds(s);
    const userIds: number[] = [];
    for (let i = 0; i < 10; i++) userIds.push((await signup(s)).userId);
    const { hash } = await invite(s, { orgId: a.orgId, invitedBy: a.userId, roleId: member });
    const results = await Promise.all(userIds.map((userId) => s.acceptInvitation(hash, userId, T0 + 1)));
    const winners = results.flatMap((r, i) => (r.status === "accepted" ? [userIds[i]] : []));
    expect(winners).toHaveLength(1);
    expect(results.filter((r) => r.status !== "accepted").map((r) => r.status)).toEqual(Array(9).fill("used"));
    expect((await s.listMembers({ orgId: a.orgId, limit: 20 })).map((i) => i.user.id)).toEqual([a.userId, ...winners]);
    expect((await s.findInvitationByTokenHash(hash))?.acceptedBy).toBe(winners[0]);
  });

  it("createUserFromInvitation inserts the user with the email verified now, accepts the invitation and adds the membership", async () => {
    const s = h.storage();
    const a = await signup(s);
    const { admin } = await roleIds(s);
    const { invitation, hash, email } = await invite(s, { orgId: a.orgId, invitedBy: a.userId, roleId: admin });
    const user = newUser({ email, profile: { ...RICH_JSON }, settings: { theme: "dark" } });
    const result = await s.createUserFromInvitation({ user, tokenHash: hash, now: T0 + 9 });
    if (result.status !== "created") return expect.fail(`createUserFromInvitation: ${result.status}`);
    const stored = { id: result.user.id, ...user, emailVerifiedAt: T0 + 9, createdAt: T0 + 9, updatedAt: T0 + 9 };
    expect(result.user).toStrictEqual(stored);
    expect(await s.findUserByEmail(email)).toStrictEqual(stored);
    expect(result.invitation).toStrictEqual({
      ...invitation,
      status: INVITATION_STATUS.accepted,
      acceptedAt: T0 + 9,
      acceptedBy: result.user.id,
      updatedAt: T0 + 9,
    });
    expect(result.member).toStrictEqual({
      id: result.member.id,
      orgId: a.orgId,
      userId: result.user.id,
      roleId: admin,
      status: ACTIVE_MEMBER,
      settings: {},
      createdAt: T0 + 9,
      updatedAt: T0 + 9,
    });
    expect((await s.listUserOrganizations(result.user.id)).map((o) => o.member)).toStrictEqual([result.member]);
  });

  it("createUserFromInvitation answers not_found, email_mismatch, revoked, expired and email_taken, and writes no user", async () => {
    const s = h.storage();
    const a = await signup(s);
    const taken = await signup(s);
    const { member } = await roleIds(s);
    const base = { orgId: a.orgId, invitedBy: a.userId, roleId: member };
    const open = await invite(s, base);
    const gone = await invite(s, base);
    await s.revokeInvitation(a.orgId, gone.invitation.id, T0);
    const stale = await invite(s, { ...base, expiresAt: T0 + DAY });
    const toTaken = await invite(s, { ...base, email: taken.email });
    const before = await snapshot(s, [a.orgId], [a.userId, taken.userId]);
    const attempt = (hash: string, email: string, now = T0) =>
      s.createUserFromInvitation({ user: newUser({ email }), tokenHash: hash, now });
    expect(await attempt(tokenHash(), open.email)).toEqual({ status: "not_found" });
    expect(await attempt(open.hash, newEmail())).toEqual({ status: "email_mismatch" });
    expect(await attempt(gone.hash, gone.email)).toEqual({ status: "revoked" });
    expect(await attempt(stale.hash, stale.email, T0 + DAY)).toEqual({ status: "expired" });
    expect(await attempt(toTaken.hash, taken.email)).toEqual({ status: "email_taken" });
    expect(await snapshot(s, [a.orgId], [a.userId, taken.userId])).toStrictEqual(before);
    for (const email of [open.email, gone.email, stale.email]) expect(await s.findUserByEmail(email)).toBeNull();
  });

  it("createUserFromInvitation with an accepted invitation's token answers used", async () => {
    const s = h.storage();
    const a = await signup(s);
    const { member } = await roleIds(s);
    const { hash, email } = await invite(s, { orgId: a.orgId, invitedBy: a.userId, roleId: member });
    const first = await s.createUserFromInvitation({ user: newUser({ email }), tokenHash: hash, now: T0 });
    expect(first.status).toBe("created");
    const again = await s.createUserFromInvitation({ user: newUser({ email }), tokenHash: hash, now: T0 + 1 });
    expect(again).toEqual({ status: "used" });
  });

  it("of 5 concurrent createUserFromInvitation calls with one token, exactly one creates the user; the others write nothing", async () => {
    const s = h.storage();
    const a = await signup(s);
    const { member } = await roleIds(s);
    const { hash, email } = await invite(s, { orgId: a.orgId, invitedBy: a.userId, roleId: member });
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        s.createUserFromInvitation({ user: newUser({ email }), tokenHash: hash, now: T0 + 7 }),
      ),
    );
    const created = results.flatMap((r) => (r.status === "created" ? [r] : []));
    expect(created).toHaveLength(1);
    expect(results.filter((r) => r.status !== "created" && r.status !== "used" && r.status !== "email_taken")).toEqual(
      [],
    );
    expect((await s.findUserByEmail(email))?.id).toBe(created[0]?.user.id);
    expect(await s.listMembers({ orgId: a.orgId, limit: 10 })).toHaveLength(2);
  });
}
