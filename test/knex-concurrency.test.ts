import { describe, expect, it } from "vitest";
import {
  HOUR,
  hash,
  invite,
  knexTargets,
  signup,
  startSession,
  T0,
  unique,
  useKnexDatabases,
} from "./support/knex-fixtures.js";

// Races the conformance suite cannot stage: several adapters with their own pools (as several app nodes would
// have) on one database, a real deadlock, and savepoints.

for (const target of knexTargets) {
  describe.skipIf(!target.available)(
    `knex concurrency on ${target.name}${target.available ? "" : " (skipped: no MySQL)"}`,
    () => {
      const setup = useKnexDatabases(target);

      it("adapters on separate pools (app nodes) race on one email: exactly one signup wins", async () => {
        const { open } = await setup();
        const nodes = [open(), open(), open()];
        const email = `race-${unique()}@example.test`;
        const results = await Promise.all(
          Array.from({ length: 30 }, (_, i) =>
            signup(nodes[i % 3]!, email).then(
              () => "ok",
              (e: Error) => e.message,
            ),
          ),
        );
        expect(results.filter((r) => r === "ok")).toHaveLength(1);
        expect(results.filter((r) => r === "signup conflict: email")).toHaveLength(29);
      });

      it("adapters on separate pools race on one refresh token: at most one rotation, none throws, session revoked", async () => {
        const { storage, open } = await setup();
        const { user } = await signup(storage);
        const { session, token } = await startSession(storage, user.id);
        const nodes = [storage, open(), open(), open()];
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            nodes[i % 4]!.rotateRefreshToken({
              tokenHash: token,
              newTokenHash: hash(),
              now: T0 + 1,
              idleExpiresAt: T0 + HOUR,
            }),
          ),
        );
        const statuses = results.map((r) => r.status);
        expect(statuses.filter((s) => s === "rotated").length).toBeLessThanOrEqual(1);
        expect(statuses.every((s) => s === "rotated" || s === "reused" || s === "revoked")).toBe(true);
        expect((await storage.findSessionById(session.id))?.revokeReason).toBe("reuse");
      });

      it("a nested transaction is a savepoint: when it throws and the outer one catches, only its writes go", async () => {
        const { storage } = await setup();
        const [inner, outer] = [`inner-${unique()}@example.test`, `outer-${unique()}@example.test`];
        const failure = new Error("inner failure");
        await storage.transaction(async (tx) => {
          await expect(
            tx.transaction(async (nested) => {
              await signup(nested, inner);
              throw failure;
            }),
          ).rejects.toBe(failure);
          await signup(tx, outer);
        });
        expect(await storage.findUserByEmail(inner)).toBeNull();
        expect(await storage.findUserByEmail(outer)).not.toBeNull();
      });

      it("adapters on separate pools: two owners demoting each other at once leave exactly one owner", async () => {
        const { storage, open } = await setup();
        const roles = await storage.listBuiltInRoles();
        const [owner, admin] = ["Owner", "Admin"].map((n) => roles.find((r) => r.name === n)!.id) as [number, number];
        const first = await signup(storage);
        const second = (await signup(storage)).user;
        const orgId = first.organization.id;
        const token = await invite(storage, orgId, second.email, owner, first.user.id);
        expect((await storage.acceptInvitation(token, second.id, T0 + 1)).status).toBe("accepted");

        const nodes = [storage, open()];
        const results = await Promise.all(
          [first.user.id, second.id].map((userId, i) =>
            nodes[i]!.changeMemberRole({ orgId, userId, roleId: admin, ownerRoleId: owner, now: T0 + 2 }),
          ),
        );
        expect([...results].sort()).toEqual(["last_owner", "ok"]);
        const owners = await Promise.all([first.user.id, second.id].map((u) => storage.findMembership(orgId, u)));
        expect(owners.filter((m) => m?.role.id === owner)).toHaveLength(1);
      });

      it("adapters on separate pools race to accept one invitation: exactly one membership, the rest are used", async () => {
        const { storage, open } = await setup();
        const member = (await storage.listBuiltInRoles()).find((r) => r.name === "Member")!.id;
        const inviter = await signup(storage);
        const people = [];
        for (let i = 0; i < 8; i++) people.push((await signup(storage)).user.id);
        const token = await invite(storage, inviter.organization.id, "anyone@example.test", member, inviter.user.id);
        const nodes = [storage, open(), open(), open()];
        const results = await Promise.all(
          people.map((userId, i) => nodes[i % 4]!.acceptInvitation(token, userId, T0 + 1)),
        );
        expect(results.filter((r) => r.status === "accepted")).toHaveLength(1);
        expect(results.filter((r) => r.status === "used")).toHaveLength(7);
        const members = await storage.listMembers({ orgId: inviter.organization.id, limit: 50 });
        expect(members).toHaveLength(2);
      });

      it.runIf(target.name === "mysql")(
        "a deadlock fails one transaction, which is then retried as a whole and commits",
        async () => {
          const { storage } = await setup();
          const a = (await signup(storage)).user.id;
          const b = (await signup(storage)).user.id;
          let arrived = 0;
          let release: () => void = () => {};
          const bothHoldALock = new Promise<void>((resolve) => {
            release = resolve;
          });
          const meet = async (): Promise<void> => {
            if (++arrived === 2) release();
            await bothHoldALock;
          };
          const attempts = [0, 0];
          const crosswise = (i: 0 | 1, first: number, second: number, hashValue: string) =>
            storage.transaction(async (tx) => {
              attempts[i]! += 1;
              await tx.updateUserPasswordHash(first, hashValue, T0 + 1);
              await meet();
              await tx.updateUserPasswordHash(second, hashValue, T0 + 1);
            });
          await Promise.all([crosswise(0, a, b, "$one"), crosswise(1, b, a, "$two")]);
          expect(attempts[0]! + attempts[1]!, "one side ran twice").toBe(3);
          const [ha, hb] = [
            (await storage.findUserById(a))?.passwordHash,
            (await storage.findUserById(b))?.passwordHash,
          ];
          expect(ha, "serial outcome: both rows carry the hash of the transaction that committed last").toBe(hb);
        },
      );
    },
  );
}
