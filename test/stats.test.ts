import { createAuth, USER_STATUS, type UserPrincipal } from "@tenantauth/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "./support/backends.js";
import { expectAuthError } from "./support/errors.js";
import { type Actor, createWorld, SECRET, type World } from "./support/world.js";

const DAY = 86_400_000;

describe.each(backends)("statistics on $name", (backend) => {
  let w: World;
  let admin: Actor;
  let alpha: Actor;
  let beta: Actor;
  let start: number;

  beforeAll(async () => {
    w = await createWorld(backend, { platformAdmins: ["Root@Platform.test"] });
    start = w.clock.now(); // 2030-01-01T00:00:00Z
    admin = await w.user("root@platform.test", "Platform");
    alpha = await w.user("owner@alpha.test", "Alpha");
    await w.member(alpha, alpha.orgId, "admin@alpha.test", "Admin");
    await w.auth.roles.create(alpha.principal, alpha.orgId, { name: "Billing", permissions: ["stats:read"] });
    await w.member(alpha, alpha.orgId, "bill1@alpha.test", "Billing");
    await w.member(alpha, alpha.orgId, "bill2@alpha.test", "Billing");
    await w.member(alpha, alpha.orgId, "m1@alpha.test");
    const removed = await w.member(alpha, alpha.orgId, "removed@alpha.test");
    await w.auth.members.remove(alpha.principal, alpha.orgId, removed.userId);
    const disabled = await w.member(alpha, alpha.orgId, "disabled@alpha.test");
    await w.storage.updateUserStatus(disabled.userId, USER_STATUS.disabled, w.clock.now());

    w.clock.advance(DAY); // 2030-01-02
    beta = await w.user("owner@beta.test", "Beta");
    await w.member(beta, beta.orgId, "m1@beta.test");
    await w.member(beta, beta.orgId, "m2@beta.test");
    // A member of two organizations counts in each.
    await w.auth.invitations.create(alpha.principal, alpha.orgId, {
      email: "m2@beta.test",
      roleId: await w.roleId(alpha, alpha.orgId, "Member"),
    });
    const token = await w.invitationToken("m2@beta.test");
    const m2Actor = { ...(await signInAs("m2@beta.test")), orgId: beta.orgId };
    await w.auth.invitations.accept(m2Actor.principal, token);
    // One pending invitation (it expires after the default 7 days).
    await w.auth.invitations.create(alpha.principal, alpha.orgId, {
      email: "later@alpha.test",
      roleId: await w.roleId(alpha, alpha.orgId, "Member"),
    });

    w.clock.advance(2 * DAY); // 2030-01-04
    const gone = await w.user("owner@gone.test", "Gone");
    await w.member(gone, gone.orgId, "m@gone.test");
    await w.auth.organizations.delete(gone.principal, gone.orgId);
  }, 120_000);

  async function signInAs(email: string): Promise<Omit<Actor, "orgId">> {
    const { accessToken, user } = await w.auth.signin({ email, password: "correct horse battery staple" });
    return { principal: (await w.auth.authenticate(accessToken)) as UserPrincipal, userId: user.id, email };
  }

  afterAll(async () => {
    await w.cleanup();
  });

  it("orgRoleWiseUsers counts active members of active users in active organizations", async () => {
    expect(await w.auth.stats.orgRoleWiseUsers(admin.principal)).toEqual([
      { organization: "Alpha", role: "Admin", userCount: 1 },
      { organization: "Alpha", role: "Billing", userCount: 2 },
      { organization: "Alpha", role: "Member", userCount: 2 },
      { organization: "Alpha", role: "Owner", userCount: 1 },
      { organization: "Beta", role: "Member", userCount: 2 },
      { organization: "Beta", role: "Owner", userCount: 1 },
      { organization: "Platform", role: "Owner", userCount: 1 },
    ]);
  });

  it("isPlatformAdmin decides beside platformAdmins, given the stored user (id, email, emailVerified)", async () => {
    const seen: Array<{ id: number; email: string; emailVerified: boolean }> = [];
    const byCallback = createAuth({
      secret: SECRET,
      storage: w.storage,
      clock: w.clock,
      isPlatformAdmin: async (user) => {
        seen.push(user);
        return user.email === "owner@beta.test";
      },
    });
    expect((await byCallback.stats.usersByStatus(beta.principal)).length).toBeGreaterThan(0);
    await expectAuthError(byCallback.stats.usersByStatus(alpha.principal), "FORBIDDEN");
    expect(seen).toEqual([
      { id: beta.userId, email: "owner@beta.test", emailVerified: true },
      { id: alpha.userId, email: "owner@alpha.test", emailVerified: true },
    ]);
  });

  it("platform statistics are for platform admins only", async () => {
    await expectAuthError(w.auth.stats.orgRoleWiseUsers(alpha.principal), "FORBIDDEN");
    await expectAuthError(w.auth.stats.usersByStatus(alpha.principal), "FORBIDDEN");
    await expectAuthError(
      w.auth.stats.signupsPerDay(alpha.principal, { from: "2030-01-01", to: "2030-01-02" }),
      "FORBIDDEN",
    );
  });

  it("organization statistics count members by role and status, and pending invitations", async () => {
    const stats = await w.auth.stats.organization(alpha.principal, alpha.orgId);
    expect(stats.membersByRole.map((r) => [r.role, r.count])).toEqual([
      ["Admin", 1],
      ["Billing", 2],
      ["Member", 2],
      ["Owner", 1],
    ]);
    expect(stats.membersByStatus).toEqual([{ status: "active", count: 6 }]);
    expect(stats.pendingInvitations).toBe(1);
    w.clock.advance(8 * DAY);
    expect((await w.auth.stats.organization(alpha.principal, alpha.orgId)).pendingInvitations).toBe(0);
    w.clock.advance(-8 * DAY);
  });

  it("usersByStatus and signupsPerDay", async () => {
    expect(await w.auth.stats.usersByStatus(admin.principal)).toEqual([
      { status: "active", count: 12 },
      { status: "disabled", count: 1 },
    ]);
    expect(await w.auth.stats.signupsPerDay(admin.principal, { from: "2029-12-31", to: "2030-01-05" })).toEqual([
      { date: "2029-12-31", count: 0 },
      { date: "2030-01-01", count: 8 },
      { date: "2030-01-02", count: 3 },
      { date: "2030-01-03", count: 0 },
      { date: "2030-01-04", count: 2 },
      { date: "2030-01-05", count: 0 },
    ]);
    expect(start).toBe(Date.UTC(2030, 0, 1));
    await expectAuthError(
      w.auth.stats.signupsPerDay(admin.principal, { from: "2030-01-05", to: "2030-01-01" }),
      "INVALID_INPUT",
    );
    await expectAuthError(
      w.auth.stats.signupsPerDay(admin.principal, { from: "yesterday", to: "2030-01-01" }),
      "INVALID_INPUT",
    );
  });
});
