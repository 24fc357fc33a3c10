import type { Auth, Principal } from "@tenantauth/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "./support/backends.js";
import { authErrorOf } from "./support/errors.js";
import { type Actor, createWorld, type World } from "./support/world.js";

/** Ids that belong to the victim organization A (and their look-alikes in the attacker's organization B). */
interface Ids {
  org: number;
  memberUser: number;
  customRole: number;
  invitation: number;
}

/** Every organization-scoped operation, called with an organization id and that organization's resource ids. */
const operations: Array<{
  name: string;
  /** What a plain Member may do anyway (so it is not in the "member without the permission" column). */
  membersMay?: boolean;
  call: (auth: Auth, p: Principal, ids: Ids) => Promise<unknown>;
}> = [
  { name: "organizations.get", membersMay: true, call: (a, p, i) => a.organizations.get(p, i.org) },
  { name: "organizations.update", call: (a, p, i) => a.organizations.update(p, i.org, { details: "pwned" }) },
  { name: "organizations.delete", call: (a, p, i) => a.organizations.delete(p, i.org) },
  {
    name: "organizations.transferOwnership",
    call: (a, p, i) => a.organizations.transferOwnership(p, i.org, i.memberUser),
  },
  { name: "members.list", membersMay: true, call: (a, p, i) => a.members.list(p, i.org) },
  { name: "members.updateRole", call: (a, p, i) => a.members.updateRole(p, i.org, i.memberUser, i.customRole) },
  { name: "members.remove", call: (a, p, i) => a.members.remove(p, i.org, i.memberUser) },
  { name: "roles.list", membersMay: true, call: (a, p, i) => a.roles.list(p, i.org) },
  { name: "roles.create", call: (a, p, i) => a.roles.create(p, i.org, { name: "Sneaky", permissions: [] }) },
  { name: "roles.update", call: (a, p, i) => a.roles.update(p, i.org, i.customRole, { name: "Renamed" }) },
  { name: "roles.delete", call: (a, p, i) => a.roles.delete(p, i.org, i.customRole) },
  {
    name: "invitations.create",
    call: (a, p, i) => a.invitations.create(p, i.org, { email: "x@evil.test", roleId: i.customRole }),
  },
  { name: "invitations.list", call: (a, p, i) => a.invitations.list(p, i.org) },
  { name: "invitations.revoke", call: (a, p, i) => a.invitations.revoke(p, i.org, i.invitation) },
  { name: "invitations.resend", call: (a, p, i) => a.invitations.resend(p, i.org, i.invitation) },
  { name: "stats.organization", call: (a, p, i) => a.stats.organization(p, i.org) },
  { name: "assertAuthorized", call: (a, p, i) => a.assertAuthorized(p, i.org, "org:update") },
];

describe.each(backends)("tenant isolation on $name", (backend) => {
  let w: World;
  let owner: Actor;
  let outsider: Actor;
  let plainMember: Actor;
  let attacker: Actor;
  let victim: Ids;
  let attackerOrg: Ids;

  /** Everything an owner can see of organizations A and B, to prove that refused calls changed nothing. */
  const observe = async (): Promise<string> => {
    const view = async (p: Principal, org: number) => ({
      org: await w.auth.organizations.get(p, org),
      members: await w.auth.members.list(p, org, { limit: 200 }),
      roles: await w.auth.roles.list(p, org),
      invitations: await w.auth.invitations.list(p, org),
      stats: await w.auth.stats.organization(p, org),
    });
    return JSON.stringify([await view(owner.principal, victim.org), await view(attacker.principal, attackerOrg.org)]);
  };

  beforeAll(async () => {
    w = await createWorld(backend);
    owner = await w.user("owner@a.test", "Org A");
    const customA = await w.auth.roles.create(owner.principal, owner.orgId, {
      name: "Custom",
      permissions: ["stats:read"],
    });
    plainMember = await w.member(owner, owner.orgId, "member@a.test");
    const invA = await w.auth.invitations.create(owner.principal, owner.orgId, {
      email: "pending@a.test",
      roleId: customA.id,
    });
    victim = {
      org: owner.orgId,
      memberUser: plainMember.userId,
      customRole: customA.id,
      invitation: invA.invitation.id,
    };

    attacker = await w.user("owner@b.test", "Org B");
    const customB = await w.auth.roles.create(attacker.principal, attacker.orgId, { name: "Custom", permissions: [] });
    const memberB = await w.member(attacker, attacker.orgId, "member@b.test");
    const invB = await w.auth.invitations.create(attacker.principal, attacker.orgId, {
      email: "pending@b.test",
      roleId: customB.id,
    });
    attackerOrg = {
      org: attacker.orgId,
      memberUser: memberB.userId,
      customRole: customB.id,
      invitation: invB.invitation.id,
    };
    outsider = await w.user("outsider@c.test", "Org C");
  }, 60_000);
  afterAll(async () => {
    await w.cleanup();
  });

  it.each(operations)("$name: an outsider gets NOT_FOUND and nothing changes", async (op) => {
    const before = await observe();
    const e = await authErrorOf(op.call(w.auth, outsider.principal, victim));
    expect(e.code).toBe("NOT_FOUND");
    expect(await w.auth.authorize(outsider.principal, victim.org, "org:update")).toBe(false);
    expect(await observe()).toBe(before);
  });

  it.each(operations.filter((op) => !op.membersMay))(
    "$name: a member without the permission gets FORBIDDEN and nothing changes",
    async (op) => {
      const before = await observe();
      const e = await authErrorOf(op.call(w.auth, plainMember.principal, victim));
      expect(e.code).toBe("FORBIDDEN");
      expect(await observe()).toBe(before);
    },
  );

  it.each(operations)(
    "$name: the owner of another organization passing this organization's ids gets NOT_FOUND and nothing changes",
    async (op) => {
      const before = await observe();
      // With the victim's organization id …
      expect((await authErrorOf(op.call(w.auth, attacker.principal, victim))).code).toBe("NOT_FOUND");
      // … and with the attacker's own organization id but the victim's member, role and invitation ids.
      const mixed = { ...victim, org: attackerOrg.org };
      const usesForeignIds = [
        "members.updateRole",
        "members.remove",
        "roles.update",
        "roles.delete",
        "invitations.revoke",
        "invitations.resend",
        "organizations.transferOwnership",
        "invitations.create",
      ];
      if (usesForeignIds.includes(op.name)) {
        const e = await authErrorOf(op.call(w.auth, attacker.principal, mixed));
        expect(["NOT_FOUND", "INVITATION_NOT_FOUND"]).toContain(e.code);
      }
      expect(await observe()).toBe(before);
    },
  );
});
