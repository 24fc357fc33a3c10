import { type ApiKeyPrincipal, MEMBER_STATUS, type UserPrincipal } from "@tenantauth/core";
import type { KnexStorage } from "@tenantauth/knex";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sqlBackends } from "./support/backends.js";
import { expectAuthError } from "./support/errors.js";
import { type Actor, createWorld, PASSWORD, type World } from "./support/world.js";

/**
 * Suspended members. No function suspends a member yet, but databases migrated from the seed service hold
 * `members.status = 2` rows; these tests write that status straight into the table, as such a migration leaves it,
 * so they run on the SQL backends.
 */
describe.each(sqlBackends)("suspended members on $name", (backend) => {
  let w: World;
  let ada: Actor; // Owner of Acme
  let carol: Actor; // Admin of Acme, suspended by the tests

  /** Sets the membership's status in the members table, as seed data holds it. */
  const setStatus = async (actor: Actor, orgId: number, status: number): Promise<void> => {
    const { knex } = w.storage as unknown as KnexStorage;
    const updated = await knex("members").where({ org_id: orgId, user_id: actor.userId }).update({ status });
    expect(updated).toBe(1);
  };

  beforeEach(async () => {
    w = await createWorld(backend);
    ada = await w.user("ada@example.com", "Acme");
    carol = await w.member(ada, ada.orgId, "carol@example.com", "Admin");
  });
  afterEach(async () => {
    await w.cleanup();
  });

  it("a suspended member is refused by every operation that checks membership, with or without a permission", async () => {
    // While active, carol may do all of it.
    expect((await w.auth.organizations.get(carol.principal, ada.orgId)).role.name).toBe("Admin");
    expect((await w.auth.members.list(carol.principal, ada.orgId)).items).toHaveLength(2);
    await setStatus(carol, ada.orgId, MEMBER_STATUS.suspended);
    const calls: Array<() => Promise<unknown>> = [
      () => w.auth.organizations.get(carol.principal, ada.orgId), // membership only
      () => w.auth.members.list(carol.principal, ada.orgId), // membership only
      () => w.auth.roles.list(carol.principal, ada.orgId),
      () => w.auth.organizations.update(carol.principal, ada.orgId, { details: "taken over" }), // org:update
      () => w.auth.apiKeys.create(carol.principal, ada.orgId, { name: "k", permissions: ["stats:read"] }),
      () => w.auth.stats.organization(carol.principal, ada.orgId), // stats:read
      () => w.auth.members.remove(carol.principal, ada.orgId, ada.userId), // member:remove
    ];
    for (const call of calls) {
      const error = await expectAuthError(call(), "FORBIDDEN");
      expect(error.message).toContain("suspended");
    }
    expect((await w.auth.organizations.get(ada.principal, ada.orgId)).organization.details).not.toBe("taken over");
    expect((await w.auth.members.list(ada.principal, ada.orgId)).items.map((m) => [m.userId, m.status])).toEqual([
      [ada.userId, "active"],
      [carol.userId, "suspended"],
    ]);
    // Active again, carol is let in again: the status, not the suspension's side effects, decided.
    await setStatus(carol, ada.orgId, MEMBER_STATUS.active);
    expect((await w.auth.members.list(carol.principal, ada.orgId)).items).toHaveLength(2);
  });

  it("authorize and assertAuthorized refuse a suspended member although their role grants the permission", async () => {
    expect(carol.principal.activeOrganization).toBeUndefined(); // answered from storage, not from a token claim
    expect(await w.auth.authorize(carol.principal, ada.orgId, "member:invite")).toBe(true);
    await setStatus(carol, ada.orgId, MEMBER_STATUS.suspended);
    expect(await w.auth.authorize(carol.principal, ada.orgId, "member:invite")).toBe(false);
    expect(await w.auth.authorize(carol.principal, ada.orgId, "stats:read")).toBe(false);
    const error = await expectAuthError(
      w.auth.assertAuthorized(carol.principal, ada.orgId, "member:invite"),
      "FORBIDDEN",
    );
    expect(error.message).toContain("suspended");
    // A fresh sign-in changes nothing.
    const { accessToken } = await w.auth.signin({ email: carol.email, password: PASSWORD });
    const fresh = (await w.auth.authenticate(accessToken)) as UserPrincipal;
    expect(await w.auth.authorize(fresh, ada.orgId, "member:invite")).toBe(false);
    // Ada, an active member, is unaffected.
    expect(await w.auth.authorize(ada.principal, ada.orgId, "member:invite")).toBe(true);
  });

  it("a suspended member cannot switch to the organization, and a refreshed token carries no claim for it", async () => {
    const { refreshToken } = await w.auth.signin({ email: carol.email, password: PASSWORD });
    const switched = await w.auth.switchOrganization(refreshToken, ada.orgId);
    const claimed = (await w.auth.authenticate(switched.accessToken)) as UserPrincipal;
    expect(claimed.activeOrganization).toMatchObject({ id: ada.orgId, role: { name: "Admin" } });
    await setStatus(carol, ada.orgId, MEMBER_STATUS.suspended);
    await expectAuthError(w.auth.switchOrganization(switched.refreshToken, ada.orgId), "NOT_FOUND");
    // The refused switch left the refresh token usable; the session's next token has no claim for Acme.
    const refreshed = await w.auth.refresh(switched.refreshToken);
    const after = (await w.auth.authenticate(refreshed.accessToken)) as UserPrincipal;
    expect(after.activeOrganization).toBeUndefined();
    expect(await w.auth.authorize(after, ada.orgId, "member:invite")).toBe(false);
  });

  it("an API key whose creator is suspended stops: authenticate, authorize and assertAuthorized refuse it", async () => {
    const issued = await w.auth.apiKeys.create(carol.principal, ada.orgId, { name: "c", permissions: ["stats:read"] });
    const before = (await w.auth.authenticate(issued.key)) as ApiKeyPrincipal;
    expect(await w.auth.authorize(before, ada.orgId, "stats:read")).toBe(true);
    await setStatus(carol, ada.orgId, MEMBER_STATUS.suspended);
    const refused = await expectAuthError(w.auth.authenticate(issued.key), "INVALID_TOKEN");
    expect(refused.message).toContain("no longer a member");
    // A principal authenticated just before the suspension is refused too.
    expect(await w.auth.authorize(before, ada.orgId, "stats:read")).toBe(false);
    await expectAuthError(w.auth.assertAuthorized(before, ada.orgId, "stats:read"), "NOT_FOUND");
    // Ada's key, in the same organization, still works.
    const adas = await w.auth.apiKeys.create(ada.principal, ada.orgId, { name: "a", permissions: ["stats:read"] });
    expect(await w.auth.authorize(await w.auth.authenticate(adas.key), ada.orgId, "stats:read")).toBe(true);
  });

  it("a suspended Owner does not count as another Owner: the last active Owner may not leave or be demoted", async () => {
    const bob = await w.member(ada, ada.orgId, "bob@example.com", "Owner");
    await setStatus(bob, ada.orgId, MEMBER_STATUS.suspended);
    const memberRole = await w.roleId(ada, ada.orgId, "Member");
    await expectAuthError(w.auth.members.leave(ada.principal, ada.orgId), "LAST_OWNER");
    await expectAuthError(w.auth.members.updateRole(ada.principal, ada.orgId, ada.userId, memberRole), "LAST_OWNER");
    await expectAuthError(w.auth.members.remove(ada.principal, ada.orgId, ada.userId), "LAST_OWNER");
    // With bob active again, ada may go.
    await setStatus(bob, ada.orgId, MEMBER_STATUS.active);
    await w.auth.members.leave(ada.principal, ada.orgId);
    expect((await w.auth.organizations.get(bob.principal, ada.orgId)).role.name).toBe("Owner");
  });

  it("ownership cannot go to a suspended member: NOT_FOUND, and nobody's role changes", async () => {
    // Another active Owner, so that demoting ada would be allowed: only the recipient's suspension refuses it.
    const bob = await w.member(ada, ada.orgId, "bob@example.com", "Owner");
    await setStatus(carol, ada.orgId, MEMBER_STATUS.suspended);
    await expectAuthError(w.auth.organizations.transferOwnership(ada.principal, ada.orgId, carol.userId), "NOT_FOUND");
    const members = await w.auth.members.list(ada.principal, ada.orgId);
    expect(members.items.map((m) => [m.userId, m.role.name, m.status])).toEqual([
      [ada.userId, "Owner", "active"],
      [carol.userId, "Admin", "suspended"],
      [bob.userId, "Owner", "active"],
    ]);
    // Active again, carol can receive it.
    await setStatus(carol, ada.orgId, MEMBER_STATUS.active);
    await w.auth.organizations.transferOwnership(ada.principal, ada.orgId, carol.userId);
    expect((await w.auth.organizations.get(carol.principal, ada.orgId)).role.name).toBe("Owner");
  });

  it("with only a suspended Owner left, members who are not active Owners can still be changed and removed", async () => {
    // The invariant counts active Owners: a suspended Owner neither counts nor is protected by it, and a member who
    // is no Owner never touches it, even when the organization has no active Owner at all.
    const everything = await w.auth.roles.list(ada.principal, ada.orgId);
    const deputyRole = await w.auth.roles.create(ada.principal, ada.orgId, {
      name: "Deputy",
      permissions: everything.find((r) => r.name === "Owner")?.permissions ?? [],
    });
    const dave = await w.member(ada, ada.orgId, "dave@example.com", "Deputy");
    const erin = await w.member(ada, ada.orgId, "erin@example.com");
    await setStatus(ada, ada.orgId, MEMBER_STATUS.suspended);
    const adminRole = await w.roleId(dave, ada.orgId, "Admin");
    await w.auth.members.updateRole(dave.principal, ada.orgId, erin.userId, adminRole);
    await w.auth.members.updateRole(dave.principal, ada.orgId, carol.userId, deputyRole.id);
    await w.auth.members.remove(dave.principal, ada.orgId, erin.userId);
    await w.auth.members.updateRole(dave.principal, ada.orgId, ada.userId, adminRole);
    await w.auth.members.remove(dave.principal, ada.orgId, ada.userId);
    const members = await w.auth.members.list(dave.principal, ada.orgId);
    expect(members.items.map((m) => [m.userId, m.role.name, m.status])).toEqual([
      [carol.userId, "Deputy", "active"],
      [dave.userId, "Deputy", "active"],
    ]);
  });

  it("a custom role that is merely named Owner, as seed data may hold one, cannot delete or hand over the organization", async () => {
    // The API refuses a custom role named like a built-in one; a seed database's roles table knows no such rule.
    const everything = (await w.auth.roles.list(ada.principal, ada.orgId)).find((r) => r.name === "Owner");
    const lookalike = await w.auth.roles.create(ada.principal, ada.orgId, {
      name: "Keeper",
      permissions: everything?.permissions ?? [],
    });
    const { knex } = w.storage as unknown as KnexStorage;
    expect(await knex("roles").where({ id: lookalike.id }).update({ name: "Owner" })).toBe(1);
    await w.auth.invitations.create(ada.principal, ada.orgId, { email: "liz@example.com", roleId: lookalike.id });
    const invitationToken = await w.invitationToken("liz@example.com");
    const { user } = await w.auth.signup({ email: "liz@example.com", password: PASSWORD, invitationToken });
    const { accessToken } = await w.auth.signin({ email: "liz@example.com", password: PASSWORD });
    const liz = { userId: user.id, principal: (await w.auth.authenticate(accessToken)) as UserPrincipal };
    const got = await w.auth.organizations.get(liz.principal, ada.orgId);
    expect(got.role).toMatchObject({ id: lookalike.id, name: "Owner", builtIn: false });
    expect(await w.auth.authorize(liz.principal, ada.orgId, "org:delete")).toBe(true);
    await expectAuthError(w.auth.organizations.delete(liz.principal, ada.orgId), "FORBIDDEN");
    await expectAuthError(w.auth.organizations.transferOwnership(liz.principal, ada.orgId, carol.userId), "FORBIDDEN");
    const members = await w.auth.members.list(ada.principal, ada.orgId);
    expect(members.items.map((m) => [m.userId, m.role.name, m.role.builtIn])).toEqual([
      [ada.userId, "Owner", true],
      [carol.userId, "Admin", true],
      [liz.userId, "Owner", false],
    ]);
  });
});
