import type { NewRevocation } from "@tenantauth/core";
import { expect, it } from "vitest";
import { type Harness, HOUR, T0 } from "./fixtures.js";

const none = { userId: null, sessionId: null, orgId: null, roleId: null };
const session = (userId: number, sessionId: string): NewRevocation => ({ ...none, kind: "session", userId, sessionId });

/** Tests of the revocation log: append, read after an id, prune. */
export function registerRevocationRecordTests(h: Harness): void {
  it("recordRevocations appends records with ascending ids that listRevocations returns field for field", async () => {
    const storage = h.storage();
    const records: NewRevocation[] = [
      session(7, "s".repeat(64)),
      { ...none, kind: "user", userId: 9_007_199_254_740 },
      { ...none, kind: "membership", userId: 7, orgId: 3, roleId: 2 },
      { ...none, kind: "membership", userId: 8, orgId: 3, roleId: null },
      { ...none, kind: "organization", orgId: 4 },
    ];
    await storage.recordRevocations(records, T0);
    const listed = await storage.listRevocations({ afterId: 0, since: 0, limit: 10 });
    expect(listed.map(({ id: _id, ...rest }) => rest)).toStrictEqual(records.map((r) => ({ ...r, createdAt: T0 })));
    const ids = listed.map((r) => r.id);
    expect(ids).toStrictEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(5);
  });

  it("listRevocations returns only ids above afterId and times from since, oldest first, at most limit", async () => {
    const storage = h.storage();
    await storage.recordRevocations([session(1, "a"), session(1, "b")], T0);
    await storage.recordRevocations([session(1, "c")], T0 + HOUR);
    await storage.recordRevocations([session(1, "d"), session(1, "e")], T0 + 2 * HOUR);
    const all = await storage.listRevocations({ afterId: 0, since: 0, limit: 100 });
    expect(all.map((r) => r.sessionId)).toEqual(["a", "b", "c", "d", "e"]);
    const [, second, third] = all;
    const after = await storage.listRevocations({ afterId: second?.id ?? 0, since: 0, limit: 100 });
    expect(after.map((r) => r.sessionId)).toEqual(["c", "d", "e"]);
    const page = await storage.listRevocations({ afterId: second?.id ?? 0, since: 0, limit: 2 });
    expect(page.map((r) => r.sessionId)).toEqual(["c", "d"]);
    const recent = await storage.listRevocations({ afterId: 0, since: T0 + HOUR, limit: 100 });
    expect(recent.map((r) => r.sessionId)).toEqual(["c", "d", "e"]);
    expect(await storage.listRevocations({ afterId: (all[4]?.id ?? 0) + 1, since: 0, limit: 100 })).toEqual([]);
    expect(third?.createdAt).toBe(T0 + HOUR);
  });

  it("recordRevocations inside a transaction is undone with it", async () => {
    const storage = h.storage();
    await expect(
      storage.transaction(async (tx) => {
        await tx.recordRevocations([session(1, "gone")], T0);
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect(await storage.listRevocations({ afterId: 0, since: 0, limit: 10 })).toEqual([]);
  });

  it("pruneRevocations deletes only the records created before the time given and counts them", async () => {
    const storage = h.storage();
    await storage.recordRevocations([session(1, "old"), session(1, "older")], T0);
    await storage.recordRevocations([session(1, "new")], T0 + HOUR);
    expect(await storage.pruneRevocations(T0 + HOUR)).toBe(2);
    expect((await storage.listRevocations({ afterId: 0, since: 0, limit: 10 })).map((r) => r.sessionId)).toEqual([
      "new",
    ]);
    expect(await storage.pruneRevocations(T0 + HOUR)).toBe(0);
  });
}
