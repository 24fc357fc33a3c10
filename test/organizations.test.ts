import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { backends } from "./support/backends.js";
import { expectAuthError } from "./support/errors.js";
import { type Actor, createWorld, type World } from "./support/world.js";

describe.each(backends)("organizations and members on $name", (backend) => {
  let w: World;
  let ada: Actor;
  beforeEach(async () => {
    w = await createWorld(backend);
    ada = await w.user("ada@example.com", "Acme");
  });
  afterEach(async () => {
    await w.cleanup();
  });

  it("get returns the organization with the caller's role; outsiders get NOT_FOUND", async () => {
    const got = await w.auth.organizations.get(ada.principal, ada.orgId);
    expect(got.organization.name).toBe("Acme");
    expect(got.role).toMatchObject({ name: "Owner", builtIn: true });
    const eve = await w.user("eve@example.com", "Evil");
    await expectAuthError(w.auth.organizations.get(eve.principal, ada.orgId), "NOT_FOUND");
    await expectAuthError(w.auth.organizations.get(eve.principal, 999_999), "NOT_FOUND");
  });

  it("update changes name, details and settings, and refuses a taken name", async () => {
    await w.user("bob@example.com", "Bobs");
    const updated = await w.auth.organizations.update(ada.principal, ada.orgId, {
      name: "Acme Corp",
      details: "Rockets",
      settings: { plan: "pro" },
    });
    expect(updated).toMatchObject({ name: "Acme Corp", details: "Rockets", settings: { plan: "pro" } });
    await expectAuthError(w.auth.organizations.update(ada.principal, ada.orgId, { name: "Bobs" }), "ORG_NAME_TAKEN");
    expect((await w.auth.organizations.get(ada.principal, ada.orgId)).organization.name).toBe("Acme Corp");
  });

  it("members without org:update cannot update", async () => {
    const mia = await w.member(ada, ada.orgId, "mia@example.com");
    await expectAuthError(w.auth.organizations.update(mia.principal, ada.orgId, { details: "x" }), "FORBIDDEN");
  });

  it("delete is a soft delete by an Owner that frees the name and hides the organization", async () => {
    const admin = await w.member(ada, ada.orgId, "admin@example.com", "Admin");
    await expectAuthError(w.auth.organizations.delete(admin.principal, ada.orgId), "FORBIDDEN");
    await w.auth.organizations.delete(ada.principal, ada.orgId);
    await expectAuthError(w.auth.organizations.get(ada.principal, ada.orgId), "NOT_FOUND");
    expect(await w.auth.authorize(ada.principal, ada.orgId, "org:update")).toBe(false);
    expect((await w.auth.organizations.list(admin.principal)).map((o) => o.organization.id)).not.toContain(ada.orgId);
    const again = await w.auth.organizations.create(ada.principal, { name: "Acme" });
    expect(again.id).not.toBe(ada.orgId);
  });

  it("delete needs the Owner role itself: a custom role granted org:delete is refused and nothing changes", async () => {
    const role = await w.auth.roles.create(ada.principal, ada.orgId, {
      name: "Liquidator",
      permissions: ["org:delete"],
    });
    const liz = await w.member(ada, ada.orgId, "liz@example.com", "Liquidator");
    expect(await w.auth.authorize(liz.principal, ada.orgId, "org:delete")).toBe(true);
    await expectAuthError(w.auth.organizations.delete(liz.principal, ada.orgId), "FORBIDDEN");
    const still = await w.auth.organizations.get(ada.principal, ada.orgId);
    expect(still.organization.name).toBe("Acme");
    expect(role.permissions).toEqual(["org:delete"]);
  });

  it("delete keeps the old name, when and by whom in the stored settings, next to the settings it had", async () => {
    await w.auth.organizations.update(ada.principal, ada.orgId, { settings: { plan: "pro" } });
    w.clock.advance(5000);
    await w.auth.organizations.delete(ada.principal, ada.orgId);
    const stored = await w.storage.findOrganizationById(ada.orgId);
    expect(stored?.name).not.toBe("Acme");
    expect(stored?.settings).toEqual({
      plan: "pro",
      deletedName: "Acme",
      deletedAt: w.clock.now(),
      deletedBy: ada.userId,
    });
  });

  it("a personal organization cannot be deleted", async () => {
    const solo = await w.user("solo@example.com");
    await expectAuthError(w.auth.organizations.delete(solo.principal, solo.orgId), "PERSONAL_ORG_UNDELETABLE");
  });

  it("transferOwnership makes the recipient Owner and the caller Admin; only Owners may", async () => {
    const bob = await w.member(ada, ada.orgId, "bob@example.com", "Admin");
    await expectAuthError(w.auth.organizations.transferOwnership(bob.principal, ada.orgId, bob.userId), "FORBIDDEN");
    await w.auth.organizations.transferOwnership(ada.principal, ada.orgId, bob.userId);
    expect((await w.auth.organizations.get(bob.principal, ada.orgId)).role.name).toBe("Owner");
    expect((await w.auth.organizations.get(ada.principal, ada.orgId)).role.name).toBe("Admin");
    const outsider = await w.user("out@example.com", "Out");
    await expectAuthError(
      w.auth.organizations.transferOwnership(bob.principal, ada.orgId, outsider.userId),
      "NOT_FOUND",
    );
  });

  it("transferOwnership to oneself is INVALID_INPUT; a transfer records both role changes", async () => {
    const bob = await w.member(ada, ada.orgId, "bob@example.com", "Admin");
    await expectAuthError(
      w.auth.organizations.transferOwnership(ada.principal, ada.orgId, ada.userId),
      "INVALID_INPUT",
    );
    expect((await w.auth.organizations.get(ada.principal, ada.orgId)).role.name).toBe("Owner");
    const [ownerRole, adminRole] = [await w.roleId(ada, ada.orgId, "Owner"), await w.roleId(ada, ada.orgId, "Admin")];
    await w.auth.organizations.transferOwnership(ada.principal, ada.orgId, bob.userId);
    const events = await w.storage.listAuditEvents({ orgId: ada.orgId, limit: 100 });
    const changes = events.filter((e) => e.type === "member.role_change");
    expect(changes.map((e) => [e.actorUserId, e.targetUserId, e.data])).toEqual(
      expect.arrayContaining([
        [ada.userId, bob.userId, { fromRoleId: adminRole, toRoleId: ownerRole, toRoleName: "Owner" }],
        [ada.userId, ada.userId, { fromRoleId: ownerRole, toRoleId: adminRole, toRoleName: "Admin" }],
      ]),
    );
    expect(changes).toHaveLength(2);
  });

  it("lists members page by page with a cursor, filtered by role", async () => {
    const names = ["m1", "m2", "m3", "m4"];
    for (const n of names) await w.member(ada, ada.orgId, `${n}@example.com`);
    await w.member(ada, ada.orgId, "a1@example.com", "Admin");
    const first = await w.auth.members.list(ada.principal, ada.orgId, { limit: 2 });
    expect(first.items.map((m) => m.email)).toEqual(["ada@example.com", "m1@example.com"]);
    expect(first.nextCursor).not.toBeNull();
    const second = await w.auth.members.list(ada.principal, ada.orgId, { limit: 2, cursor: first.nextCursor });
    expect(second.items.map((m) => m.email)).toEqual(["m2@example.com", "m3@example.com"]);
    const third = await w.auth.members.list(ada.principal, ada.orgId, { limit: 2, cursor: second.nextCursor });
    expect(third.items.map((m) => m.email)).toEqual(["m4@example.com", "a1@example.com"]);
    expect(third.nextCursor).toBeNull();
    const adminRole = await w.roleId(ada, ada.orgId, "Admin");
    const admins = await w.auth.members.list(ada.principal, ada.orgId, { roleId: adminRole });
    expect(admins.items.map((m) => [m.email, m.role.name, m.status])).toEqual([["a1@example.com", "Admin", "active"]]);
    expect((await w.auth.members.list(ada.principal, ada.orgId, { status: "suspended" })).items).toEqual([]);
    await expectAuthError(w.auth.members.list(ada.principal, ada.orgId, { cursor: "garbage!" }), "INVALID_INPUT");
  });

  it("the next page starts after the last member of this page, for any page size", async () => {
    for (const n of ["m1", "m2", "m3", "m4"]) await w.member(ada, ada.orgId, `${n}@example.com`);
    const first = await w.auth.members.list(ada.principal, ada.orgId, { limit: 3 });
    expect(first.items.map((m) => m.email)).toEqual(["ada@example.com", "m1@example.com", "m2@example.com"]);
    const second = await w.auth.members.list(ada.principal, ada.orgId, { limit: 3, cursor: first.nextCursor });
    expect(second.items.map((m) => m.email)).toEqual(["m3@example.com", "m4@example.com"]);
    expect(second.nextCursor).toBeNull();
  });

  it("updateRole and remove of a missing role or a non-member are NOT_FOUND and change nothing", async () => {
    const mia = await w.member(ada, ada.orgId, "mia@example.com");
    const eve = await w.user("eve@example.com", "Evil");
    const spy = await w.auth.roles.create(eve.principal, eve.orgId, { name: "Spy", permissions: [] });
    const adminRole = await w.roleId(ada, ada.orgId, "Admin");
    for (const roleId of [999_999, spy.id]) {
      await expectAuthError(w.auth.members.updateRole(ada.principal, ada.orgId, mia.userId, roleId), "NOT_FOUND");
    }
    for (const userId of [eve.userId, 999_999]) {
      await expectAuthError(w.auth.members.updateRole(ada.principal, ada.orgId, userId, adminRole), "NOT_FOUND");
      await expectAuthError(w.auth.members.remove(ada.principal, ada.orgId, userId), "NOT_FOUND");
    }
    const members = await w.auth.members.list(ada.principal, ada.orgId);
    expect(members.items.map((m) => [m.userId, m.role.name])).toEqual([
      [ada.userId, "Owner"],
      [mia.userId, "Member"],
    ]);
    expect((await w.auth.organizations.get(eve.principal, eve.orgId)).role.name).toBe("Owner");
  });

  it("keeps at least one Owner: demoting, removing or leaving as the last Owner is refused", async () => {
    const memberRole = await w.roleId(ada, ada.orgId, "Member");
    await expectAuthError(w.auth.members.updateRole(ada.principal, ada.orgId, ada.userId, memberRole), "LAST_OWNER");
    await expectAuthError(w.auth.members.remove(ada.principal, ada.orgId, ada.userId), "LAST_OWNER");
    await expectAuthError(w.auth.members.leave(ada.principal, ada.orgId), "LAST_OWNER");
    const bob = await w.member(ada, ada.orgId, "bob@example.com", "Owner");
    await w.auth.members.leave(ada.principal, ada.orgId);
    await expectAuthError(w.auth.organizations.get(ada.principal, ada.orgId), "NOT_FOUND");
    await expectAuthError(w.auth.members.leave(bob.principal, ada.orgId), "LAST_OWNER");
  });

  it("keeps the last Owner of one organization while another organization has Owners of its own", async () => {
    // Eve owns Evil, and Acme's only other member is bob: Ada stays Acme's last Owner.
    const eve = await w.user("eve@example.com", "Evil");
    await w.member(eve, eve.orgId, "eve2@example.com", "Owner");
    const bob = await w.member(ada, ada.orgId, "bob@example.com", "Admin");
    const memberRole = await w.roleId(ada, ada.orgId, "Member");
    await expectAuthError(w.auth.members.updateRole(ada.principal, ada.orgId, ada.userId, memberRole), "LAST_OWNER");
    await expectAuthError(w.auth.members.remove(ada.principal, ada.orgId, ada.userId), "LAST_OWNER");
    await expectAuthError(w.auth.members.leave(ada.principal, ada.orgId), "LAST_OWNER");
    const acme = await w.auth.members.list(ada.principal, ada.orgId);
    expect(acme.items.map((m) => [m.userId, m.role.name])).toEqual([
      [ada.userId, "Owner"],
      [bob.userId, "Admin"],
    ]);
    // Eve's organization, with two Owners, lets one go.
    await w.auth.members.leave(eve.principal, eve.orgId);
    await expectAuthError(w.auth.organizations.get(eve.principal, eve.orgId), "NOT_FOUND");
  });

  it("two Owners demoting each other at once leave exactly one Owner", async () => {
    const bob = await w.member(ada, ada.orgId, "bob@example.com", "Owner");
    const adminRole = await w.roleId(ada, ada.orgId, "Admin");
    const results = await Promise.allSettled([
      w.auth.members.updateRole(ada.principal, ada.orgId, bob.userId, adminRole),
      w.auth.members.updateRole(bob.principal, ada.orgId, ada.userId, adminRole),
    ]);
    const owners = (await w.storage.listMembers({ orgId: ada.orgId, limit: 10 })).filter(
      (m) => m.role.name === "Owner",
    );
    expect(owners).toHaveLength(1);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  });

  it("updateRole and remove refuse escalation: an Admin cannot make Owners or touch them", async () => {
    const admin = await w.member(ada, ada.orgId, "admin@example.com", "Admin");
    const mia = await w.member(ada, ada.orgId, "mia@example.com");
    const ownerRole = await w.roleId(ada, ada.orgId, "Owner");
    const memberRole = await w.roleId(ada, ada.orgId, "Member");
    await expectAuthError(w.auth.members.updateRole(admin.principal, ada.orgId, mia.userId, ownerRole), "FORBIDDEN");
    await expectAuthError(w.auth.members.updateRole(admin.principal, ada.orgId, admin.userId, ownerRole), "FORBIDDEN");
    await expectAuthError(w.auth.members.updateRole(admin.principal, ada.orgId, ada.userId, memberRole), "FORBIDDEN");
    await expectAuthError(w.auth.members.remove(admin.principal, ada.orgId, ada.userId), "FORBIDDEN");
    await expectAuthError(w.auth.members.updateRole(mia.principal, ada.orgId, mia.userId, ownerRole), "FORBIDDEN");
    // What an Admin may do, it can.
    await w.auth.members.updateRole(admin.principal, ada.orgId, mia.userId, await w.roleId(ada, ada.orgId, "Admin"));
    await w.auth.members.remove(admin.principal, ada.orgId, mia.userId);
    await expectAuthError(w.auth.organizations.get(mia.principal, ada.orgId), "NOT_FOUND");
  });

  it("authorize answers from the role's permissions with one lookup", async () => {
    const mia = await w.member(ada, ada.orgId, "mia@example.com");
    expect(await w.auth.authorize(ada.principal, ada.orgId, "org:delete")).toBe(true);
    expect(await w.auth.authorize(mia.principal, ada.orgId, "member:invite")).toBe(false);
    const refused = await expectAuthError(
      w.auth.assertAuthorized(mia.principal, ada.orgId, "member:invite"),
      "FORBIDDEN",
    );
    // The refusal names the missing permission (error.details, which the HTTP error body carries).
    expect(refused.details).toEqual({ permission: "member:invite" });
    const needed = await expectAuthError(
      w.auth.organizations.update(mia.principal, ada.orgId, { details: "x" }),
      "FORBIDDEN",
    );
    expect(needed.details).toEqual({ permission: "org:update" });
    await expect(w.auth.assertAuthorized(ada.principal, ada.orgId, "member:invite")).resolves.toBeUndefined();
    await expectAuthError(w.auth.authorize(ada.principal, ada.orgId, "everything" as never), "INVALID_INPUT");
    await expectAuthError(w.auth.authorize(ada.principal, "1" as never, "org:update"), "INVALID_INPUT");
  });
});
