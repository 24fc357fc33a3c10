import { type Auth, AuthError, createAuth, type TokenPair, USER_STATUS, type UserPrincipal } from "@tenantauth/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { backends } from "./support/backends.js";
import { type CaptureMailer, captureMailer } from "./support/capture-mailer.js";
import { manualClock } from "./support/clock.js";
import { expectAuthError } from "./support/errors.js";
import { expressServer } from "./support/http-servers.js";
import { claimsOf } from "./support/jwt-claims.js";
import { type Actor, createWorld, PASSWORD, SECRET, type World } from "./support/world.js";

const NEW_PASSWORD = "a brand new passphrase 42";

/** `POST /organizations` through the HTTP handler, as a client holding `accessToken` would send it. */
async function createOrganizationOverHttp(auth: Auth, accessToken: string, name: string) {
  const response = await auth.handler(
    new Request("http://auth.test/organizations", {
      method: "POST",
      headers: { authorization: `Bearer ${accessToken}`, "content-type": "application/json" },
      body: JSON.stringify({ name, details: "" }),
    }),
  );
  const body = (await response.json()) as { error?: { code: string } };
  return { status: response.status, code: body.error?.code };
}

describe.each(backends)("revocation reaches access tokens within seconds on $name", (backend) => {
  let w: World;
  let mailer: CaptureMailer;
  let ada: Actor;
  /** A second node: its own createAuth (its own caches) on the same storage and clock. */
  let nodeB: Auth;
  const signin = (email: string): Promise<TokenPair> => w.auth.signin({ email, password: PASSWORD });
  const switchTo = async (email: string, orgId: number): Promise<TokenPair> =>
    w.auth.switchOrganization((await signin(email)).refreshToken, orgId);

  beforeEach(async () => {
    mailer = captureMailer();
    w = await createWorld(backend, { mailer, platformAdmins: ["root@platform.test"] });
    nodeB = createAuth({ secret: SECRET, storage: w.storage, clock: w.clock, revocation: { refreshSeconds: 2 } });
    ada = await w.user("ada@acme.test", "Acme");
  });
  afterEach(async () => {
    await w.cleanup();
  });

  it("sign-out: the access token is refused at once on this node and within revocation.refreshSeconds on another", async () => {
    const tokens = await signin(ada.email);
    await nodeB.authenticate(tokens.accessToken);
    await w.auth.signout(tokens.refreshToken);
    await expectAuthError(w.auth.authenticate(tokens.accessToken), "TOKEN_EXPIRED");
    // Node B read the log less than refreshSeconds ago: the documented window.
    await nodeB.authenticate(tokens.accessToken);
    w.clock.advance(2_000);
    await expectAuthError(nodeB.authenticate(tokens.accessToken), "TOKEN_EXPIRED");
    // Other sessions of the user are untouched.
    await expect(nodeB.authenticate((await signin(ada.email)).accessToken)).resolves.toMatchObject({
      userId: ada.userId,
    });
  });

  it("refresh-token reuse: every access token of the family is refused", async () => {
    const first = await signin(ada.email);
    const rotated = await w.auth.refresh(first.refreshToken);
    w.clock.advance(5_001); // past the reuse grace: a replay now is reuse
    await expectAuthError(w.auth.refresh(first.refreshToken), "REFRESH_TOKEN_REUSED");
    await expectAuthError(w.auth.authenticate(first.accessToken), "TOKEN_EXPIRED");
    await expectAuthError(w.auth.authenticate(rotated.accessToken), "TOKEN_EXPIRED");
    await expectAuthError(nodeB.authenticate(rotated.accessToken), "TOKEN_EXPIRED");
  });

  it("refresh-token reuse through switchOrganization: REFRESH_TOKEN_REUSED, and the family's tokens are refused", async () => {
    const first = await signin(ada.email);
    const switched = await w.auth.switchOrganization(first.refreshToken, ada.orgId);
    await nodeB.authenticate(switched.accessToken);
    await expectAuthError(w.auth.switchOrganization(first.refreshToken, ada.orgId), "REFRESH_TOKEN_REUSED");
    await expectAuthError(w.auth.authenticate(switched.accessToken), "TOKEN_EXPIRED");
    w.clock.advance(2_000);
    await expectAuthError(nodeB.authenticate(switched.accessToken), "TOKEN_EXPIRED");
    await expectAuthError(w.auth.refresh(switched.refreshToken), "INVALID_REFRESH_TOKEN");
  });

  it("password reset: every access token of the user is refused; a new sign-in works at once", async () => {
    const before = await signin(ada.email);
    await w.auth.requestPasswordReset(ada.email);
    await w.auth.mail.idle();
    await w.auth.mail.deliverPending();
    await w.auth.resetPassword(mailer.tokenFor(ada.email, "password-reset"), NEW_PASSWORD);
    await expectAuthError(w.auth.authenticate(before.accessToken), "TOKEN_EXPIRED");
    await expectAuthError(nodeB.authenticate(before.accessToken), "TOKEN_EXPIRED");
    const after = await w.auth.signin({ email: ada.email, password: NEW_PASSWORD });
    await expect(w.auth.authenticate(after.accessToken)).resolves.toMatchObject({ userId: ada.userId });
    await expect(nodeB.authenticate(after.accessToken)).resolves.toMatchObject({ userId: ada.userId });
  });

  it("password change and sign-out of other sessions keep the caller's token and refuse the others'", async () => {
    const mine = await signin(ada.email);
    const other = await signin(ada.email);
    const principal = await w.auth.authenticate(mine.accessToken);
    await w.auth.changePassword(principal, PASSWORD, NEW_PASSWORD);
    await expectAuthError(w.auth.authenticate(other.accessToken), "TOKEN_EXPIRED");
    await expect(w.auth.authenticate(mine.accessToken)).resolves.toMatchObject({ userId: ada.userId });
    const third = await w.auth.signin({ email: ada.email, password: NEW_PASSWORD });
    expect(await w.auth.sessions.revokeOthers(principal)).toBe(1);
    await expectAuthError(w.auth.authenticate(third.accessToken), "TOKEN_EXPIRED");
    await expect(w.auth.authenticate(mine.accessToken)).resolves.toMatchObject({ userId: ada.userId });
  });

  it("sign-out everywhere and revoking one session from the sessions page refuse those sessions' tokens", async () => {
    const one = await signin(ada.email);
    const two = await signin(ada.email);
    const principal = (await w.auth.authenticate(one.accessToken)) as UserPrincipal;
    const other = (await w.auth.authenticate(two.accessToken)) as UserPrincipal;
    await w.auth.sessions.revoke(principal, other.sessionId);
    await expectAuthError(w.auth.authenticate(two.accessToken), "TOKEN_EXPIRED");
    await w.auth.authenticate(one.accessToken);
    expect(await w.auth.signoutAll(principal)).toBeGreaterThanOrEqual(1);
    await expectAuthError(w.auth.authenticate(one.accessToken), "TOKEN_EXPIRED");
    await expectAuthError(nodeB.authenticate(one.accessToken), "TOKEN_EXPIRED");
  });

  it("a refresh that finds the user disabled in storage also stops their impersonation tokens (no session of theirs)", async () => {
    const root = await w.user("root@platform.test", "Platform");
    const { accessToken } = await w.auth.admin.users.impersonate(root.principal, ada.userId);
    await expect(w.auth.authenticate(accessToken)).resolves.toMatchObject({ userId: ada.userId });
    const own = await signin(ada.email);
    // As another system would do it: the status column only, nothing revoked.
    await w.storage.updateUserStatus(ada.userId, USER_STATUS.disabled, w.clock.now());
    await expect(w.auth.authenticate(accessToken)).resolves.toMatchObject({ userId: ada.userId });
    await expectAuthError(w.auth.refresh(own.refreshToken), "INVALID_REFRESH_TOKEN");
    // The impersonation token belongs to no stored session: only the user-wide revocation reaches it.
    await expectAuthError(w.auth.authenticate(accessToken), "TOKEN_EXPIRED");
  });

  it("a user disabled in storage alone (status column, sessions left live) can neither refresh nor switch organization", async () => {
    const disableInStorage = async () => {
      // As migrated data or another system would do it: the status column only, no session revoked.
      expect(await w.storage.updateUserStatus(ada.userId, USER_STATUS.disabled, w.clock.now())).toBe(true);
    };
    const one = await signin(ada.email);
    const two = await signin(ada.email);
    const { sessionId } = (await w.auth.authenticate(one.accessToken)) as UserPrincipal;
    await disableInStorage();
    expect((await w.storage.findSessionById(sessionId))?.revokedAt).toBeNull();
    await expectAuthError(w.auth.refresh(one.refreshToken), "INVALID_REFRESH_TOKEN");
    // The refused refresh revoked the user's sessions, and with them their access tokens, on every node.
    expect((await w.storage.findSessionById(sessionId))?.revokeReason).toBe("user_disabled");
    await expectAuthError(w.auth.authenticate(two.accessToken), "TOKEN_EXPIRED");
    w.clock.advance(2_000);
    await expectAuthError(nodeB.authenticate(one.accessToken), "TOKEN_EXPIRED");
    // Enabled again in storage, the old refresh tokens stay dead: the user signs in anew.
    await w.storage.updateUserStatus(ada.userId, USER_STATUS.active, w.clock.now());
    await expectAuthError(w.auth.refresh(two.refreshToken), "INVALID_REFRESH_TOKEN");
    const three = await signin(ada.email);
    await expect(w.auth.authenticate(three.accessToken)).resolves.toMatchObject({ userId: ada.userId });
    // Disabled in storage once more, switching organization (which also rotates the refresh token) is refused too.
    await disableInStorage();
    await expectAuthError(w.auth.switchOrganization(three.refreshToken, ada.orgId), "INVALID_REFRESH_TOKEN");
    await expectAuthError(w.auth.authenticate(three.accessToken), "TOKEN_EXPIRED");
  });

  it("a disabled user's access and impersonation tokens are refused: no organization is created with them", async () => {
    const root = await w.user("root@platform.test");
    const tokens = await signin(ada.email);
    const impersonation = await w.auth.admin.users.impersonate(root.principal, ada.userId);
    await w.auth.authenticate(impersonation.accessToken);
    await w.auth.admin.users.disable(root.principal, ada.userId);
    for (const token of [tokens.accessToken, impersonation.accessToken]) {
      expect(await createOrganizationOverHttp(w.auth, token, `Evil ${token.length}`)).toEqual({
        status: 401,
        code: "TOKEN_EXPIRED",
      });
      await expectAuthError(nodeB.authenticate(token), "TOKEN_EXPIRED");
    }
    expect(await w.storage.listUserOrganizations(ada.userId)).toHaveLength(1);
    // Enabled again, the user signs in anew and the new token works.
    await w.auth.admin.users.enable(root.principal, ada.userId);
    const fresh = await signin(ada.email);
    expect(await createOrganizationOverHttp(w.auth, fresh.accessToken, "Back again")).toEqual({
      status: 200,
      code: undefined,
    });
  });

  it("removal: the active-organization claim is refused, on the host's requirePermission route too", async () => {
    const bob = await w.member(ada, ada.orgId, "bob@acme.test", "Admin");
    const claimed = await switchTo(bob.email, ada.orgId);
    const server = await expressServer(w.auth);
    try {
      const report = () =>
        fetch(`${server.baseUrl}/api/orgs/${ada.orgId}/report`, {
          headers: { authorization: `Bearer ${claimed.accessToken}` },
        });
      expect((await report()).status).toBe(200);
      await w.auth.members.remove(ada.principal, ada.orgId, bob.userId);
      const refused = await report();
      expect(refused.status).toBe(401);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("TOKEN_EXPIRED");
    } finally {
      await server.close();
    }
    await expectAuthError(nodeB.authenticate(claimed.accessToken), "TOKEN_EXPIRED");
    // The client refreshes: the new token carries no claim for the organization, and authorize asks storage.
    const refreshed = await w.auth.refresh(claimed.refreshToken);
    expect(claimsOf(refreshed.accessToken).org).toBeUndefined();
    const principal = await w.auth.authenticate(refreshed.accessToken);
    expect(await w.auth.authorize(principal, ada.orgId, "stats:read")).toBe(false);
  });

  it("demotion: the old claim is refused; a refresh gives a claim with the current role, accepted at once", async () => {
    const bob = await w.member(ada, ada.orgId, "bob@acme.test", "Admin");
    const claimed = await switchTo(bob.email, ada.orgId);
    const admin = await w.auth.authenticate(claimed.accessToken);
    expect(await w.auth.authorize(admin, ada.orgId, "member:invite")).toBe(true);
    await nodeB.authenticate(claimed.accessToken);
    const memberRole = await w.roleId(ada, ada.orgId, "Member");
    await w.auth.members.updateRole(ada.principal, ada.orgId, bob.userId, memberRole);
    await expectAuthError(w.auth.authenticate(claimed.accessToken), "TOKEN_EXPIRED");
    w.clock.advance(2_000);
    await expectAuthError(nodeB.authenticate(claimed.accessToken), "TOKEN_EXPIRED");
    const refreshed = await w.auth.refresh(claimed.refreshToken);
    expect(claimsOf(refreshed.accessToken).org).toMatchObject({ id: ada.orgId, role: { id: memberRole } });
    for (const node of [w.auth, nodeB]) {
      const member = await node.authenticate(refreshed.accessToken);
      expect(await node.authorize(member, ada.orgId, "member:invite")).toBe(false);
    }
  });

  it("leaving, a transfer of ownership and deleting the organization refuse the claims they outdate", async () => {
    const bob = await w.member(ada, ada.orgId, "bob@acme.test", "Admin");
    const cy = await w.member(ada, ada.orgId, "cy@acme.test", "Member");
    const [bobClaim, cyClaim, adaClaim] = [
      await switchTo(bob.email, ada.orgId),
      await switchTo(cy.email, ada.orgId),
      await switchTo(ada.email, ada.orgId),
    ];
    await w.auth.members.leave(await w.auth.authenticate(cyClaim.accessToken), ada.orgId);
    await expectAuthError(w.auth.authenticate(cyClaim.accessToken), "TOKEN_EXPIRED");
    await w.auth.organizations.transferOwnership(ada.principal, ada.orgId, bob.userId);
    await expectAuthError(w.auth.authenticate(adaClaim.accessToken), "TOKEN_EXPIRED");
    await expectAuthError(w.auth.authenticate(bobClaim.accessToken), "TOKEN_EXPIRED");
    const owner = await w.auth.refresh(bobClaim.refreshToken);
    const bobOwner = await w.auth.authenticate(owner.accessToken);
    await w.auth.organizations.delete(bobOwner, ada.orgId);
    await expectAuthError(w.auth.authenticate(owner.accessToken), "TOKEN_EXPIRED");
    // Tokens without a claim for that organization are not concerned.
    await expect(w.auth.authenticate((await signin(bob.email)).accessToken)).resolves.toMatchObject({
      userId: bob.userId,
    });
  });

  it("a member removed and invited back gets a claim that works at once", async () => {
    const bob = await w.member(ada, ada.orgId, "bob@acme.test", "Member");
    await w.auth.members.remove(ada.principal, ada.orgId, bob.userId);
    const memberRole = await w.roleId(ada, ada.orgId, "Member");
    await w.auth.invitations.create(ada.principal, ada.orgId, { email: bob.email, roleId: memberRole });
    await w.auth.mail.idle();
    await w.auth.mail.deliverPending();
    await w.auth.invitations.accept(bob.principal, mailer.tokenFor(bob.email, "invitation"));
    const claimed = await switchTo(bob.email, ada.orgId);
    await expect(w.auth.authenticate(claimed.accessToken)).resolves.toMatchObject({
      activeOrganization: { id: ada.orgId, role: { id: memberRole } },
    });
    w.clock.advance(2_000);
    await expect(nodeB.authenticate(claimed.accessToken)).resolves.toMatchObject({ userId: bob.userId });
  });
});

const concurrentBackends = backends.filter((b) => b.name === "mysql" || b.name === "postgres");

describe.each(concurrentBackends)("the revocation log read across out-of-order commits on $name", (backend) => {
  it("a record committed after a later one is still read: the node keeps asking for the missing id", async () => {
    const { storage, cleanup } = await backend.create();
    try {
      const clock = manualClock();
      const node = createAuth({ secret: SECRET, storage, clock, revocation: { refreshSeconds: 1 } });
      const writer = createAuth({ secret: SECRET, storage, clock, emailVerification: { required: false } });
      await writer.signup({ email: "ada@acme.test", password: PASSWORD });
      const [one, two] = [
        await writer.signin({ email: "ada@acme.test", password: PASSWORD }),
        await writer.signin({ email: "ada@acme.test", password: PASSWORD }),
      ];
      const [first, second] = [
        (await node.authenticate(one.accessToken)) as UserPrincipal,
        (await node.authenticate(two.accessToken)) as UserPrincipal,
      ];
      const record = (p: UserPrincipal) =>
        ({ kind: "session", userId: p.userId, sessionId: p.sessionId, orgId: null, roleId: null }) as const;
      let inserted: () => void = () => {};
      let release: () => void = () => {};
      const insertedOnce = new Promise<void>((resolve) => {
        inserted = resolve;
      });
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      // A slow transaction takes the lower id and commits last.
      const slow = storage.transaction(async (tx) => {
        await tx.recordRevocations([record(first)], clock.now());
        inserted();
        await gate;
      });
      await insertedOnce;
      await storage.recordRevocations([record(second)], clock.now());
      clock.advance(1_000);
      await expectAuthError(node.authenticate(two.accessToken), "TOKEN_EXPIRED");
      await expect(node.authenticate(one.accessToken)).resolves.toMatchObject({ sessionId: first.sessionId });
      release();
      await slow;
      clock.advance(1_000);
      await expectAuthError(node.authenticate(one.accessToken), "TOKEN_EXPIRED");
    } finally {
      await cleanup();
    }
  });
});

describe("the revocation copy of one node (memory storage)", () => {
  let w: World;
  beforeEach(async () => {
    w = await createWorld(backends[0] as (typeof backends)[number], { emailVerification: { required: false } });
    await w.auth.signup({ email: "ada@acme.test", password: PASSWORD });
  });
  afterEach(async () => {
    await w.cleanup();
  });
  const session = (sessionId: string) =>
    ({ kind: "session", userId: 1, sessionId, orgId: null, roleId: null }) as const;

  it("reads more records than one page (500) in one refresh", async () => {
    const tokens = await w.auth.signin({ email: "ada@acme.test", password: PASSWORD });
    const { sessionId } = (await w.auth.authenticate(tokens.accessToken)) as UserPrincipal;
    const others = Array.from({ length: 1_200 }, (_, i) => session(`other-${i}`));
    await w.storage.recordRevocations([...others, session(sessionId)], w.clock.now());
    w.clock.advance(2_000);
    await expectAuthError(w.auth.authenticate(tokens.accessToken), "TOKEN_EXPIRED");
  });

  it("fails closed: when the records cannot be read, authenticate answers STORAGE_UNAVAILABLE", async () => {
    const tokens = await w.auth.signin({ email: "ada@acme.test", password: PASSWORD });
    const broken = Object.assign(Object.create(w.storage) as typeof w.storage, {
      listRevocations: () => Promise.reject(new AuthError("STORAGE_UNAVAILABLE", "database down")),
    });
    const node = createAuth({ secret: SECRET, storage: broken, clock: w.clock });
    await expectAuthError(node.authenticate(tokens.accessToken), "STORAGE_UNAVAILABLE");
  });

  it("a change that revokes nothing (a password change with no other session) does not make the node re-read", async () => {
    let reads = 0;
    const counting = Object.assign(Object.create(w.storage) as typeof w.storage, {
      listRevocations: (input: Parameters<typeof w.storage.listRevocations>[0]) => {
        reads++;
        return w.storage.listRevocations(input);
      },
    });
    const node = createAuth({
      secret: SECRET,
      storage: counting,
      clock: w.clock,
      emailVerification: { required: false },
      revocation: { refreshSeconds: 2 },
    });
    const tokens = await node.signin({ email: "ada@acme.test", password: PASSWORD });
    const principal = await node.authenticate(tokens.accessToken);
    expect(reads).toBe(1);
    await node.changePassword(principal, PASSWORD, NEW_PASSWORD);
    await node.authenticate(tokens.accessToken);
    expect(reads).toBe(1);
    // A change that does revoke something is read at the next call, within the interval.
    const other = await node.signin({ email: "ada@acme.test", password: NEW_PASSWORD });
    await node.signout(other.refreshToken);
    await expectAuthError(node.authenticate(other.accessToken), "TOKEN_EXPIRED");
    expect(reads).toBe(2);
  });

  it("refreshSeconds 0 reads on every authenticate; records past the longest token lifetime are pruned", async () => {
    const tokens = await w.auth.signin({ email: "ada@acme.test", password: PASSWORD });
    const { sessionId } = (await w.auth.authenticate(tokens.accessToken)) as UserPrincipal;
    const node = createAuth({ secret: SECRET, storage: w.storage, clock: w.clock, revocation: { refreshSeconds: 0 } });
    await node.authenticate(tokens.accessToken);
    // Written behind the node's back (as another node would): seen at the very next call, no interval.
    await w.storage.recordRevocations([session(sessionId)], w.clock.now());
    await expectAuthError(node.authenticate(tokens.accessToken), "TOKEN_EXPIRED");
    // Two hours and a quarter later (past the 1-hour impersonation lifetime, the margin and the hour of slack, and
    // the 10-minute prune interval) the node deletes the record in the background.
    w.clock.advance(2.25 * 3_600_000);
    const later = await w.auth.signin({ email: "ada@acme.test", password: PASSWORD });
    await expect(node.authenticate(later.accessToken)).resolves.toMatchObject({ userId: 1 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await w.storage.listRevocations({ afterId: 0, since: 0, limit: 10 })).toEqual([]);
  });
});
