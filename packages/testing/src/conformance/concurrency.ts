import { expect, it } from "vitest";
import { builtInRoleId, type Harness, newOrganization, newUser, rotate, signup, startSession, T0 } from "./fixtures.js";

/** Settles every promise and fails the test if any rejected: the port's concurrent paths never throw. */
async function allFulfilled<T>(promises: Array<Promise<T>>): Promise<T[]> {
  const settled = await Promise.allSettled(promises);
  const rejected = settled.filter((s): s is PromiseRejectedResult => s.status === "rejected");
  expect(
    rejected.map((r) => String(r.reason)),
    "calls that threw",
  ).toEqual([]);
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
}

/** Tests of the concurrency contracts: unique keys and refresh-token rotation under races. */
export function registerConcurrencyTests(h: Harness): void {
  it("of 50 concurrent createUserWithOrganization calls with one email, exactly one succeeds; the others conflict on email and leave no organization behind", async () => {
    const storage = h.storage();
    const ownerId = await builtInRoleId(storage, "Owner");
    const email = newUser().email;
    const organizations = Array.from({ length: 50 }, () => newOrganization());
    const results = await allFulfilled(
      organizations.map((organization, i) =>
        storage.createUserWithOrganization({ user: newUser({ email }), organization, roleId: ownerId, now: T0 + i }),
      ),
    );
    const winners = results.flatMap((r, i) => (r.ok ? [{ r, i }] : []));
    expect(winners.length).toBe(1);
    expect(results.filter((r) => !r.ok && r.conflict === "email").length).toBe(49);
    const winner = winners[0]!.r;
    if (!winner.ok) return;
    expect((await storage.findUserByEmail(email))?.id).toBe(winner.user.id);
    expect((await storage.listUserOrganizations(winner.user.id)).map((o) => o.organization.id)).toEqual([
      winner.organization.id,
    ]);
    for (const [i, organization] of organizations.entries()) {
      if (i === winners[0]!.i) continue;
      const reuse = await storage.createOrganizationWithMember({
        organization,
        userId: winner.user.id,
        roleId: ownerId,
        now: T0 + 100,
      });
      expect(reuse.ok, `organization name of losing call ${i} is free`).toBe(true);
    }
  });

  it("of 20 concurrent createUserWithOrganization calls with one organization name, exactly one succeeds; the others conflict on organization_name and leave no user behind", async () => {
    const storage = h.storage();
    const ownerId = await builtInRoleId(storage, "Owner");
    const name = newOrganization().name;
    const users = Array.from({ length: 20 }, () => newUser());
    const results = await allFulfilled(
      users.map((user) =>
        storage.createUserWithOrganization({ user, organization: newOrganization({ name }), roleId: ownerId, now: T0 }),
      ),
    );
    expect(results.filter((r) => r.ok).length).toBe(1);
    expect(results.filter((r) => !r.ok && r.conflict === "organization_name").length).toBe(19);
    for (const [i, user] of users.entries()) {
      const found = await storage.findUserByEmail(user.email);
      expect(found !== null, `user of call ${i} exists`).toBe(results[i]!.ok);
    }
  });

  it("concurrent createUserWithOrganization calls with distinct emails and names all succeed, with distinct ids", async () => {
    const storage = h.storage();
    const ownerId = await builtInRoleId(storage, "Owner");
    const results = await allFulfilled(
      Array.from({ length: 20 }, () =>
        storage.createUserWithOrganization({
          user: newUser(),
          organization: newOrganization(),
          roleId: ownerId,
          now: T0,
        }),
      ),
    );
    const ok = results.flatMap((r) => (r.ok ? [r] : []));
    expect(ok.length).toBe(20);
    expect(new Set(ok.map((r) => r.user.id)).size).toBe(20);
    expect(new Set(ok.map((r) => r.organization.id)).size).toBe(20);
    expect(new Set(ok.map((r) => r.member.id)).size).toBe(20);
  });

  it("of 10 concurrent createOrganizationWithMember calls with one name, exactly one succeeds and the others write no membership", async () => {
    const storage = h.storage();
    const ownerId = await builtInRoleId(storage, "Owner");
    const users = [];
    for (let i = 0; i < 10; i++) users.push(await signup(storage));
    const name = newOrganization().name;
    const results = await allFulfilled(
      users.map((u) =>
        storage.createOrganizationWithMember({
          organization: newOrganization({ name }),
          userId: u.userId,
          roleId: ownerId,
          now: T0 + 1,
        }),
      ),
    );
    expect(results.filter((r) => r.ok).length).toBe(1);
    expect(results.filter((r) => !r.ok && r.conflict === "organization_name").length).toBe(9);
    for (const [i, u] of users.entries()) {
      const count = (await storage.listUserOrganizations(u.userId)).length;
      expect(count, `memberships of user ${i}`).toBe(results[i]!.ok ? 2 : 1);
    }
  });

  it("of 20 concurrent rotateRefreshToken calls with one token, at most one rotates, none throws, the rest are reused or revoked, and the session ends revoked for reuse", async () => {
    const storage = h.storage();
    const { userId } = await signup(storage);
    const { session, token } = await startSession(storage, userId);
    const results = await allFulfilled(Array.from({ length: 20 }, (_, i) => rotate(storage, token, T0 + 1 + i)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === "rotated").length).toBeLessThanOrEqual(1);
    expect(statuses.filter((s) => s !== "rotated" && s !== "reused" && s !== "revoked")).toEqual([]);
    expect(
      statuses.every((s) => s === "revoked"),
      "someone rotated or saw the reuse: the session was live",
    ).toBe(false);
    const stored = await storage.findSessionById(session.id);
    expect(stored?.revokedAt, "the losers' reuse revoked the session").not.toBeNull();
    expect(stored?.revokeReason).toBe("reuse");
  });

  it("concurrent rotations of different sessions all succeed", async () => {
    const storage = h.storage();
    const { userId } = await signup(storage);
    const sessions = [];
    for (let i = 0; i < 10; i++) sessions.push(await startSession(storage, userId));
    const results = await allFulfilled(sessions.map((s) => rotate(storage, s.token, T0 + 1)));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill("rotated"));
  });
}
