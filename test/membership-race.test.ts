import { createHash, randomBytes } from "node:crypto";
import { AuthError } from "@tenantauth/core";
import type { KnexStorage } from "@tenantauth/knex";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sqlBackends } from "./support/backends.js";
import { type Actor, createWorld, type World } from "./support/world.js";

const ROUNDS = 20;
const mysql = sqlBackends.find((b) => b.name === "mysql");

/** Membership rows of (org, user), read straight from the table. */
async function memberRows(storage: KnexStorage, orgId: number, userId: number): Promise<number> {
  const row = await storage.knex("members").where({ org_id: orgId, user_id: userId }).count({ n: "*" }).first();
  return Number(row?.n);
}

describe.skipIf(!mysql)("membership is race-proof on MySQL", () => {
  let w: World;
  let ada: Actor;
  let bob: Actor;
  let knex: KnexStorage;
  beforeAll(async () => {
    // One inviter sends ROUNDS invitations within the hour: above the default invitation throttle, which is not
    // what this suite tests (test/invitation-throttle.test.ts does).
    const invitations = { perInviter: { limit: 100 }, perOrganization: { limit: 100 } };
    w = await createWorld(mysql!, { rateLimit: { invitations } });
    knex = w.storage as unknown as KnexStorage;
    ada = await w.user("ada@example.com", "Acme");
    bob = await w.user("bob@example.com", "Bobs");
  }, 60_000);
  afterAll(async () => {
    await w.cleanup();
  });

  it("members has UNIQUE(org_id, user_id)", async () => {
    const [rows] = (await knex.knex.raw("SHOW INDEX FROM members WHERE Non_unique = 0")) as [
      Array<{ Key_name: string; Column_name: string; Seq_in_index: number }>,
    ];
    const byKey = new Map<string, string[]>();
    for (const r of rows.sort((a, b) => a.Seq_in_index - b.Seq_in_index)) {
      byKey.set(r.Key_name, [...(byKey.get(r.Key_name) ?? []), r.Column_name]);
    }
    expect([...byKey.values()]).toContainEqual(["org_id", "user_id"]);
  });

  it(`two concurrent accepts of one invitation make exactly one member, ${ROUNDS} rounds in a row`, async () => {
    const roleId = await w.roleId(ada, ada.orgId, "Member");
    for (let round = 0; round < ROUNDS; round++) {
      const org = await w.auth.organizations.create(ada.principal, { name: `Race ${round}` });
      await w.auth.invitations.create(ada.principal, org.id, { email: bob.email, roleId });
      const token = await w.invitationToken(bob.email);
      const outcomes = await Promise.allSettled([
        w.auth.invitations.accept(bob.principal, token),
        w.auth.invitations.accept(bob.principal, token),
      ]);
      const won = outcomes.filter((o) => o.status === "fulfilled");
      const lost = outcomes.flatMap((o) => (o.status === "rejected" ? [o.reason as unknown] : []));
      expect(won, `round ${round}`).toHaveLength(1);
      expect(lost[0], `round ${round}`).toBeInstanceOf(AuthError);
      expect(["INVITATION_USED", "ALREADY_MEMBER"]).toContain((lost[0] as AuthError).code);
      expect(await memberRows(knex, org.id, bob.userId), `round ${round}`).toBe(1);
    }
  }, 120_000);

  it(`two different invitations for the same user and organization, accepted at once, make one member, ${ROUNDS} rounds`, async () => {
    const roleId = await w.roleId(ada, ada.orgId, "Member");
    const hash = (): string => createHash("sha256").update(randomBytes(32)).digest("hex");
    for (let round = 0; round < ROUNDS; round++) {
      const org = await w.auth.organizations.create(ada.principal, { name: `Twice ${round}` });
      // Core keeps one pending invitation per email; two addresses give two live invitations into one organization.
      const hashes = [hash(), hash()];
      for (const [i, tokenHash] of hashes.entries()) {
        const email = `bob+${i}@example.com`;
        await w.storage.createInvitation({
          invitation: {
            orgId: org.id,
            email,
            roleId,
            invitedBy: ada.userId,
            tokenHash,
            expiresAt: w.clock.now() + 3_600_000,
          },
          mail: { template: "invitation", recipient: email, payload: {}, availableAt: w.clock.now() },
          now: w.clock.now(),
        });
      }
      const results = await Promise.all(hashes.map((h) => w.storage.acceptInvitation(h, bob.userId, w.clock.now())));
      expect(results.map((r) => r.status).sort(), `round ${round}`).toEqual(["accepted", "already_member"]);
      expect(await memberRows(knex, org.id, bob.userId), `round ${round}`).toBe(1);
    }
  }, 120_000);
});
