import type { AuthOptions } from "@tenantauth/core";
import { afterEach, describe, expect, it } from "vitest";
import { backends } from "./support/backends.js";
import { expectAuthError } from "./support/errors.js";
import { type Actor, createWorld, PASSWORD, type World } from "./support/world.js";

const N = 3;

/** Each limit as a number and as a function, the function checked to receive the right ids. */
const forms = [
  { form: "number", limit: () => N },
  { form: "function", limit: () => async (_ctx: { userId?: number; orgId?: number }) => N },
] as const;

describe.each(backends)("limits on $name", (backend) => {
  let w: World | undefined;
  afterEach(async () => {
    await w?.cleanup();
    w = undefined;
  });
  const world = async (options: Partial<AuthOptions>): Promise<World> => {
    w = await createWorld(backend, options);
    return w;
  };

  describe.each(forms)("as a $form", ({ limit }) => {
    it(`organizationLimit: the user's organizations ${N} are allowed, number ${N + 1} is LIMIT_REACHED`, async () => {
      const seen: unknown[] = [];
      const fn = limit();
      const option =
        typeof fn === "number"
          ? fn
          : (ctx: { userId?: number }) => {
              seen.push(ctx);
              return fn(ctx);
            };
      const world_ = await world({ organizationLimit: option });
      const ada = await world_.user("ada@example.com", "Org 1"); // signup's organization counts
      for (let i = 2; i <= N; i++) await world_.auth.organizations.create(ada.principal, { name: `Org ${i}` });
      const error = await expectAuthError(
        world_.auth.organizations.create(ada.principal, { name: "One too many" }),
        "LIMIT_REACHED",
      );
      expect(error.status).toBe(403);
      expect(error.details).toEqual({ limit: "organizationLimit", max: N });
      expect((await world_.auth.organizations.list(ada.principal)).map((o) => o.organization.name)).toEqual(
        Array.from({ length: N }, (_, i) => `Org ${i + 1}`),
      );
      if (typeof fn !== "number") expect(seen.at(-1)).toEqual({ userId: ada.userId });
      // Another user has their own count.
      const bob = await world_.user("bob@example.com");
      await world_.auth.organizations.create(bob.principal, { name: "Bob 2" });
    });

    it(`membershipLimit: member ${N} joins, member ${N + 1} is LIMIT_REACHED (accept and invitation signup)`, async () => {
      const world_ = await world({ membershipLimit: limit() });
      const ada = await world_.user("ada@example.com", "Acme");
      for (let i = 2; i <= N; i++) await world_.member(ada, ada.orgId, `m${i}@example.com`);
      const memberRole = await world_.roleId(ada, ada.orgId, "Member");
      await world_.auth.invitations.create(ada.principal, ada.orgId, { email: "late@example.com", roleId: memberRole });
      const invited = await world_.invitationToken("late@example.com");
      const error = await expectAuthError(
        world_.auth.signup({ email: "late@example.com", password: PASSWORD, invitationToken: invited }),
        "LIMIT_REACHED",
      );
      expect(error.details).toEqual({ limit: "membershipLimit", max: N });
      expect(await world_.storage.findUserByEmail("late@example.com")).toBeNull();
      const bob = await world_.user("bob@example.com");
      await world_.auth.invitations.create(ada.principal, ada.orgId, { email: bob.email, roleId: memberRole });
      const forBob = await world_.invitationToken(bob.email);
      await expectAuthError(world_.auth.invitations.accept(bob.principal, forBob), "LIMIT_REACHED");
      expect(await world_.storage.countMembers(ada.orgId)).toBe(N);
      // The invitation stays pending: it can be accepted once a seat is free.
      const [, second] = (await world_.auth.members.list(ada.principal, ada.orgId)).items;
      await world_.auth.members.remove(ada.principal, ada.orgId, second!.userId);
      await world_.auth.invitations.accept(bob.principal, forBob);
      expect(await world_.storage.countMembers(ada.orgId)).toBe(N);
    });

    it(`invitationLimit: ${N} pending invitations, invitation ${N + 1} is LIMIT_REACHED; re-inviting an email is free`, async () => {
      const world_ = await world({ invitationLimit: limit() });
      const ada = await world_.user("ada@example.com", "Acme");
      const roleId = await world_.roleId(ada, ada.orgId, "Member");
      for (let i = 1; i <= N; i++)
        await world_.auth.invitations.create(ada.principal, ada.orgId, { email: `i${i}@example.com`, roleId });
      const error = await expectAuthError(
        world_.auth.invitations.create(ada.principal, ada.orgId, { email: "more@example.com", roleId }),
        "LIMIT_REACHED",
      );
      expect(error.details).toEqual({ limit: "invitationLimit", max: N });
      expect(await world_.storage.countPendingInvitations(ada.orgId, world_.clock.now())).toBe(N);
      await world_.auth.invitations.create(ada.principal, ada.orgId, { email: "i1@example.com", roleId });
      expect(await world_.storage.countPendingInvitations(ada.orgId, world_.clock.now())).toBe(N);
    });
  });

  it("invitationLimit and membershipLimit functions get the organization (and the joining user): each organization its own limit", async () => {
    const seen: unknown[] = [];
    let acme = 0;
    const perOrg = (ctx: { orgId?: number; userId?: number }) => {
      seen.push(ctx);
      return ctx.orgId === acme ? 1 : 2;
    };
    const world_ = await world({ invitationLimit: perOrg, membershipLimit: perOrg });
    const ada = await world_.user("ada@example.com", "Acme");
    acme = ada.orgId;
    const eve = await world_.user("eve@example.com", "Evil");
    const [bob, cy] = [await world_.user("bob@example.com"), await world_.user("cy@example.com")];
    for (const u of [bob, cy]) await world_.storage.markEmailVerified(u.userId, world_.clock.now());
    const [acmeMember, evilMember] = [
      await world_.roleId(ada, ada.orgId, "Member"),
      await world_.roleId(eve, eve.orgId, "Member"),
    ];
    // Acme allows one pending invitation and one member, Evil two of each.
    await world_.auth.invitations.create(ada.principal, ada.orgId, { email: bob.email, roleId: acmeMember });
    expect(seen.at(-1)).toEqual({ orgId: ada.orgId });
    await expectAuthError(
      world_.auth.invitations.create(ada.principal, ada.orgId, { email: cy.email, roleId: acmeMember }),
      "LIMIT_REACHED",
    );
    await expectAuthError(
      world_.auth.invitations.accept(bob.principal, await world_.invitationToken(bob.email)),
      "LIMIT_REACHED",
    );
    expect(seen.at(-1)).toEqual({ orgId: ada.orgId, userId: bob.userId });
    expect(await world_.storage.countMembers(ada.orgId)).toBe(1);
    await world_.auth.invitations.create(eve.principal, eve.orgId, { email: bob.email, roleId: evilMember });
    await world_.auth.invitations.create(eve.principal, eve.orgId, { email: cy.email, roleId: evilMember });
    expect(seen.at(-1)).toEqual({ orgId: eve.orgId });
    await world_.auth.invitations.accept(cy.principal, await world_.invitationToken(cy.email));
    expect(seen.at(-1)).toEqual({ orgId: eve.orgId, userId: cy.userId });
    expect(await world_.storage.countMembers(eve.orgId)).toBe(2);
  });

  it("a limit of 0 refuses the first one", async () => {
    const world_ = await world({ invitationLimit: 0 });
    const ada: Actor = await world_.user("ada@example.com", "Acme");
    const roleId = await world_.roleId(ada, ada.orgId, "Member");
    await expectAuthError(
      world_.auth.invitations.create(ada.principal, ada.orgId, { email: "x@example.com", roleId }),
      "LIMIT_REACHED",
    );
  });

  it("a limit function that throws or returns a non-number is an INTERNAL_ERROR, never a partial write", async () => {
    const world_ = await world({ organizationLimit: () => Number.NaN });
    const ada = await world_.user("ada@example.com", "Acme");
    await expectAuthError(world_.auth.organizations.create(ada.principal, { name: "Nope" }), "INTERNAL_ERROR");
    expect(await world_.auth.organizations.list(ada.principal)).toHaveLength(1);
  });
});
