import { INVITATION_STATUS, MAIL_STATUS } from "@tenantauth/core";
import { expect, it } from "vitest";
import { ACTIVE_MEMBER, DAY, type Harness, HOUR, signup, T0, tokenHash } from "./fixtures.js";
import { addMember, invitationMail, invite, newEmail, roleIds, snapshot } from "./tenancy-fixtures.js";

const { pending, accepted, revoked } = INVITATION_STATUS;

/** Tests of invitations: creation and replacement, lookups, revocation, renewal. */
export function registerInvitationTests(h: Harness): void {
  it("createInvitation stores a pending invitation with every field, and its mail intent in the outbox", async () => {
    const s = h.storage();
    const a = await signup(s);
    const { admin } = await roleIds(s);
    const email = newEmail();
    const hash = tokenHash();
    const mail = invitationMail(email, T0 + 10);
    const now = T0 + 5;
    const created = await s.createInvitation({
      invitation: { orgId: a.orgId, email, roleId: admin, invitedBy: a.userId, tokenHash: hash, expiresAt: T0 + DAY },
      mail,
      now,
    });
    expect(created).toStrictEqual({
      id: created.id,
      orgId: a.orgId,
      email,
      roleId: admin,
      invitedBy: a.userId,
      status: pending,
      expiresAt: T0 + DAY,
      createdAt: now,
      updatedAt: now,
      acceptedAt: null,
      acceptedBy: null,
    });
    expect(Number.isSafeInteger(created.id) && created.id > 0).toBe(true);
    expect(await s.findInvitationByTokenHash(hash)).toStrictEqual(created);
    expect(await s.findInvitation(a.orgId, created.id)).toStrictEqual(created);
    const outbox = await s.listMail({ recipient: email, limit: 10 });
    expect(outbox).toStrictEqual([
      {
        id: outbox[0]?.id,
        ...mail,
        status: MAIL_STATUS.pending,
        attempts: 0,
        lastError: null,
        createdAt: now,
        sentAt: null,
      },
    ]);
  });

  it("createInvitation revokes the pending invitation for the same organization and email, and only that one", async () => {
    const s = h.storage();
    const a = await signup(s);
    const b = await signup(s);
    const { member } = await roleIds(s);
    const joined = await addMember(s, a.orgId, a.userId, member);
    const email = joined.email;
    const base = { orgId: a.orgId, invitedBy: a.userId, roleId: member };
    const old = await invite(s, { ...base, email, now: T0 + 1 });
    const otherEmail = await invite(s, { ...base, now: T0 + 2 });
    const otherOrg = await invite(s, { orgId: b.orgId, invitedBy: b.userId, roleId: member, email, now: T0 + 3 });
    const fresh = await invite(s, { ...base, email, now: T0 + 4 });
    expect(await s.findInvitation(a.orgId, old.invitation.id)).toStrictEqual({
      ...old.invitation,
      status: revoked,
      updatedAt: T0 + 4,
    });
    expect(await s.listInvitations(a.orgId, pending)).toStrictEqual([fresh.invitation, otherEmail.invitation]);
    expect(await s.listInvitations(b.orgId, pending)).toStrictEqual([otherOrg.invitation]);
    expect((await s.listInvitations(a.orgId, accepted)).map((i) => i.email)).toEqual([email]);
    expect((await s.acceptInvitation(old.hash, b.userId, T0 + 5)).status).toBe("revoked");
  });

  it("listInvitations lists one status of one organization, newest first, the same instant by descending id", async () => {
    const s = h.storage();
    const a = await signup(s);
    const b = await signup(s);
    const { member } = await roleIds(s);
    const base = { orgId: a.orgId, invitedBy: a.userId, roleId: member };
    const late = await invite(s, { ...base, now: T0 + 2 });
    const early = await invite(s, { ...base, now: T0 + 1 });
    const tieA = await invite(s, { ...base, now: T0 + 3 });
    const tieB = await invite(s, { ...base, now: T0 + 3 });
    const gone = await invite(s, { ...base, now: T0 + 4 });
    await invite(s, { orgId: b.orgId, invitedBy: b.userId, roleId: member, now: T0 + 5 });
    expect(await s.revokeInvitation(a.orgId, gone.invitation.id, T0 + 6)).toBe(true);
    expect((await s.listInvitations(a.orgId, pending)).map((i) => i.id)).toEqual(
      [tieB, tieA, late, early].map((i) => i.invitation.id),
    );
    expect((await s.listInvitations(a.orgId, revoked)).map((i) => i.id)).toEqual([gone.invitation.id]);
    expect(await s.listInvitations(a.orgId, accepted)).toEqual([]);
  });

  it("findInvitation and findInvitationByTokenHash return null for an unknown id or hash", async () => {
    const s = h.storage();
    const a = await signup(s);
    const { member } = await roleIds(s);
    const { invitation } = await invite(s, { orgId: a.orgId, invitedBy: a.userId, roleId: member });
    expect(await s.findInvitation(a.orgId, invitation.id + 1_000_000)).toBeNull();
    expect(await s.findInvitationByTokenHash(tokenHash())).toBeNull();
  });

  it("revokeInvitation revokes a pending invitation (expired or not) once, setting updatedAt", async () => {
    const s = h.storage();
    const a = await signup(s);
    const { member } = await roleIds(s);
    const base = { orgId: a.orgId, invitedBy: a.userId, roleId: member };
    const live = await invite(s, base);
    const stale = await invite(s, { ...base, expiresAt: T0 + 1 });
    for (const { invitation } of [live, stale]) {
      expect(await s.revokeInvitation(a.orgId, invitation.id, T0 + HOUR)).toBe(true);
      expect(await s.findInvitation(a.orgId, invitation.id)).toStrictEqual({
        ...invitation,
        status: revoked,
        updatedAt: T0 + HOUR,
      });
      expect(await s.revokeInvitation(a.orgId, invitation.id, T0 + 2 * HOUR)).toBe(false);
    }
    expect((await s.findInvitation(a.orgId, live.invitation.id))?.updatedAt).toBe(T0 + HOUR);
  });

  it("revokeInvitation is false for an accepted invitation and an unknown id, and changes nothing", async () => {
    const s = h.storage();
    const a = await signup(s);
    const { member } = await roleIds(s);
    await addMember(s, a.orgId, a.userId, member);
    const [used] = await s.listInvitations(a.orgId, accepted);
    const before = await snapshot(s, [a.orgId], [a.userId]);
    expect(await s.revokeInvitation(a.orgId, used!.id, T0 + 1)).toBe(false);
    expect(await s.revokeInvitation(a.orgId, used!.id + 1_000_000, T0 + 1)).toBe(false);
    expect(await snapshot(s, [a.orgId], [a.userId])).toStrictEqual(before);
  });

  it("renewInvitation gives a pending invitation, even an expired one, a new token, expiry and mail; the old token is gone", async () => {
    const s = h.storage();
    const a = await signup(s);
    const b = await signup(s);
    const { member } = await roleIds(s);
    const old = await invite(s, {
      orgId: a.orgId,
      invitedBy: a.userId,
      roleId: member,
      email: b.email,
      expiresAt: T0 + 1,
    });
    const hash = tokenHash();
    const mail = invitationMail(b.email, T0 + DAY);
    const input = { orgId: a.orgId, invitationId: old.invitation.id, tokenHash: hash, mail };
    const renewed = await s.renewInvitation({ ...input, expiresAt: T0 + 3 * DAY, now: T0 + DAY });
    const expected = { ...old.invitation, expiresAt: T0 + 3 * DAY, updatedAt: T0 + DAY };
    expect(renewed).toStrictEqual(expected);
    expect(await s.findInvitationByTokenHash(hash)).toStrictEqual(expected);
    expect(await s.findInvitationByTokenHash(old.hash)).toBeNull();
    expect((await s.listMail({ recipient: b.email, limit: 10 }))[0]).toMatchObject({
      ...mail,
      status: MAIL_STATUS.pending,
      createdAt: T0 + DAY,
    });
    expect(await s.acceptInvitation(old.hash, b.userId, T0 + DAY)).toEqual({ status: "not_found" });
    expect((await s.acceptInvitation(hash, b.userId, T0 + DAY)).status).toBe("accepted");
  });

  it("renewInvitation is null for an accepted or revoked invitation and an unknown id, and writes no mail", async () => {
    const s = h.storage();
    const a = await signup(s);
    const { member } = await roleIds(s);
    await addMember(s, a.orgId, a.userId, member);
    const [used] = await s.listInvitations(a.orgId, accepted);
    const gone = await invite(s, { orgId: a.orgId, invitedBy: a.userId, roleId: member });
    await s.revokeInvitation(a.orgId, gone.invitation.id, T0);
    const before = await snapshot(s, [a.orgId], [a.userId]);
    for (const invitationId of [used!.id, gone.invitation.id, used!.id + 1_000_000]) {
      const hash = tokenHash();
      const renewed = await s.renewInvitation({
        orgId: a.orgId,
        invitationId,
        tokenHash: hash,
        expiresAt: T0 + 2 * DAY,
        mail: invitationMail(gone.email),
        now: T0 + 1,
      });
      expect(renewed).toBeNull();
      expect(await s.findInvitationByTokenHash(hash)).toBeNull();
    }
    expect(await snapshot(s, [a.orgId], [a.userId])).toStrictEqual(before);
  });

  it("the members of an accepted invitation start active with empty settings", async () => {
    const s = h.storage();
    const a = await signup(s);
    const { member } = await roleIds(s);
    const m = await addMember(s, a.orgId, a.userId, member, T0 + 3);
    expect((await s.findMembership(a.orgId, m.userId))?.member).toStrictEqual({
      id: m.memberId,
      orgId: a.orgId,
      userId: m.userId,
      roleId: member,
      status: ACTIVE_MEMBER,
      settings: {},
      createdAt: T0 + 3,
      updatedAt: T0 + 3,
    });
  });
}
