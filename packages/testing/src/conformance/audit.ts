import type { NewAuditEvent } from "@tenantauth/core";
import { expect, it } from "vitest";
import { FAR_FUTURE, type Harness, RICH_JSON, T0 } from "./fixtures.js";

/** A `NewAuditEvent` with every column set, overridable. */
function event(overrides: Partial<NewAuditEvent> = {}): NewAuditEvent {
  return {
    type: "member.role_change",
    at: T0,
    actorUserId: 1,
    orgId: 10,
    targetUserId: 2,
    ip: "203.0.113.7",
    userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0",
    data: { fromRoleId: 3, toRoleId: 2, toRoleName: "Admin" },
    ...overrides,
  };
}

/** Tests of the audit event table: round trip, listing by organization and by user, paging, transactions. */
export function registerAuditTests(h: Harness): void {
  it("insertAuditEvent returns the row with an id, and every field round-trips", async () => {
    const storage = h.storage();
    const input = event({ at: FAR_FUTURE, data: { ...RICH_JSON } });
    const stored = await storage.insertAuditEvent(input);
    expect(stored).toStrictEqual({ id: stored.id, ...input, data: JSON.parse(JSON.stringify(RICH_JSON)) });
    expect(Number.isSafeInteger(stored.id) && stored.id > 0).toBe(true);
    expect(await storage.listAuditEvents({ orgId: 10, limit: 10 })).toStrictEqual([stored]);
  });

  it("insertAuditEvent keeps nulls for the optional columns and needs no existing user or organization", async () => {
    const storage = h.storage();
    const input = event({ actorUserId: null, orgId: null, targetUserId: 987654, ip: null, userAgent: null, data: {} });
    const stored = await storage.insertAuditEvent(input);
    expect(stored).toStrictEqual({ id: stored.id, ...input });
    expect(await storage.listAuditEvents({ userId: 987654, limit: 10 })).toStrictEqual([stored]);
  });

  it("later inserts get larger ids", async () => {
    const storage = h.storage();
    const a = await storage.insertAuditEvent(event());
    const b = await storage.insertAuditEvent(event());
    expect(b.id).toBeGreaterThan(a.id);
  });

  it("listAuditEvents by organization: only that organization's events, newest first", async () => {
    const storage = h.storage();
    const a = await storage.insertAuditEvent(event({ orgId: 21 }));
    await storage.insertAuditEvent(event({ orgId: 22 }));
    await storage.insertAuditEvent(event({ orgId: null }));
    const c = await storage.insertAuditEvent(event({ orgId: 21, type: "member.remove" }));
    expect(await storage.listAuditEvents({ orgId: 21, limit: 10 })).toStrictEqual([c, a]);
    expect(await storage.listAuditEvents({ orgId: 23, limit: 10 })).toStrictEqual([]);
  });

  it("listAuditEvents by user: events with the user as actor or as target, each once, newest first", async () => {
    const storage = h.storage();
    const asActor = await storage.insertAuditEvent(event({ actorUserId: 31, targetUserId: 32 }));
    const asTarget = await storage.insertAuditEvent(event({ actorUserId: 32, targetUserId: 31 }));
    await storage.insertAuditEvent(event({ actorUserId: 32, targetUserId: 33 }));
    const both = await storage.insertAuditEvent(event({ actorUserId: 31, targetUserId: 31, orgId: null }));
    const failure = await storage.insertAuditEvent(event({ actorUserId: null, targetUserId: 31, orgId: null }));
    expect(await storage.listAuditEvents({ userId: 31, limit: 10 })).toStrictEqual([failure, both, asTarget, asActor]);
  });

  it("listAuditEvents pages with beforeId and limit, by organization and by user", async () => {
    const storage = h.storage();
    const all = [];
    for (let i = 0; i < 7; i++) {
      // Alternate the user's part so that pages by user interleave the actor and target indexes.
      const mine = i % 2 === 0 ? { actorUserId: 41, targetUserId: 42 } : { actorUserId: 43, targetUserId: 41 };
      all.push(await storage.insertAuditEvent(event({ orgId: 40, ...mine })));
    }
    const newestFirst = [...all].reverse();
    for (const filter of [{ orgId: 40 }, { userId: 41 }] as const) {
      const seen = [];
      let beforeId: number | undefined;
      for (;;) {
        const page = await storage.listAuditEvents({ ...filter, limit: 3, beforeId });
        expect(page.length).toBeLessThanOrEqual(3);
        seen.push(...page);
        if (page.length < 3) break;
        beforeId = page.at(-1)?.id;
      }
      expect(seen).toStrictEqual(newestFirst);
    }
    expect(await storage.listAuditEvents({ orgId: 40, limit: 2, beforeId: all[0]!.id })).toStrictEqual([]);
  });

  it("listAuditEvents with neither orgId nor userId lists every event, newest first, with paging", async () => {
    const storage = h.storage();
    const a = await storage.insertAuditEvent(event({ orgId: 61 }));
    const b = await storage.insertAuditEvent(event({ orgId: null, actorUserId: null, targetUserId: null }));
    const c = await storage.insertAuditEvent(event({ orgId: 62, actorUserId: 63 }));
    expect(await storage.listAuditEvents({ limit: 10 })).toStrictEqual([c, b, a]);
    expect(await storage.listAuditEvents({ limit: 1, beforeId: c.id })).toStrictEqual([b]);
  });

  it("an audit event written in a transaction that fails is gone with it", async () => {
    const storage = h.storage();
    await expect(
      storage.transaction(async (tx) => {
        await tx.insertAuditEvent(event({ orgId: 51 }));
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect(await storage.listAuditEvents({ orgId: 51, limit: 10 })).toStrictEqual([]);
    const kept = await storage.transaction((tx) => tx.insertAuditEvent(event({ orgId: 51 })));
    expect(await storage.listAuditEvents({ orgId: 51, limit: 10 })).toStrictEqual([kept]);
  });
}
