import { describe, expect, it } from "vitest";
import { isAuthError } from "../errors.js";
import type {
  ListRevocationsInput,
  NewRevocation,
  RevocationRecord,
  RevocationStorage,
} from "../ports/revocation-storage.js";
import type { UserPrincipal } from "./access-token.js";
import { createRevocationCache, REVOCATION_CLOCK_MARGIN_MS } from "./revocation-cache.js";
import { membershipRevocation, organizationRevocation, sessionRevocation, userRevocation } from "./revocations.js";

/**
 * The revocation log as several nodes see it, scripted. The real storages cannot be made to commit a lower id after
 * a higher one on demand (only MySQL/PostgreSQL with two held transactions can, see test/revocation.test.ts), nor
 * to hold 10,000-id jumps cheaply, so this fake of the narrow port plays the database: `reserve()` takes an id
 * for a transaction still in flight, `commit()` makes it visible later; every query is kept for inspection.
 */
class ScriptedLog implements RevocationStorage {
  private readonly rows = new Map<number, RevocationRecord>();
  private nextId = 1;
  readonly queries: ListRevocationsInput[] = [];
  readonly prunes: number[] = [];
  pruneFails = false;

  /** An id taken by a transaction that has not committed yet. */
  reserve(): number {
    return this.nextId++;
  }
  /** Commits `record` under the reserved `id` (created at `at`, by the writing node's clock). */
  commit(id: number, record: NewRevocation, at: number): void {
    this.rows.set(id, { ...record, id, createdAt: at });
  }
  /** Writes and commits one record at once; returns its id. */
  write(record: NewRevocation, at: number): number {
    const id = this.reserve();
    this.commit(id, record, at);
    return id;
  }
  /** Moves the next id on (ids taken by rolled-back or pruned transactions). */
  skipTo(id: number): void {
    this.nextId = id;
  }
  async recordRevocations(records: NewRevocation[], now: number): Promise<void> {
    for (const r of records) this.write(r, now);
  }
  async listRevocations(input: ListRevocationsInput): Promise<RevocationRecord[]> {
    this.queries.push(input);
    return [...this.rows.values()]
      .filter((r) => r.id > input.afterId && r.createdAt >= input.since)
      .sort((a, b) => a.id - b.id)
      .slice(0, input.limit);
  }
  async pruneRevocations(before: number): Promise<number> {
    this.prunes.push(before);
    if (this.pruneFails) throw new Error("database down");
    return 0;
  }
  /** The `afterId` of each query so far. */
  cursors(): number[] {
    return this.queries.map((q) => q.afterId);
  }
}

const T0 = 1_800_000_000_000;
/** One hour and five seconds, as for the default token lifetimes. */
const KEEP = 3_605_000;

function setup(keepMs = KEEP) {
  const log = new ScriptedLog();
  const cache = createRevocationCache({ storage: log, clock: { now: () => T0 }, refreshMs: 0, keepMs });
  /** Whether the cache lets `p` through (false: TOKEN_EXPIRED). */
  const live = (p: UserPrincipal): boolean => {
    try {
      cache.assertLive(p);
      return true;
    } catch (error) {
      if (isAuthError(error) && error.code === "TOKEN_EXPIRED") return false;
      throw error;
    }
  };
  return { log, cache, live, poll: (now: number) => cache.refresh(now) };
}

interface TokenOptions {
  userId?: number;
  sessionId?: string;
  issuedAt?: number;
  impersonatorId?: number;
  org?: { id: number; roleId: number };
}

/** An access token's principal. */
function token(options: TokenOptions = {}): UserPrincipal {
  const issuedAt = options.issuedAt ?? T0;
  return {
    kind: "user",
    userId: options.userId ?? 7,
    email: "ada@acme.test",
    sessionId: options.sessionId ?? "other-session",
    issuedAt,
    expiresAt: issuedAt + 900_000,
    ...(options.impersonatorId !== undefined ? { impersonatorId: options.impersonatorId } : {}),
    ...(options.org
      ? { activeOrganization: { id: options.org.id, role: { id: options.org.roleId, name: "r", permissions: [] } } }
      : {}),
  };
}

describe("createRevocationCache: what each record takes away", () => {
  /** A record carrying every field, so that only its kind can decide what it revokes. */
  const full = (kind: string): NewRevocation =>
    ({ kind, userId: 7, sessionId: "s1", orgId: 3, roleId: 2 }) as unknown as NewRevocation;
  const probes = {
    /** A plain token of the session s1. */
    session: token({ sessionId: "s1" }),
    /** An impersonation token of user 7, issued when the record was written. */
    impersonation: token({ impersonatorId: 1 }),
    /** User 7's claim for organization 3 with a role other than 2. */
    otherRole: token({ org: { id: 3, roleId: 9 } }),
    /** User 7's claim for organization 3 with role 2. */
    sameRole: token({ org: { id: 3, roleId: 2 } }),
    /** User 8's claim for organization 3 with role 2. */
    otherMember: token({ userId: 8, sessionId: "s8", org: { id: 3, roleId: 2 } }),
  };
  type Probe = keyof typeof probes;

  it.each<[string, Probe[]]>([
    ["session", ["session"]],
    ["user", ["impersonation"]],
    ["membership", ["otherRole"]],
    ["organization", ["otherRole", "sameRole", "otherMember"]],
    // A kind written by a newer version of the library (a rolling upgrade) is ignored, whatever fields it carries.
    ["unknown", []],
  ])("a %s record with every field set refuses exactly %j", async (kind, refused) => {
    const { log, live, poll } = setup();
    log.write(full(kind), T0);
    await poll(T0);
    for (const [name, principal] of Object.entries(probes)) {
      expect({ name, live: live(principal) }).toEqual({ name, live: !refused.includes(name as Probe) });
    }
  });

  it("records as written by this library: session, user, membership with a role or none, organization", async () => {
    const { log, live, poll } = setup();
    log.write(sessionRevocation(7, "s1"), T0);
    log.write(userRevocation(8), T0);
    log.write(membershipRevocation(3, 7, 2), T0);
    log.write(membershipRevocation(3, 9, null), T0);
    log.write(organizationRevocation(4), T0);
    await poll(T0);
    expect(live(token({ sessionId: "s1" }))).toBe(false);
    expect(live(token({ sessionId: "s2" }))).toBe(true);
    expect(live(token({ userId: 8, impersonatorId: 1 }))).toBe(false);
    expect(live(token({ userId: 8 }))).toBe(true);
    expect(live(token({ userId: 7, impersonatorId: 1 }))).toBe(true);
    expect(live(token({ org: { id: 3, roleId: 2 } }))).toBe(true);
    expect(live(token({ org: { id: 3, roleId: 1 } }))).toBe(false);
    expect(live(token({ userId: 9, org: { id: 3, roleId: 2 } }))).toBe(false);
    expect(live(token({ userId: 10, org: { id: 3, roleId: 2 } }))).toBe(true);
    expect(live(token({ org: { id: 4, roleId: 2 } }))).toBe(false);
    expect(live(token({ org: { id: 5, roleId: 2 } }))).toBe(true);
  });

  it("a user record refuses impersonation tokens issued up to 5 s after it (clocks differ), not later ones", async () => {
    const { log, live, poll } = setup();
    const disabledAt = T0 + 10_000;
    log.write(userRevocation(7), disabledAt);
    // Another node with a slower clock writes an older time afterwards: the latest time still counts.
    log.write(userRevocation(7), T0);
    await poll(disabledAt);
    expect(live(token({ impersonatorId: 1, issuedAt: disabledAt - 60_000 }))).toBe(false);
    expect(live(token({ impersonatorId: 1, issuedAt: disabledAt + REVOCATION_CLOCK_MARGIN_MS }))).toBe(false);
    expect(live(token({ impersonatorId: 1, issuedAt: disabledAt + REVOCATION_CLOCK_MARGIN_MS + 1 }))).toBe(true);
    // The user's own tokens are refused by session records, not by this one.
    expect(live(token({ issuedAt: disabledAt - 60_000 }))).toBe(true);
  });
});

describe("createRevocationCache: reading the log across nodes", () => {
  it("reads only the ids above the last one seen, at every poll", async () => {
    const { log, live, poll } = setup();
    await poll(T0);
    log.write(sessionRevocation(7, "s1"), T0);
    await poll(T0 + 1);
    log.write(sessionRevocation(7, "s2"), T0 + 1);
    await poll(T0 + 2);
    await poll(T0 + 3);
    expect(log.cursors()).toEqual([0, 0, 1, 2]);
    expect(log.queries.map((q) => q.since)).toEqual([T0 - KEEP, T0 + 1 - KEEP, T0 + 2 - KEEP, T0 + 3 - KEEP]);
    expect([live(token({ sessionId: "s1" })), live(token({ sessionId: "s2" }))]).toEqual([false, false]);
  });

  it("a record committed after a later one is applied when it arrives: the node asks again from the missing id", async () => {
    const { log, live, poll } = setup();
    log.write(sessionRevocation(7, "s0"), T0);
    await poll(T0);
    const slow = log.reserve(); // id 2: a transaction still in flight
    log.write(sessionRevocation(7, "s3"), T0); // id 3 commits first
    await poll(T0 + 1_000);
    expect([live(token({ sessionId: "s2" })), live(token({ sessionId: "s3" }))]).toEqual([true, false]);
    log.commit(slow, sessionRevocation(7, "s2"), T0);
    await poll(T0 + 2_000);
    expect(live(token({ sessionId: "s2" }))).toBe(false);
    // Nothing is awaited any more: back to the ids above the highest.
    await poll(T0 + 3_000);
    expect(log.cursors()).toEqual([0, 1, 1, 3]);
  });

  it("waits for a missing id several records below the highest too", async () => {
    const { log, live, poll } = setup();
    log.write(sessionRevocation(7, "s0"), T0); // 1
    await poll(T0);
    const slow = log.reserve(); // 2
    for (let i = 3; i <= 9; i++) log.write(sessionRevocation(7, `s${i}`), T0);
    await poll(T0 + 1_000);
    await poll(T0 + 2_000);
    expect(log.cursors()).toEqual([0, 1, 1]);
    log.commit(slow, sessionRevocation(7, "s2"), T0);
    await poll(T0 + 3_000);
    expect(live(token({ sessionId: "s2" }))).toBe(false);
    await poll(T0 + 4_000);
    expect(log.cursors()).toEqual([0, 1, 1, 1, 9]);
  });

  it("a membership record committed late wins over a later id already read: commits follow the membership's lock", async () => {
    // Two role changes of one member serialize on the membership row: the transaction that commits last wrote the
    // role the member holds, even if it took the lower revocation id before waiting for the lock.
    const { log, live, poll } = setup();
    log.write(sessionRevocation(7, "s0"), T0);
    await poll(T0);
    const slow = log.reserve();
    log.write(membershipRevocation(3, 7, 5), T0);
    await poll(T0 + 1_000);
    expect([live(token({ org: { id: 3, roleId: 5 } })), live(token({ org: { id: 3, roleId: 4 } }))]).toEqual([
      true,
      false,
    ]);
    log.commit(slow, membershipRevocation(3, 7, 4), T0 + 500);
    await poll(T0 + 2_000);
    expect([live(token({ org: { id: 3, roleId: 5 } })), live(token({ org: { id: 3, roleId: 4 } }))]).toEqual([
      false,
      true,
    ]);
  });

  it("the first read awaits ids skipped between its records, not those below its first (pruned or too old)", async () => {
    const { log, live, poll } = setup();
    log.skipTo(5);
    log.write(sessionRevocation(7, "s5"), T0); // 5
    const slow = log.reserve(); // 6
    log.write(sessionRevocation(7, "s7"), T0); // 7
    await poll(T0);
    expect(log.cursors()).toEqual([0]);
    await poll(T0 + 1_000);
    expect(log.cursors()).toEqual([0, 5]);
    log.commit(slow, sessionRevocation(7, "s6"), T0);
    await poll(T0 + 2_000);
    expect(live(token({ sessionId: "s6" }))).toBe(false);
    await poll(T0 + 3_000);
    expect(log.cursors()).toEqual([0, 5, 5, 7]);
  });

  it("after a first read that found nothing, ids skipped before the first record are awaited", async () => {
    const { log, live, poll } = setup();
    await poll(T0);
    const slow = log.reserve(); // 1
    log.write(sessionRevocation(7, "s2"), T0); // 2
    await poll(T0 + 1_000);
    log.commit(slow, sessionRevocation(7, "s1"), T0);
    await poll(T0 + 2_000);
    expect(live(token({ sessionId: "s1" }))).toBe(false);
    expect(log.cursors()).toEqual([0, 0, 0]);
  });

  it("a missing id is awaited for 60 s after it was first missed; a record committing later is not read", async () => {
    const { log, live, poll } = setup();
    log.write(sessionRevocation(7, "s0"), T0);
    await poll(T0);
    const slow = log.reserve(); // 2
    log.write(sessionRevocation(7, "s3"), T0); // 3
    await poll(T0 + 1_000); // the gap is found
    await poll(T0 + 61_000); // 60 s: still awaited
    await poll(T0 + 61_001); // past 60 s: given up after this read
    log.commit(slow, sessionRevocation(7, "s2"), T0);
    await poll(T0 + 62_000);
    expect(log.cursors()).toEqual([0, 1, 1, 1, 3]);
    expect(live(token({ sessionId: "s2" }))).toBe(true);
  });

  it("a record committing exactly 60 s after its id was missed is still read", async () => {
    const { log, live, poll } = setup();
    log.write(sessionRevocation(7, "s0"), T0);
    await poll(T0);
    const slow = log.reserve(); // 2
    log.write(sessionRevocation(7, "s3"), T0); // 3
    await poll(T0 + 1_000);
    await poll(T0 + 61_000);
    log.commit(slow, sessionRevocation(7, "s2"), T0);
    await poll(T0 + 61_001);
    expect(live(token({ sessionId: "s2" }))).toBe(false);
  });

  it("awaits at most 10,000 missing ids: a longer jump is not waited for", async () => {
    const { log, live, poll } = setup();
    log.write(sessionRevocation(7, "s1"), T0); // 1
    await poll(T0);
    const late = 5_000;
    log.skipTo(10_002); // ids 2..10001 (10,000) skipped
    log.write(sessionRevocation(7, "s10002"), T0);
    await poll(T0 + 1_000);
    log.commit(late, sessionRevocation(7, "late"), T0);
    await poll(T0 + 2_000);
    expect(live(token({ sessionId: "late" }))).toBe(false);
    expect(log.cursors()).toEqual([0, 1, 1]);

    const { log: log2, live: live2, poll: poll2 } = setup();
    log2.write(sessionRevocation(7, "s1"), T0); // 1
    await poll2(T0);
    log2.skipTo(10_003); // ids 2..10002 (10,001) skipped
    log2.write(sessionRevocation(7, "s10003"), T0);
    await poll2(T0 + 1_000);
    log2.commit(late, sessionRevocation(7, "late"), T0);
    await poll2(T0 + 2_000);
    expect(live2(token({ sessionId: "late" }))).toBe(true);
    expect(log2.cursors()).toEqual([0, 1, 10_003]);
  });

  it("the 10,000 awaited ids include those already awaited", async () => {
    const { log, live, poll } = setup();
    log.write(sessionRevocation(7, "s1"), T0); // 1
    await poll(T0);
    const slow = log.reserve(); // 2: awaited
    log.write(sessionRevocation(7, "s3"), T0); // 3
    await poll(T0 + 1_000);
    log.skipTo(10_004); // ids 4..10003 (10,000 more) skipped: one too many
    log.write(sessionRevocation(7, "s10004"), T0);
    await poll(T0 + 2_000);
    log.commit(5_000, sessionRevocation(7, "late"), T0);
    log.commit(slow, sessionRevocation(7, "s2"), T0);
    await poll(T0 + 3_000);
    expect([live(token({ sessionId: "s2" })), live(token({ sessionId: "late" }))]).toEqual([false, true]);
  });

  it("reads page by page (500 rows) to the end of the log in one refresh, one query per page", async () => {
    const { log, live, poll } = setup();
    for (let i = 1; i <= 1_200; i++) log.write(sessionRevocation(7, `s${i}`), T0);
    await poll(T0);
    expect(log.queries.map((q) => [q.afterId, q.limit])).toEqual([
      [0, 500],
      [500, 500],
      [1_000, 500],
    ]);
    expect([live(token({ sessionId: "s1" })), live(token({ sessionId: "s1200" }))]).toEqual([false, false]);
    // A log of exactly two pages ends with an empty one.
    const { log: log2, live: live2, poll: poll2 } = setup();
    for (let i = 1; i <= 1_000; i++) log2.write(sessionRevocation(7, `s${i}`), T0);
    await poll2(T0);
    expect(log2.cursors()).toEqual([0, 500, 1_000]);
    expect(live2(token({ sessionId: "s1000" }))).toBe(false);
  });
});

describe("createRevocationCache: forgetting and pruning", () => {
  const keyed = {
    session: sessionRevocation(7, "s1"),
    user: userRevocation(7),
    membership: membershipRevocation(3, 7, null),
    organization: organizationRevocation(4),
  };
  const probes = {
    session: token({ sessionId: "s1" }),
    user: token({ impersonatorId: 1 }),
    membership: token({ org: { id: 3, roleId: 2 } }),
    organization: token({ userId: 8, org: { id: 4, roleId: 2 } }),
  };

  it.each(Object.keys(keyed) as (keyof typeof keyed)[])(
    "a %s record is kept for keepMs after its time, then forgotten",
    async (kind) => {
      const { log, live, poll } = setup();
      log.write(keyed[kind], T0);
      await poll(T0);
      await poll(T0 + KEEP);
      expect(live(probes[kind])).toBe(false);
      await poll(T0 + KEEP + 1);
      expect(live(probes[kind])).toBe(true);
    },
  );

  it("prunes the log every 10 minutes, of records older than keepMs plus an hour; a failed prune is not an error", async () => {
    const { log, poll } = setup();
    await poll(T0);
    await poll(T0 + 600_000 - 1);
    expect(log.prunes).toEqual([]);
    log.pruneFails = true;
    await poll(T0 + 600_000);
    expect(log.prunes).toEqual([T0 + 600_000 - KEEP - 3_600_000]);
    await poll(T0 + 1_200_000 - 1);
    expect(log.prunes).toHaveLength(1);
    await poll(T0 + 1_200_000);
    expect(log.prunes).toEqual([T0 + 600_000 - KEEP - 3_600_000, T0 + 1_200_000 - KEEP - 3_600_000]);
  });
});
