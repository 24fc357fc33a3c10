import {
  type AuditEvent,
  type AuditEventType,
  type Principal,
  type RequestMeta,
  type UserPrincipal,
  withRequestMeta,
} from "@tenantauth/core";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { backends } from "./support/backends.js";
import { type CaptureMailer, captureMailer } from "./support/capture-mailer.js";
import { expectAuthError } from "./support/errors.js";
import { totpAt, wrongTotpAt } from "./support/otp.js";
import { type Actor, createWorld, PASSWORD, type World } from "./support/world.js";

const META = { ip: "203.0.113.9", userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0 audit-test" };
const NEW_PASSWORD = "a brand new passphrase 42";
const WRONG_PASSWORD = "not the password at all";

/** The principal as the HTTP handler passes it: with the request's ip and user agent. */
const fromRequest = (actor: Actor): Principal => withRequestMeta(actor.principal, META);

describe.each(backends)("audit events on $name", (backend) => {
  let w: World;
  let mailer: CaptureMailer;
  let received: AuditEvent[];

  beforeEach(async () => {
    received = [];
    mailer = captureMailer();
    w = await createWorld(backend, {
      mailer,
      platformAdmins: ["root@platform.test"],
      onEvent: (event) => {
        received.push(event);
      },
    });
  });
  afterEach(async () => {
    await w.auth.mail.idle();
    await w.cleanup();
  });

  /** The password hash stored for a user: it must never appear in an event. */
  const hashOf = async (userId: number): Promise<string> => (await w.storage.findUserById(userId))!.passwordHash;

  /**
   * The last event of `type` the hook received: checks that the stored row is the same event, that it matches
   * `expected`, and that neither the row nor the hook's copy contains any of `secrets`.
   */
  async function expectEvent(
    type: AuditEventType,
    expected: Partial<AuditEvent>,
    secrets: string[],
    meta: RequestMeta | null = META,
  ): Promise<AuditEvent> {
    const event = received.filter((e) => e.type === type).at(-1);
    expect(event, `onEvent received ${type}`).toBeDefined();
    const [row] = await w.storage.listAuditEvents({ limit: 1, beforeId: event!.id + 1 });
    expect(row).toStrictEqual(event);
    expect(row).toMatchObject({
      type,
      at: w.clock.now(),
      ip: meta?.ip ?? null,
      userAgent: meta?.userAgent ?? null,
      ...expected,
    });
    expect(secrets.length).toBeGreaterThan(0);
    for (const secret of secrets) {
      expect(secret.length).toBeGreaterThanOrEqual(8);
      expect(JSON.stringify(row)).not.toContain(secret);
      expect(JSON.stringify(event)).not.toContain(secret);
    }
    return row as AuditEvent;
  }

  it("signin.success: actor and target are the user, with ip and user agent; no password or token", async () => {
    const ada = await w.user("ada@acme.test");
    const result = await w.auth.signin({ email: "ada@acme.test", password: PASSWORD }, META);
    await expectEvent("signin.success", { actorUserId: ada.userId, targetUserId: ada.userId, orgId: null, data: {} }, [
      PASSWORD,
      result.accessToken,
      result.refreshToken,
      await hashOf(ada.userId),
    ]);
  });

  it("signin.failure: a wrong password targets the user; an unknown email records neither user nor email", async () => {
    const ada = await w.user("ada@acme.test");
    await expectAuthError(
      w.auth.signin({ email: "ada@acme.test", password: WRONG_PASSWORD }, META),
      "INVALID_CREDENTIALS",
    );
    await expectEvent(
      "signin.failure",
      { actorUserId: null, targetUserId: ada.userId, orgId: null, data: { reason: "invalid_credentials" } },
      [WRONG_PASSWORD, PASSWORD, await hashOf(ada.userId)],
    );
    const unknown = { email: "nobody-here@acme.test", password: WRONG_PASSWORD };
    await expectAuthError(w.auth.signin(unknown, META), "INVALID_CREDENTIALS");
    await expectEvent(
      "signin.failure",
      { actorUserId: null, targetUserId: null, orgId: null, data: { reason: "unknown_account" } },
      [WRONG_PASSWORD, unknown.email],
    );
  });

  it("signin.lockout: the failure that locks the account is recorded with its retry-after, no password", async () => {
    const ada = await w.user("ada@acme.test");
    for (let i = 1; i <= 10; i++) {
      await expectAuthError(
        w.auth.signin({ email: "ada@acme.test", password: WRONG_PASSWORD }, META),
        "INVALID_CREDENTIALS",
      );
    }
    await expectEvent(
      "signin.lockout",
      {
        actorUserId: null,
        targetUserId: ada.userId,
        orgId: null,
        data: { scope: "account_ip", retryAfterSeconds: 900 },
      },
      [WRONG_PASSWORD, PASSWORD, await hashOf(ada.userId)],
    );
    await expectAuthError(w.auth.signin({ email: "ada@acme.test", password: PASSWORD }, META), "RATE_LIMITED");
  });

  it("signin.failure: an unverified account is recorded with its reason after the password checked out", async () => {
    const { user } = await w.auth.signup({ email: "new@acme.test", password: PASSWORD });
    await expectAuthError(w.auth.signin({ email: "new@acme.test", password: PASSWORD }, META), "EMAIL_NOT_VERIFIED");
    await expectEvent(
      "signin.failure",
      { actorUserId: null, targetUserId: user.id, data: { reason: "email_not_verified" } },
      [PASSWORD, await hashOf(user.id)],
    );
  });

  /** Turns two-factor sign-in on for `actor` (from a request, so the events carry META); leaves the clock on a fresh step. */
  async function enableTwoFactor(actor: Actor): Promise<{ secret: string; backupCodes: string[] }> {
    const { secret } = await w.auth.twoFactor.enroll(fromRequest(actor));
    const { backupCodes } = await w.auth.twoFactor.confirm(fromRequest(actor), totpAt(secret, w.clock.now()));
    return { secret, backupCodes };
  }

  /** The challenge of a password sign-in that needs a second factor. */
  const challengeOf = async (email: string): Promise<string> =>
    (await expectAuthError(w.auth.signin({ email, password: PASSWORD }, META), "TWO_FACTOR_REQUIRED")).details
      ?.challenge as string;

  it("two_factor.enable and two_factor.disable: the user, and which proof turned it off; no secret or code", async () => {
    const ada = await w.user("ada@acme.test");
    const { secret, backupCodes } = await enableTwoFactor(ada);
    const enabled = { actorUserId: ada.userId, targetUserId: ada.userId, orgId: null, data: {} };
    await expectEvent("two_factor.enable", enabled, [secret, ...backupCodes]);

    await w.auth.twoFactor.disable(fromRequest(ada), { code: backupCodes[0] as string });
    const disabled = { actorUserId: ada.userId, targetUserId: ada.userId, data: { proof: "backup_code" } } as const;
    await expectEvent("two_factor.disable", disabled, [secret, ...backupCodes]);

    w.clock.advance(30_000);
    const again = await enableTwoFactor(ada);
    // A refused proof turns nothing off and records nothing.
    const before = received.length;
    await expectAuthError(
      w.auth.twoFactor.disable(fromRequest(ada), { password: WRONG_PASSWORD }),
      "INVALID_CREDENTIALS",
    );
    expect(received.length).toBe(before);
    await w.auth.twoFactor.disable(fromRequest(ada), { password: PASSWORD });
    await expectEvent("two_factor.disable", { ...disabled, data: { proof: "password" } }, [PASSWORD, again.secret]);
  });

  it("signin.success after a second factor says which kind; a wrong code is signin.failure second_factor_invalid", async () => {
    const ada = await w.user("ada@acme.test");
    const { secret, backupCodes } = await enableTwoFactor(ada);
    w.clock.advance(30_000);
    const successes = () => received.filter((e) => e.type === "signin.success").length;
    const before = successes();
    const challenge = await challengeOf("ada@acme.test");
    // The password alone starts no session, so it records no success.
    expect(successes()).toBe(before);
    await expectAuthError(
      w.auth.signin.verifyTotp(challenge, wrongTotpAt(secret, w.clock.now()), META),
      "TWO_FACTOR_CODE_INVALID",
    );
    const failed = {
      actorUserId: null,
      targetUserId: ada.userId,
      orgId: null,
      data: { reason: "second_factor_invalid" },
    } as const;
    await expectEvent("signin.failure", failed, [challenge, secret, PASSWORD]);

    const result = await w.auth.signin.verifyTotp(challenge, totpAt(secret, w.clock.now()), META);
    const success = {
      actorUserId: ada.userId,
      targetUserId: ada.userId,
      orgId: null,
      data: { secondFactor: "totp" },
    } as const;
    await expectEvent("signin.success", success, [challenge, secret, result.accessToken, result.refreshToken]);

    const next = await challengeOf("ada@acme.test");
    const byBackup = await w.auth.signin.verifyTotp(next, backupCodes[1] as string, META);
    await expectEvent("signin.success", { ...success, data: { secondFactor: "backup_code" } }, [
      next,
      backupCodes[1] as string,
      byBackup.refreshToken,
    ]);
  });

  it("session.revoke: one session, all the others, or all, with how many; an unknown session records nothing", async () => {
    const ada = await w.user("ada@acme.test");
    const signIn = async () => {
      const tokens = await w.auth.signin({ email: "ada@acme.test", password: PASSWORD });
      return { tokens, principal: (await w.auth.authenticate(tokens.accessToken)) as UserPrincipal };
    };
    const [a, b] = [await signIn(), await signIn()];
    const self = { actorUserId: ada.userId, targetUserId: ada.userId, orgId: null };
    await w.auth.sessions.revoke(withRequestMeta(a.principal, META), b.principal.sessionId);
    const one = { scope: "one", sessionId: b.principal.sessionId, sessionsRevoked: 1 } as const;
    await expectEvent("session.revoke", { ...self, data: one }, [b.tokens.refreshToken, b.tokens.accessToken]);

    const before = received.length;
    await expectAuthError(
      w.auth.sessions.revoke(withRequestMeta(a.principal, META), b.principal.sessionId),
      "NOT_FOUND",
    );
    expect(received).toHaveLength(before);

    await signIn();
    await signIn();
    const others = await w.auth.sessions.revokeOthers(withRequestMeta(a.principal, META));
    expect(others).toBe(3); // the fixture's sign-in and the two above
    const othersData = { scope: "others", sessionId: null, sessionsRevoked: 3 } as const;
    await expectEvent("session.revoke", { ...self, data: othersData }, [a.tokens.refreshToken]);

    expect(await w.auth.signoutAll(withRequestMeta(a.principal, META))).toBe(1);
    const all = { scope: "all", sessionId: null, sessionsRevoked: 1 } as const;
    await expectEvent("session.revoke", { ...self, data: all }, [a.tokens.refreshToken]);
  });

  it("email.verify: the user, with the request's ip and user agent; no token", async () => {
    const { user } = await w.auth.signup({ email: "new@acme.test", password: PASSWORD });
    await w.auth.mail.idle();
    await w.auth.mail.deliverPending();
    const token = mailer.tokenFor("new@acme.test", "verify-email");
    await w.auth.verifyEmail(token, META);
    await expectEvent("email.verify", { actorUserId: user.id, targetUserId: user.id, orgId: null, data: {} }, [
      token,
      PASSWORD,
      await hashOf(user.id),
    ]);
    // A spent link verifies nothing and records nothing.
    const before = received.length;
    await expectAuthError(w.auth.verifyEmail(token, META), "VERIFICATION_TOKEN_USED");
    expect(received).toHaveLength(before);
  });

  it("refresh.reuse: the session's user is the target, the session id is recorded, no refresh token", async () => {
    const ada = await w.user("ada@acme.test");
    const first = await w.auth.signin({ email: "ada@acme.test", password: PASSWORD });
    const sessionId = ((await w.auth.authenticate(first.accessToken)) as UserPrincipal).sessionId;
    const second = await w.auth.refresh(first.refreshToken);
    w.clock.advance(5_001); // past the reuse grace: a replay now is reuse
    await expectAuthError(w.auth.refresh(first.refreshToken, META), "REFRESH_TOKEN_REUSED");
    await expectEvent(
      "refresh.reuse",
      { actorUserId: null, targetUserId: ada.userId, orgId: null, data: { sessionId } },
      [first.refreshToken, second.refreshToken, first.accessToken, second.accessToken],
    );
  });

  it("password.change: counts the other sessions revoked; no old or new password or hash", async () => {
    const ada = await w.user("ada@acme.test");
    await w.auth.signin({ email: "ada@acme.test", password: PASSWORD }); // a second session, revoked by the change
    const oldHash = await hashOf(ada.userId);
    await w.auth.changePassword(fromRequest(ada), PASSWORD, NEW_PASSWORD);
    await expectEvent(
      "password.change",
      { actorUserId: ada.userId, targetUserId: ada.userId, orgId: null, data: { sessionsRevoked: 1 } },
      [PASSWORD, NEW_PASSWORD, oldHash, await hashOf(ada.userId)],
    );
  });

  it("password.reset: counts the sessions revoked; no reset token, password or hash", async () => {
    const ada = await w.user("ada@acme.test");
    await w.auth.requestPasswordReset("ada@acme.test");
    await w.auth.mail.idle();
    await w.auth.mail.deliverPending();
    const token = mailer.tokenFor("ada@acme.test", "password-reset");
    await w.auth.resetPassword(token, NEW_PASSWORD, META);
    await expectEvent(
      "password.reset",
      { actorUserId: ada.userId, targetUserId: ada.userId, orgId: null, data: { sessionsRevoked: 1 } },
      [token, NEW_PASSWORD, PASSWORD, await hashOf(ada.userId)],
    );
  });

  it("member.role_change: actor, organization, target and both roles, with the caller's ip and user agent", async () => {
    const owner = await w.user("owner@acme.test", "Acme");
    const member = await w.member(owner, owner.orgId, "m@acme.test");
    const [memberRole, adminRole] = [
      await w.roleId(owner, owner.orgId, "Member"),
      await w.roleId(owner, owner.orgId, "Admin"),
    ];
    await w.auth.members.updateRole(fromRequest(owner), owner.orgId, member.userId, adminRole);
    await expectEvent(
      "member.role_change",
      {
        actorUserId: owner.userId,
        orgId: owner.orgId,
        targetUserId: member.userId,
        data: { fromRoleId: memberRole, toRoleId: adminRole, toRoleName: "Admin" },
      },
      [PASSWORD, await hashOf(member.userId)],
    );
  });

  it("member.remove: a removal and a departure, each with the member's role; a refused one records nothing", async () => {
    const owner = await w.user("owner@acme.test", "Acme");
    const member = await w.member(owner, owner.orgId, "m@acme.test");
    const leaver = await w.member(owner, owner.orgId, "l@acme.test");
    const memberRole = await w.roleId(owner, owner.orgId, "Member");
    await w.auth.members.remove(fromRequest(owner), owner.orgId, member.userId);
    await expectEvent(
      "member.remove",
      {
        actorUserId: owner.userId,
        orgId: owner.orgId,
        targetUserId: member.userId,
        data: { roleId: memberRole, reason: "removed" },
      },
      [PASSWORD, await hashOf(member.userId)],
    );
    await w.auth.members.leave(fromRequest(leaver), owner.orgId);
    await expectEvent(
      "member.remove",
      {
        actorUserId: leaver.userId,
        orgId: owner.orgId,
        targetUserId: leaver.userId,
        data: { roleId: memberRole, reason: "left" },
      },
      [PASSWORD],
    );
    // The last Owner cannot leave: the transaction rolls back and neither the table nor the hook sees an event.
    const before = received.length;
    await expectAuthError(w.auth.members.leave(fromRequest(owner), owner.orgId), "LAST_OWNER");
    expect(received).toHaveLength(before);
    const stored = await w.storage.listAuditEvents({ orgId: owner.orgId, limit: 100 });
    expect(stored.filter((e) => e.type === "member.remove")).toHaveLength(2);
  });

  it("role.create, role.update and role.delete: the role as it is, and where its members went; a refused change records nothing", async () => {
    const owner = await w.user("owner@acme.test", "Acme");
    const role = await w.auth.roles.create(fromRequest(owner), owner.orgId, {
      name: "Billing",
      permissions: ["stats:read"],
    });
    const by = { actorUserId: owner.userId, orgId: owner.orgId, targetUserId: null };
    await expectEvent(
      "role.create",
      { ...by, data: { roleId: role.id, name: "Billing", permissions: ["stats:read"] } },
      [PASSWORD],
    );
    const changed = await w.auth.roles.update(fromRequest(owner), owner.orgId, role.id, {
      permissions: ["stats:read", "audit:read"],
    });
    expect([...changed.permissions].sort()).toEqual(["audit:read", "stats:read"]);
    const updated = { roleId: role.id, name: "Billing", permissions: changed.permissions };
    await expectEvent("role.update", { ...by, data: updated }, [PASSWORD]);
    const member = await w.member(owner, owner.orgId, "m@acme.test", "Billing");
    const memberRole = await w.roleId(owner, owner.orgId, "Member");
    // Refused (members hold it and no replacement is named): rolled back, nothing recorded.
    const before = received.length;
    await expectAuthError(w.auth.roles.delete(fromRequest(owner), owner.orgId, role.id), "ROLE_IN_USE");
    expect(received).toHaveLength(before);
    await w.auth.roles.delete(fromRequest(owner), owner.orgId, role.id, { replacementRoleId: memberRole });
    const deleted = { roleId: role.id, name: "Billing", replacementRoleId: memberRole };
    await expectEvent("role.delete", { ...by, data: deleted }, [PASSWORD, await hashOf(member.userId)]);
  });

  it("api_key.create, api_key.rotate and api_key.revoke: the key's id, name and permissions, never the key", async () => {
    const owner = await w.user("owner@acme.test", "Acme");
    const issued = await w.auth.apiKeys.create(fromRequest(owner), owner.orgId, {
      name: "ci",
      permissions: ["stats:read"],
    });
    const by = { actorUserId: owner.userId, orgId: owner.orgId, targetUserId: null };
    await expectEvent("api_key.create", { ...by, data: { id: issued.id, name: "ci", permissions: ["stats:read"] } }, [
      issued.key,
    ]);
    const rotated = await w.auth.apiKeys.rotate(fromRequest(owner), owner.orgId, issued.id);
    const rotation = { id: issued.id, previousCreatedBy: owner.userId };
    await expectEvent("api_key.rotate", { ...by, data: rotation }, [issued.key, rotated.key]);
    await w.auth.apiKeys.revoke(fromRequest(owner), owner.orgId, issued.id);
    await expectEvent("api_key.revoke", { ...by, data: { id: issued.id } }, [issued.key, rotated.key]);
    // Revoking it again is NOT_FOUND and records nothing.
    const before = received.length;
    await expectAuthError(w.auth.apiKeys.revoke(fromRequest(owner), owner.orgId, issued.id), "NOT_FOUND");
    expect(received).toHaveLength(before);
  });

  it("invitation.create: the invitee's email and role, never the invitation token (resend too)", async () => {
    const owner = await w.user("owner@acme.test", "Acme");
    const roleId = await w.roleId(owner, owner.orgId, "Member");
    const { invitation } = await w.auth.invitations.create(fromRequest(owner), owner.orgId, {
      email: "invitee@acme.test",
      roleId,
    });
    const token = await w.invitationToken("invitee@acme.test");
    const expected = {
      actorUserId: owner.userId,
      orgId: owner.orgId,
      targetUserId: null,
      data: { invitationId: invitation.id, email: "invitee@acme.test", roleId, resent: false },
    };
    await expectEvent("invitation.create", expected, [token]);
    await w.auth.invitations.resend(fromRequest(owner), owner.orgId, invitation.id);
    const resent = await w.invitationToken("invitee@acme.test");
    expect(resent).not.toBe(token);
    await expectEvent("invitation.create", { ...expected, data: { ...expected.data, resent: true } }, [token, resent]);
  });

  it("invitation.revoke: the invitation id", async () => {
    const owner = await w.user("owner@acme.test", "Acme");
    const roleId = await w.roleId(owner, owner.orgId, "Member");
    const { invitation } = await w.auth.invitations.create(owner.principal, owner.orgId, {
      email: "invitee@acme.test",
      roleId,
    });
    const token = await w.invitationToken("invitee@acme.test");
    await w.auth.invitations.revoke(fromRequest(owner), owner.orgId, invitation.id);
    await expectEvent(
      "invitation.revoke",
      { actorUserId: owner.userId, orgId: owner.orgId, data: { invitationId: invitation.id } },
      [token],
    );
  });

  it("invitation.accept: by a signed-in user, and at signup with an invitation token", async () => {
    const owner = await w.user("owner@acme.test", "Acme");
    const bob = await w.user("bob@acme.test");
    const adminRole = await w.roleId(owner, owner.orgId, "Admin");
    await w.auth.invitations.create(owner.principal, owner.orgId, { email: "bob@acme.test", roleId: adminRole });
    const token = await w.invitationToken("bob@acme.test");
    await w.auth.invitations.accept(fromRequest(bob), token);
    await expectEvent(
      "invitation.accept",
      { actorUserId: bob.userId, orgId: owner.orgId, targetUserId: null, data: { roleId: adminRole } },
      [token],
    );
    const carol = await w.member(owner, owner.orgId, "carol@acme.test");
    await expectEvent(
      "invitation.accept",
      { actorUserId: carol.userId, orgId: owner.orgId, data: { roleId: await w.roleId(owner, owner.orgId, "Member") } },
      [PASSWORD, await hashOf(carol.userId)],
      null,
    );
  });

  it("organization.delete: the organization and the name it had", async () => {
    const owner = await w.user("owner@acme.test", "Acme");
    await w.auth.organizations.delete(fromRequest(owner), owner.orgId);
    await expectEvent(
      "organization.delete",
      { actorUserId: owner.userId, orgId: owner.orgId, targetUserId: null, data: { name: "Acme" } },
      [PASSWORD, owner.principal.sessionId],
    );
  });

  it("user.disable: the admin, the user, and what was revoked (sessions and API keys); no token or key", async () => {
    const root = await w.user("root@platform.test");
    const ada = await w.user("ada@acme.test", "Acme");
    const second = await w.auth.signin({ email: "ada@acme.test", password: PASSWORD });
    const issued = await w.auth.apiKeys.create(ada.principal, ada.orgId, { name: "CI", permissions: ["stats:read"] });
    await w.auth.admin.users.disable(fromRequest(root), ada.userId);
    await expectEvent(
      "user.disable",
      {
        actorUserId: root.userId,
        targetUserId: ada.userId,
        orgId: null,
        data: { sessionsRevoked: 2, apiAccessRevoked: 1 },
      },
      [PASSWORD, issued.key, second.refreshToken, second.accessToken, await hashOf(ada.userId)],
    );
  });

  it("user.enable: the admin and the user", async () => {
    const root = await w.user("root@platform.test");
    const ada = await w.user("ada@acme.test");
    await w.auth.admin.users.disable(root.principal, ada.userId);
    await w.auth.admin.users.enable(fromRequest(root), ada.userId);
    await expectEvent("user.enable", { actorUserId: root.userId, targetUserId: ada.userId, data: {} }, [
      PASSWORD,
      await hashOf(ada.userId),
    ]);
  });

  it("user.impersonate: the admin, the user and the token's lifetime, never the token", async () => {
    const root = await w.user("root@platform.test");
    const ada = await w.user("ada@acme.test");
    const issued = await w.auth.admin.users.impersonate(fromRequest(root), ada.userId);
    await expectEvent(
      "user.impersonate",
      { actorUserId: root.userId, targetUserId: ada.userId, data: { expiresInSeconds: 3600 } },
      [issued.accessToken, PASSWORD, await hashOf(ada.userId)],
    );
  });

  it("a throwing or rejecting onEvent hook never breaks the operation; the row is stored and the error logged", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      // Named errors: the log keeps an error's name and code, never a foreign message (it could hold anything).
      const named = (name: string): Error => Object.assign(new Error(`${name}: secret detail`), { name });
      for (const hook of [
        () => {
          throw named("HookExploded");
        },
        () => Promise.reject(named("HookRejected")),
      ]) {
        const world = await createWorld(backend, { onEvent: hook });
        try {
          const ada = await world.user("ada@acme.test");
          await world.auth.mail.idle();
          const events = await world.storage.listAuditEvents({ userId: ada.userId, limit: 10 });
          expect(events.map((e) => e.type)).toContain("signin.success");
        } finally {
          await world.cleanup();
        }
      }
      const messages = log.mock.calls.map((call) => String(call[0]));
      expect(messages.some((m) => m.includes("onEvent hook failed for signin.success"))).toBe(true);
      const errors = log.mock.calls.map((call) => (call[1] as { name?: string } | undefined)?.name);
      expect(errors).toEqual(expect.arrayContaining(["HookExploded", "HookRejected"]));
      expect(JSON.stringify(log.mock.calls)).not.toContain("secret detail");
    } finally {
      log.mockRestore();
    }
  });

  describe("auth.audit.list", () => {
    it("an organization's events need audit:read: Owner and Admin yes, Member FORBIDDEN, outsider NOT_FOUND", async () => {
      const owner = await w.user("owner@acme.test", "Acme");
      const admin = await w.member(owner, owner.orgId, "admin@acme.test", "Admin");
      const member = await w.member(owner, owner.orgId, "m@acme.test");
      const outsider = await w.user("eve@evil.test", "Evil");
      await w.auth.members.remove(fromRequest(owner), owner.orgId, member.userId);
      for (const reader of [owner, admin]) {
        const page = await w.auth.audit.list(reader.principal, { orgId: owner.orgId });
        expect(page.items[0]).toMatchObject({ type: "member.remove", targetUserId: member.userId });
        expect(page.items.every((e) => e.orgId === owner.orgId)).toBe(true);
      }
      const stillMember = await w.member(owner, owner.orgId, "m2@acme.test");
      await expectAuthError(w.auth.audit.list(stillMember.principal, { orgId: owner.orgId }), "FORBIDDEN");
      await expectAuthError(w.auth.audit.list(outsider.principal, { orgId: owner.orgId }), "NOT_FOUND");
      await expectAuthError(w.auth.audit.list(member.principal, { orgId: owner.orgId }), "NOT_FOUND");
    });

    it("a user lists their own events (as actor or target); another user's are NOT_FOUND, all is FORBIDDEN", async () => {
      const ada = await w.user("ada@acme.test");
      const bob = await w.user("bob@acme.test");
      await expectAuthError(w.auth.signin({ email: "ada@acme.test", password: WRONG_PASSWORD }), "INVALID_CREDENTIALS");
      const page = await w.auth.audit.list(ada.principal, { userId: ada.userId });
      expect(page.items.map((e) => e.type)).toEqual(["signin.failure", "signin.success"]);
      expect(page.nextCursor).toBeNull();
      await expectAuthError(w.auth.audit.list(bob.principal, { userId: ada.userId }), "NOT_FOUND");
      await expectAuthError(w.auth.audit.list(bob.principal, { all: true }), "FORBIDDEN");
    });

    it("a platform admin lists any organization's or user's events, and all of them", async () => {
      const root = await w.user("root@platform.test");
      const owner = await w.user("owner@acme.test", "Acme");
      await w.auth.organizations.delete(owner.principal, owner.orgId);
      await expectAuthError(
        w.auth.signin({ email: "ghost@acme.test", password: WRONG_PASSWORD }),
        "INVALID_CREDENTIALS",
      );
      expect((await w.auth.audit.list(root.principal, { orgId: owner.orgId })).items.map((e) => e.type)).toEqual([
        "organization.delete",
      ]);
      expect((await w.auth.audit.list(root.principal, { userId: owner.userId })).items.length).toBeGreaterThan(0);
      const all = await w.auth.audit.list(root.principal, { all: true });
      expect(all.items[0]).toMatchObject({ type: "signin.failure", targetUserId: null });
    });

    it("pages with cursor and limit, newest first, without gaps or repeats; bad cursors and limits are INVALID_INPUT", async () => {
      const ada = await w.user("ada@acme.test");
      for (let i = 0; i < 6; i++) {
        w.clock.advance(1000);
        await expectAuthError(
          w.auth.signin({ email: "ada@acme.test", password: WRONG_PASSWORD }),
          "INVALID_CREDENTIALS",
        );
      }
      const all = await w.storage.listAuditEvents({ userId: ada.userId, limit: 100 });
      expect(all).toHaveLength(7);
      const seen: AuditEvent[] = [];
      let cursor: string | null = null;
      do {
        const page = await w.auth.audit.list(ada.principal, { userId: ada.userId }, { limit: 3, cursor });
        expect(page.items.length).toBeLessThanOrEqual(3);
        seen.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor !== null);
      expect(seen).toStrictEqual(all);
      expect(seen.map((e) => e.at)).toStrictEqual([...seen.map((e) => e.at)].sort((a, b) => b - a));
      await expectAuthError(
        w.auth.audit.list(ada.principal, { userId: ada.userId }, { cursor: "!!" }),
        "INVALID_INPUT",
      );
      await expectAuthError(w.auth.audit.list(ada.principal, { userId: ada.userId }, { limit: 0 }), "INVALID_INPUT");
      await expectAuthError(w.auth.audit.list(ada.principal, { userId: ada.userId }, { limit: 201 }), "INVALID_INPUT");
      await expectAuthError(w.auth.audit.list(ada.principal, {} as never), "INVALID_INPUT");
    });
  });
});
