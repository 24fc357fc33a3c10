import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { backends } from "./support/backends.js";
import { expectAuthError } from "./support/errors.js";
import { type Actor, createWorld, PASSWORD, type World } from "./support/world.js";

describe.each(backends)("roles on $name", (backend) => {
  let w: World;
  let ada: Actor;
  beforeEach(async () => {
    w = await createWorld(backend);
    ada = await w.user("ada@example.com", "Acme");
  });
  afterEach(async () => {
    await w.cleanup();
  });

  it("lists the built-in roles with their permissions", async () => {
    const roles = await w.auth.roles.list(ada.principal, ada.orgId);
    expect(roles.map((r) => [r.name, r.builtIn])).toEqual([
      ["Owner", true],
      ["Admin", true],
      ["Member", true],
    ]);
    expect(roles[0]?.permissions).toEqual(expect.arrayContaining(["org:delete", "role:manage", "stats:read"]));
    expect(roles[2]?.permissions).toEqual([]);
  });

  it("creates, updates and deletes a custom role", async () => {
    const billing = await w.auth.roles.create(ada.principal, ada.orgId, {
      name: "Billing",
      description: "Reads stats",
      permissions: ["stats:read", "stats:read"],
    });
    expect(billing).toMatchObject({ name: "Billing", builtIn: false, permissions: ["stats:read"] });
    await expectAuthError(
      w.auth.roles.create(ada.principal, ada.orgId, { name: "Billing", permissions: [] }),
      "ROLE_NAME_TAKEN",
    );
    await expectAuthError(
      w.auth.roles.create(ada.principal, ada.orgId, { name: "owner", permissions: [] }),
      "INVALID_INPUT",
    );
    await expectAuthError(
      w.auth.roles.create(ada.principal, ada.orgId, { name: "X", permissions: ["root:everything"] }),
      "INVALID_INPUT",
    );
    const updated = await w.auth.roles.update(ada.principal, ada.orgId, billing.id, {
      permissions: ["stats:read", "member:invite"],
    });
    expect(updated.permissions).toEqual(["member:invite", "stats:read"]);
    const ownerRole = await w.roleId(ada, ada.orgId, "Owner");
    await expectAuthError(w.auth.roles.update(ada.principal, ada.orgId, ownerRole, { name: "Boss" }), "NOT_FOUND");
    await w.auth.roles.delete(ada.principal, ada.orgId, billing.id);
    expect((await w.auth.roles.list(ada.principal, ada.orgId)).map((r) => r.name)).not.toContain("Billing");
  });

  it("a role held by members needs a replacement to be deleted", async () => {
    const billing = await w.auth.roles.create(ada.principal, ada.orgId, {
      name: "Billing",
      permissions: ["stats:read"],
    });
    const bea = await w.member(ada, ada.orgId, "bea@example.com", "Billing");
    expect(await w.auth.authorize(bea.principal, ada.orgId, "stats:read")).toBe(true);
    await expectAuthError(w.auth.roles.delete(ada.principal, ada.orgId, billing.id), "ROLE_IN_USE");
    const memberRole = await w.roleId(ada, ada.orgId, "Member");
    await w.auth.roles.delete(ada.principal, ada.orgId, billing.id, { replacementRoleId: memberRole });
    expect((await w.auth.organizations.get(bea.principal, ada.orgId)).role.name).toBe("Member");
    expect(await w.auth.authorize(bea.principal, ada.orgId, "stats:read")).toBe(false);
  });

  it("create keeps the description; update changes exactly the fields it is given", async () => {
    const billing = await w.auth.roles.create(ada.principal, ada.orgId, {
      name: "Billing",
      description: "Reads stats",
      permissions: ["stats:read"],
    });
    expect(billing).toMatchObject({ name: "Billing", description: "Reads stats", permissions: ["stats:read"] });
    const stored = async () => (await w.auth.roles.list(ada.principal, ada.orgId)).find((r) => r.id === billing.id);
    // A rename alone keeps description and permissions.
    const renamed = await w.auth.roles.update(ada.principal, ada.orgId, billing.id, { name: "Finance" });
    expect(renamed).toMatchObject({ name: "Finance", description: "Reads stats", permissions: ["stats:read"] });
    expect(await stored()).toEqual(renamed);
    // A new description alone keeps name and permissions; null clears it.
    const described = await w.auth.roles.update(ada.principal, ada.orgId, billing.id, { description: "Money" });
    expect(described).toMatchObject({ name: "Finance", description: "Money", permissions: ["stats:read"] });
    const cleared = await w.auth.roles.update(ada.principal, ada.orgId, billing.id, { description: null });
    expect(cleared).toMatchObject({ name: "Finance", description: null, permissions: ["stats:read"] });
    // New permissions alone keep name and description.
    const widened = await w.auth.roles.update(ada.principal, ada.orgId, billing.id, {
      permissions: ["member:invite", "stats:read"],
    });
    expect(widened).toMatchObject({ name: "Finance", description: null, permissions: ["member:invite", "stats:read"] });
    expect(await stored()).toEqual(widened);
    // An empty update changes nothing.
    expect(await w.auth.roles.update(ada.principal, ada.orgId, billing.id, {})).toEqual(widened);
    // A taken name is refused and nothing changes.
    await w.auth.roles.create(ada.principal, ada.orgId, { name: "Support", permissions: [] });
    await expectAuthError(
      w.auth.roles.update(ada.principal, ada.orgId, billing.id, { name: "Support" }),
      "ROLE_NAME_TAKEN",
    );
    expect(await stored()).toEqual(widened);
  });

  it("update and delete of a role that is not this organization's custom role are NOT_FOUND", async () => {
    const eve = await w.user("eve@example.com", "Evil");
    const foreign = await w.auth.roles.create(eve.principal, eve.orgId, { name: "Spy", permissions: [] });
    const ownerRole = await w.roleId(ada, ada.orgId, "Owner");
    for (const id of [foreign.id, 999_999]) {
      await expectAuthError(w.auth.roles.update(ada.principal, ada.orgId, id, { name: "Mine" }), "NOT_FOUND");
      await expectAuthError(w.auth.roles.delete(ada.principal, ada.orgId, id), "NOT_FOUND");
    }
    await expectAuthError(w.auth.roles.delete(ada.principal, ada.orgId, ownerRole), "NOT_FOUND");
    expect((await w.auth.roles.list(eve.principal, eve.orgId)).map((r) => r.name)).toContain("Spy");
    expect((await w.auth.roles.list(ada.principal, ada.orgId)).map((r) => r.name)).toEqual([
      "Owner",
      "Admin",
      "Member",
    ]);
  });

  it("built-in roles are no custom roles: update and delete are NOT_FOUND, also for a role manager below them", async () => {
    await w.auth.roles.create(ada.principal, ada.orgId, { name: "Role manager", permissions: ["role:manage"] });
    const rita = await w.member(ada, ada.orgId, "rita@example.com", "Role manager");
    for (const name of ["Owner", "Admin", "Member"]) {
      const id = await w.roleId(ada, ada.orgId, name);
      for (const who of [ada, rita]) {
        await expectAuthError(w.auth.roles.update(who.principal, ada.orgId, id, { description: "mine" }), "NOT_FOUND");
        await expectAuthError(w.auth.roles.delete(who.principal, ada.orgId, id), "NOT_FOUND");
      }
    }
    const roles = await w.auth.roles.list(ada.principal, ada.orgId);
    expect(roles.filter((r) => r.builtIn).map((r) => r.description)).not.toContain("mine");
  });

  it("a role cannot be deleted in favour of itself, a missing role or another organization's role", async () => {
    const billing = await w.auth.roles.create(ada.principal, ada.orgId, { name: "Billing", permissions: [] });
    const bea = await w.member(ada, ada.orgId, "bea@example.com", "Billing");
    const eve = await w.user("eve@example.com", "Evil");
    const foreign = await w.auth.roles.create(eve.principal, eve.orgId, { name: "Spy", permissions: [] });
    for (const replacementRoleId of [billing.id, 999_999, foreign.id]) {
      await expectAuthError(
        w.auth.roles.delete(ada.principal, ada.orgId, billing.id, { replacementRoleId }),
        "NOT_FOUND",
      );
    }
    expect((await w.auth.organizations.get(bea.principal, ada.orgId)).role.name).toBe("Billing");
    expect((await w.auth.roles.list(ada.principal, ada.orgId)).map((r) => r.name)).toContain("Billing");
    // A role nobody holds is deleted with or without a replacement; the audit row names the replacement.
    const spare = await w.auth.roles.create(ada.principal, ada.orgId, { name: "Spare", permissions: [] });
    const memberRole = await w.roleId(ada, ada.orgId, "Member");
    await w.auth.roles.delete(ada.principal, ada.orgId, spare.id, { replacementRoleId: memberRole });
    await w.auth.roles.delete(ada.principal, ada.orgId, billing.id, { replacementRoleId: memberRole });
    const events = await w.storage.listAuditEvents({ orgId: ada.orgId, limit: 100 });
    expect(events.filter((e) => e.type === "role.delete").map((e) => e.data)).toEqual(
      expect.arrayContaining([
        { roleId: spare.id, name: "Spare", replacementRoleId: memberRole },
        { roleId: billing.id, name: "Billing", replacementRoleId: memberRole },
      ]),
    );
    expect((await w.auth.organizations.get(bea.principal, ada.orgId)).role.name).toBe("Member");
  });

  it("no escalation: a role manager cannot create or widen a role beyond their own permissions", async () => {
    const manager = await w.auth.roles.create(ada.principal, ada.orgId, {
      name: "Role manager",
      permissions: ["role:manage", "stats:read"],
    });
    const rita = await w.member(ada, ada.orgId, "rita@example.com", "Role manager");
    await expectAuthError(
      w.auth.roles.create(rita.principal, ada.orgId, { name: "Inviter", permissions: ["member:invite"] }),
      "FORBIDDEN",
    );
    const reader = await w.auth.roles.create(rita.principal, ada.orgId, {
      name: "Reader",
      permissions: ["stats:read"],
    });
    await expectAuthError(
      w.auth.roles.update(rita.principal, ada.orgId, reader.id, { permissions: ["stats:read", "org:delete"] }),
      "FORBIDDEN",
    );
    await expectAuthError(
      w.auth.roles.update(rita.principal, ada.orgId, manager.id, { permissions: ["role:manage", "org:update"] }),
      "FORBIDDEN",
    );
    const adminRole = await w.roleId(ada, ada.orgId, "Admin");
    const admin = await w.auth.roles.create(ada.principal, ada.orgId, { name: "Big", permissions: ["org:update"] });
    await expectAuthError(w.auth.roles.delete(rita.principal, ada.orgId, admin.id), "FORBIDDEN");
    await expectAuthError(
      w.auth.roles.delete(rita.principal, ada.orgId, reader.id, { replacementRoleId: adminRole }),
      "FORBIDDEN",
    );
  });
});

describe.each(backends)("invitations on $name", (backend) => {
  let w: World;
  let ada: Actor;
  let memberRole: number;
  beforeEach(async () => {
    // Unverified users may sign in here, so that accepting an invitation can require the verified email itself.
    w = await createWorld(backend, { invitations: { ttlSeconds: 3600 }, emailVerification: { required: false } });
    ada = await w.user("ada@example.com", "Acme");
    memberRole = await w.roleId(ada, ada.orgId, "Member");
  });
  afterEach(async () => {
    await w.cleanup();
  });

  it("signup with an invitation joins that organization, with a verified email and no personal organization", async () => {
    const issued = await w.auth.invitations.create(ada.principal, ada.orgId, {
      email: "Bob@Example.com",
      roleId: memberRole,
    });
    const { invitation } = issued;
    expect(invitation).toMatchObject({ email: "bob@example.com", status: "pending", roleId: memberRole });
    // The token leaves only in the mail to the invitee, never in the inviter's answer.
    expect(issued).toEqual({ invitation });
    const token = await w.invitationToken("bob@example.com");
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const { user, organization } = await w.auth.signup({
      email: "bob@example.com",
      password: PASSWORD,
      invitationToken: token,
    });
    expect(organization.id).toBe(ada.orgId);
    expect(user.emailVerified).toBe(true);
    const { accessToken } = await w.auth.signin({ email: "bob@example.com", password: PASSWORD });
    const orgs = await w.auth.organizations.list(await w.auth.authenticate(accessToken));
    expect(orgs.map((o) => [o.organization.name, o.role.name])).toEqual([["Acme", "Member"]]);
    await expectAuthError(
      w.auth.signup({ email: "bob2@example.com", password: PASSWORD, invitationToken: token }),
      "INVITATION_EMAIL_MISMATCH",
    );
    expect(await w.storage.findUserByEmail("bob2@example.com")).toBeNull();
  });

  it("accepted, revoked and expired invitations are refused with distinct codes", async () => {
    await w.auth.invitations.create(ada.principal, ada.orgId, { email: "u@example.com", roleId: memberRole });
    const used = await w.invitationToken("u@example.com");
    await w.auth.signup({ email: "u@example.com", password: PASSWORD, invitationToken: used });
    await expectAuthError(
      w.auth.signup({ email: "u@example.com", password: PASSWORD, invitationToken: used }),
      "INVITATION_USED",
    );
    const revoked = await w.auth.invitations.create(ada.principal, ada.orgId, {
      email: "r@example.com",
      roleId: memberRole,
    });
    const revokedToken = await w.invitationToken("r@example.com");
    await w.auth.invitations.revoke(ada.principal, ada.orgId, revoked.invitation.id);
    await expectAuthError(
      w.auth.signup({ email: "r@example.com", password: PASSWORD, invitationToken: revokedToken }),
      "INVITATION_REVOKED",
    );
    await w.auth.invitations.create(ada.principal, ada.orgId, { email: "e@example.com", roleId: memberRole });
    const expired = await w.invitationToken("e@example.com");
    w.clock.advance(3600 * 1000);
    await expectAuthError(
      w.auth.signup({ email: "e@example.com", password: PASSWORD, invitationToken: expired }),
      "INVITATION_EXPIRED",
    );
    await expectAuthError(
      w.auth.signup({ email: "n@example.com", password: PASSWORD, invitationToken: "no-such-token" }),
      "INVITATION_NOT_FOUND",
    );
    for (const email of ["r@example.com", "e@example.com", "n@example.com"]) {
      expect(await w.storage.findUserByEmail(email)).toBeNull();
    }
  });

  it("a signed-in user accepts with a verified, matching email", async () => {
    const bob = await w.user("bob@example.com", "Bobs");
    await w.auth.invitations.create(ada.principal, ada.orgId, { email: "bob@example.com", roleId: memberRole });
    const token = await w.invitationToken("bob@example.com");
    await expectAuthError(w.auth.invitations.accept(bob.principal, token), "EMAIL_NOT_VERIFIED");
    await w.storage.markEmailVerified(bob.userId, w.clock.now());
    const carol = await w.user("carol@example.com", "Carols");
    await w.storage.markEmailVerified(carol.userId, w.clock.now());
    await expectAuthError(w.auth.invitations.accept(carol.principal, token), "INVITATION_EMAIL_MISMATCH");
    expect(await w.auth.invitations.accept(bob.principal, token)).toEqual({ orgId: ada.orgId, roleId: memberRole });
    expect(await w.auth.authorize(bob.principal, ada.orgId, "org:update")).toBe(false);
    expect((await w.auth.organizations.get(bob.principal, ada.orgId)).role.name).toBe("Member");
    await expectAuthError(w.auth.invitations.accept(bob.principal, token), "INVITATION_USED");
    await expectAuthError(
      w.auth.invitations.create(ada.principal, ada.orgId, { email: "bob@example.com", roleId: memberRole }),
      "ALREADY_MEMBER",
    );
  });

  it("lists pending invitations, resends with a new token, and a new invitation replaces the old one", async () => {
    await w.auth.invitations.create(ada.principal, ada.orgId, { email: "x@example.com", roleId: memberRole });
    const first = { token: await w.invitationToken("x@example.com") };
    const second = {
      ...(await w.auth.invitations.create(ada.principal, ada.orgId, { email: "x@example.com", roleId: memberRole })),
      token: await w.invitationToken("x@example.com"),
    };
    expect((await w.auth.invitations.list(ada.principal, ada.orgId)).map((i) => i.id)).toEqual([second.invitation.id]);
    await expectAuthError(
      w.auth.signup({ email: "x@example.com", password: PASSWORD, invitationToken: first.token }),
      "INVITATION_REVOKED",
    );
    w.clock.advance(1000);
    const resent = {
      ...(await w.auth.invitations.resend(ada.principal, ada.orgId, second.invitation.id)),
      token: await w.invitationToken("x@example.com"),
    };
    expect(resent.token).not.toBe(second.token);
    expect(resent.invitation.expiresAt).toBe(second.invitation.expiresAt + 1000);
    await expectAuthError(
      w.auth.signup({ email: "x@example.com", password: PASSWORD, invitationToken: second.token }),
      "INVITATION_NOT_FOUND",
    );
    await w.auth.signup({ email: "x@example.com", password: PASSWORD, invitationToken: resent.token });
    expect(await w.auth.invitations.list(ada.principal, ada.orgId)).toEqual([]);
    await expectAuthError(
      w.auth.invitations.revoke(ada.principal, ada.orgId, second.invitation.id),
      "INVITATION_NOT_FOUND",
    );
  });

  it("a pending invitation lists as expired from its expiry on; resent, it is pending again and its new token works", async () => {
    const issued = await w.auth.invitations.create(ada.principal, ada.orgId, {
      email: "late@example.com",
      roleId: memberRole,
    });
    expect(issued.invitation.expiresAt).toBe(w.clock.now() + 3600 * 1000);
    const statusNow = async () => (await w.auth.invitations.list(ada.principal, ada.orgId)).map((i) => i.status);
    w.clock.advance(3600 * 1000 - 1);
    expect(await statusNow()).toEqual(["pending"]);
    w.clock.advance(1);
    expect(await statusNow()).toEqual(["expired"]);
    const stale = await w.invitationToken("late@example.com");
    await expectAuthError(
      w.auth.signup({ email: "late@example.com", password: PASSWORD, invitationToken: stale }),
      "INVITATION_EXPIRED",
    );
    const resent = await w.auth.invitations.resend(ada.principal, ada.orgId, issued.invitation.id);
    expect(resent.invitation).toMatchObject({ id: issued.invitation.id, status: "pending" });
    expect(resent.invitation.expiresAt).toBe(w.clock.now() + 3600 * 1000);
    expect(await statusNow()).toEqual(["pending"]);
    const fresh = await w.invitationToken("late@example.com");
    const { organization } = await w.auth.signup({
      email: "late@example.com",
      password: PASSWORD,
      invitationToken: fresh,
    });
    expect(organization.id).toBe(ada.orgId);
  });

  it("accepting with an unknown token is INVITATION_NOT_FOUND", async () => {
    const bob = await w.user("bob@example.com", "Bobs");
    await w.storage.markEmailVerified(bob.userId, w.clock.now());
    await w.auth.invitations.create(ada.principal, ada.orgId, { email: "bob@example.com", roleId: memberRole });
    await expectAuthError(w.auth.invitations.accept(bob.principal, "no-such-token"), "INVITATION_NOT_FOUND");
    await expectAuthError(w.auth.organizations.get(bob.principal, ada.orgId), "NOT_FOUND");
  });

  it("an invitation to someone who became a member by other means is ALREADY_MEMBER when accepted", async () => {
    const bob = await w.user("bob@example.com", "Bobs");
    await w.storage.markEmailVerified(bob.userId, w.clock.now());
    await w.auth.invitations.create(ada.principal, ada.orgId, { email: "bob@example.com", roleId: memberRole });
    const token = await w.invitationToken("bob@example.com");
    // The API invites no member, but a membership added beside it (an import, a tool on the storage) leaves the
    // earlier invitation pending: here a second invitation, written and accepted on the storage port directly.
    const aside = "0".repeat(64);
    const now = w.clock.now();
    await w.storage.createInvitation({
      invitation: {
        orgId: ada.orgId,
        email: "bob.import@example.com",
        roleId: memberRole,
        invitedBy: ada.userId,
        tokenHash: aside,
        expiresAt: now + 60_000,
      },
      // Never due, so the world's mail delivery leaves it alone.
      mail: {
        template: "invitation",
        recipient: "bob.import@example.com",
        payload: {},
        availableAt: now + 10 * 365 * 86_400_000,
      },
      now,
    });
    expect((await w.storage.acceptInvitation(aside, bob.userId, now)).status).toBe("accepted");
    await expectAuthError(w.auth.invitations.accept(bob.principal, token), "ALREADY_MEMBER");
    expect((await w.auth.organizations.get(bob.principal, ada.orgId)).role.name).toBe("Member");
  });

  it("resending an invitation that is not pending is INVITATION_NOT_FOUND every time, before the resend throttle", async () => {
    const revoked = await w.auth.invitations.create(ada.principal, ada.orgId, {
      email: "r@example.com",
      roleId: memberRole,
    });
    await w.auth.invitations.revoke(ada.principal, ada.orgId, revoked.invitation.id);
    const used = await w.auth.invitations.create(ada.principal, ada.orgId, {
      email: "u@example.com",
      roleId: memberRole,
    });
    await w.auth.signup({
      email: "u@example.com",
      password: PASSWORD,
      invitationToken: await w.invitationToken("u@example.com"),
    });
    // Resends are throttled at 3 per invitation an hour: a refused resend must not count, nor queue a mail.
    for (const id of [revoked.invitation.id, used.invitation.id, 999_999]) {
      for (let i = 0; i < 4; i++) {
        await expectAuthError(w.auth.invitations.resend(ada.principal, ada.orgId, id), "INVITATION_NOT_FOUND");
      }
    }
    await w.auth.mail.idle();
    await w.auth.mail.deliverPending();
    expect(w.mailbox.all("r@example.com", "invitation")).toHaveLength(1);
  });

  it("cannot invite with a role beyond the inviter's permissions", async () => {
    const inviter = await w.auth.roles.create(ada.principal, ada.orgId, {
      name: "Inviter",
      permissions: ["member:invite"],
    });
    const ivy = await w.member(ada, ada.orgId, "ivy@example.com", "Inviter");
    const adminRole = await w.roleId(ada, ada.orgId, "Admin");
    await expectAuthError(
      w.auth.invitations.create(ivy.principal, ada.orgId, { email: "z@example.com", roleId: adminRole }),
      "FORBIDDEN",
    );
    await expect(
      w.auth.invitations.create(ivy.principal, ada.orgId, { email: "z@example.com", roleId: inviter.id }),
    ).resolves.toBeDefined();
  });

  it("signup with a personal organization too, when configured", async () => {
    const w2 = await createWorld(backend, { signup: { personalOrganizationOnInvite: true } });
    try {
      const owner = await w2.user("o@example.com", "Org");
      await w2.auth.invitations.create(owner.principal, owner.orgId, {
        email: "p@example.com",
        roleId: await w2.roleId(owner, owner.orgId, "Member"),
      });
      const token = await w2.invitationToken("p@example.com");
      await w2.auth.signup({ email: "p@example.com", password: PASSWORD, invitationToken: token });
      const { accessToken } = await w2.auth.signin({ email: "p@example.com", password: PASSWORD });
      const orgs = await w2.auth.organizations.list(await w2.auth.authenticate(accessToken));
      expect(orgs.map((o) => [o.organization.personal, o.role.name]).sort()).toEqual([
        [false, "Member"],
        [true, "Owner"],
      ]);
    } finally {
      await w2.cleanup();
    }
  });
});
