import { type Auth, createAuth, type StorageAdapter, type TenancyStorage } from "@tenantauth/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { backends } from "./support/backends.js";
import { expectAuthError } from "./support/errors.js";
import { type Actor, createWorld, SECRET, type World } from "./support/world.js";

type Storage = StorageAdapter & TenancyStorage;

/**
 * Another request's write landing between this request's read and its write. The storage is the real one; only the
 * moment is forced: right after the first call of `method` whose arguments `when` accepts, `meanwhile` runs (a
 * whole other request, on the plain storage) before the read's answer goes back. Concurrent requests produce this
 * order only now and then; here it happens every time.
 */
function interleaved<K extends keyof Storage>(
  storage: Storage,
  method: K,
  when: (...args: never[]) => boolean,
  meanwhile: () => Promise<unknown>,
): Storage {
  let done = false;
  return new Proxy(storage, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== "function") return value;
      if (property !== method) return value.bind(target);
      return async (...args: never[]) => {
        const answer: unknown = await value.apply(target, args);
        if (!done && when(...args)) {
          done = true;
          await meanwhile();
        }
        return answer;
      };
    },
  });
}

describe.each(backends)("tenancy writes after a concurrent change on $name", (backend) => {
  let w: World;
  let ada: Actor;
  beforeEach(async () => {
    w = await createWorld(backend);
    ada = await w.user("ada@example.com", "Acme");
  });
  afterEach(async () => {
    await w.cleanup();
  });

  /** An auth instance like the world's, on `storage` (tokens and principals of either work in both). */
  const authOn = (storage: Storage): Auth =>
    createAuth({ secret: SECRET, storage, clock: w.clock, mailer: w.mailbox, mail: { deliverAfterCommit: false } });
  /** An auth instance whose storage sees Ada delete the role `roleId` right after looking it up. */
  const deletingRoleOnFind = (roleId: number): Auth =>
    authOn(
      interleaved(
        w.storage,
        "findRole",
        (_org: number, id: number) => id === roleId,
        () => w.auth.roles.delete(ada.principal, ada.orgId, roleId),
      ),
    );
  /** An auth instance whose storage sees Ada remove the member `memberId` right after looking them up. */
  const removingMemberOnFind = (memberId: number): Auth =>
    authOn(
      interleaved(
        w.storage,
        "findMembership",
        (_org: number, userId: number) => userId === memberId,
        () => w.auth.members.remove(ada.principal, ada.orgId, memberId),
      ),
    );
  const events = async (type: string) =>
    (await w.storage.listAuditEvents({ orgId: ada.orgId, limit: 100 })).filter((e) => e.type === type);

  it("a role deleted after update found it: NOT_FOUND, nothing written", async () => {
    const billing = await w.auth.roles.create(ada.principal, ada.orgId, { name: "Billing", permissions: [] });
    const auth = deletingRoleOnFind(billing.id);
    await expectAuthError(auth.roles.update(ada.principal, ada.orgId, billing.id, { name: "Finance" }), "NOT_FOUND");
    const names = (await w.auth.roles.list(ada.principal, ada.orgId)).map((r) => r.name);
    expect(names).toEqual(["Owner", "Admin", "Member"]);
    expect(await events("role.update")).toEqual([]);
  });

  it("a role deleted after delete found it: NOT_FOUND, and only the first deletion is recorded", async () => {
    const billing = await w.auth.roles.create(ada.principal, ada.orgId, { name: "Billing", permissions: [] });
    const auth = deletingRoleOnFind(billing.id);
    await expectAuthError(auth.roles.delete(ada.principal, ada.orgId, billing.id), "NOT_FOUND");
    expect(await events("role.delete")).toHaveLength(1);
  });

  it("a member removed after updateRole or remove found them: NOT_FOUND, nothing recorded", async () => {
    const mia = await w.member(ada, ada.orgId, "mia@example.com");
    const adminRole = await w.roleId(ada, ada.orgId, "Admin");
    await expectAuthError(
      removingMemberOnFind(mia.userId).members.updateRole(ada.principal, ada.orgId, mia.userId, adminRole),
      "NOT_FOUND",
    );
    expect(await events("member.role_change")).toEqual([]);
    const noa = await w.member(ada, ada.orgId, "noa@example.com");
    await expectAuthError(
      removingMemberOnFind(noa.userId).members.remove(ada.principal, ada.orgId, noa.userId),
      "NOT_FOUND",
    );
    // One removal each: the concurrent one (events are newest first).
    expect((await events("member.remove")).map((e) => e.targetUserId)).toEqual([noa.userId, mia.userId]);
  });

  it("an Owner removed after transferOwnership checked them: NOT_FOUND, and the recipient does not become Owner", async () => {
    const bob = await w.member(ada, ada.orgId, "bob@example.com", "Owner");
    const carol = await w.member(ada, ada.orgId, "carol@example.com", "Admin");
    // Ada's own membership is looked up first (the Owner check); bob removes her right after.
    const auth = authOn(
      interleaved(
        w.storage,
        "findMembership",
        (_org: number, userId: number) => userId === ada.userId,
        () => w.auth.members.remove(bob.principal, ada.orgId, ada.userId),
      ),
    );
    await expectAuthError(auth.organizations.transferOwnership(ada.principal, ada.orgId, carol.userId), "NOT_FOUND");
    const members = await w.auth.members.list(bob.principal, ada.orgId);
    expect(members.items.map((m) => [m.userId, m.role.name])).toEqual([
      [bob.userId, "Owner"],
      [carol.userId, "Admin"],
    ]);
    expect(await events("member.role_change")).toEqual([]);
  });

  it("an invitation revoked, or its role deleted, after resend found it: INVITATION_NOT_FOUND, no mail", async () => {
    const memberRole = await w.roleId(ada, ada.orgId, "Member");
    const revoked = await w.auth.invitations.create(ada.principal, ada.orgId, {
      email: "r@example.com",
      roleId: memberRole,
    });
    const revoking = interleaved(
      w.storage,
      "findInvitation",
      () => true,
      () => w.auth.invitations.revoke(ada.principal, ada.orgId, revoked.invitation.id),
    );
    await expectAuthError(
      authOn(revoking).invitations.resend(ada.principal, ada.orgId, revoked.invitation.id),
      "INVITATION_NOT_FOUND",
    );
    // The role goes, and its pending invitations with it.
    const billing = await w.auth.roles.create(ada.principal, ada.orgId, { name: "Billing", permissions: [] });
    const orphaned = await w.auth.invitations.create(ada.principal, ada.orgId, {
      email: "b@example.com",
      roleId: billing.id,
    });
    const deleting = interleaved(
      w.storage,
      "findInvitation",
      () => true,
      () => w.auth.roles.delete(ada.principal, ada.orgId, billing.id),
    );
    await expectAuthError(
      authOn(deleting).invitations.resend(ada.principal, ada.orgId, orphaned.invitation.id),
      "INVITATION_NOT_FOUND",
    );
    await w.auth.mail.idle();
    while ((await w.auth.mail.deliverPending()).claimed > 0);
    expect(w.mailbox.all("r@example.com", "invitation")).toHaveLength(1);
    expect(w.mailbox.all("b@example.com", "invitation")).toHaveLength(1);
    expect((await events("invitation.create")).map((e) => e.data)).toEqual(
      expect.not.arrayContaining([expect.objectContaining({ resent: true })]),
    );
  });
});
