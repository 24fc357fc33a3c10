import { AuthError } from "../errors.js";
import type { Clock } from "../ports/clock.js";
import type { RevocationRecord, RevocationStorage } from "../ports/revocation-storage.js";
import type { UserPrincipal } from "./access-token.js";

/** Settings of {@link createRevocationCache}. */
export interface RevocationCacheSettings {
  storage: RevocationStorage;
  clock: Clock;
  /** Poll interval in ms; 0 = poll on every check. */
  refreshMs: number;
  /** How long a record matters: the longest token lifetime plus the clock margin. */
  keepMs: number;
}

/**
 * This node's copy of the revocation records of the last `keepMs`: refreshed from storage at most every
 * `refreshMs` (one query for the records with an id above the last seen), then checked with map lookups only.
 */
export interface RevocationCache {
  /** True when the copy is older than the poll interval (then `refresh()` before `assertLive()`). */
  stale(now: number): boolean;
  /** Reads new records from storage; concurrent calls share one query. */
  refresh(now: number): Promise<void>;
  /** Throws `TOKEN_EXPIRED` when a record takes away the token, or its `org` claim. Synchronous. */
  assertLive(principal: UserPrincipal): void;
  /** Makes the next check poll (after a revocation written on this node). */
  expire(): void;
}

/**
 * Clocks of nodes differ: a `user` record revokes impersonation tokens issued up to this long after its time (a
 * disabled user cannot be impersonated, so erring late costs nothing but a retry after re-enabling).
 */
export const REVOCATION_CLOCK_MARGIN_MS = 5_000;

/** How long an id missing from the log is waited for: a transaction that wrote it may commit after a later one. */
const GAP_WAIT_MS = 60_000;
const MAX_GAPS = 10_000;
const PAGE = 500;
/** Each node deletes records older than `keepMs` (plus an hour) at most this often, in the background. */
const PRUNE_EVERY_MS = 10 * 60_000;

const revoked = (): AuthError =>
  new AuthError("TOKEN_EXPIRED", "Access token is no longer valid (revoked or outdated): refresh it");

/** Builds the per-node revocation cache. */
export function createRevocationCache(settings: RevocationCacheSettings): RevocationCache {
  const { storage, refreshMs, keepMs } = settings;
  // The maps are keyed by the fields a record's kind names. A record lacking one (this library never writes such a
  // record) lands under a null key, which no token has: it takes nothing away.
  /** Revoked session id → record time. */
  const sessions = new Map<string | null, number>();
  /** User id → latest `user` record time (for impersonation tokens). */
  const users = new Map<number | null, number>();
  /** `orgId:userId` → the role the member holds now (null: none), and the record time. */
  const memberships = new Map<string, { roleId: number | null; at: number }>();
  /** Deleted organization id → record time. */
  const organizations = new Map<number | null, number>();
  /** Ids skipped by the log that a slower transaction may still commit → when first missed (local clock). */
  const gaps = new Map<number, number>();
  let high = 0;
  /** After the first read, every id above `high` that a later read skips may still be in flight. */
  let loaded = false;
  let polledAt = Number.NEGATIVE_INFINITY;
  let inFlight: Promise<void> | undefined;
  let prunedAt: number | undefined;

  const apply = (r: RevocationRecord): void => {
    if (r.kind === "session") sessions.set(r.sessionId, r.createdAt);
    else if (r.kind === "user") users.set(r.userId, Math.max(users.get(r.userId) ?? 0, r.createdAt));
    else if (r.kind === "membership") memberships.set(`${r.orgId}:${r.userId}`, { roleId: r.roleId, at: r.createdAt });
    else if (r.kind === "organization") organizations.set(r.orgId, r.createdAt);
  };

  const take = (r: RevocationRecord, now: number): void => {
    if (r.id > high) {
      const skipped = r.id - high - 1;
      if ((loaded || high > 0) && skipped <= MAX_GAPS - gaps.size)
        for (let g = high + 1; g < r.id; g++) gaps.set(g, now);
      high = r.id;
      apply(r);
    } else if (gaps.delete(r.id)) {
      apply(r);
    }
  };

  const forgetOld = (now: number): void => {
    const before = now - keepMs;
    for (const [id, at] of gaps) if (now - at > GAP_WAIT_MS) gaps.delete(id);
    for (const [key, at] of sessions) if (at < before) sessions.delete(key);
    for (const [key, at] of users) if (at < before) users.delete(key);
    for (const [key, value] of memberships) if (value.at < before) memberships.delete(key);
    for (const [key, at] of organizations) if (at < before) organizations.delete(key);
  };

  const poll = async (now: number): Promise<void> => {
    const since = now - keepMs;
    // From the oldest id still awaited (rows seen again are skipped), page by page to the end of the log.
    let cursor = gaps.size > 0 ? Math.min(high, ...gaps.keys()) - 1 : high;
    for (;;) {
      const rows = await storage.listRevocations({ afterId: cursor, since, limit: PAGE });
      for (const row of rows) {
        take(row, now);
        cursor = row.id;
      }
      if (rows.length < PAGE) break;
    }
    forgetOld(now);
    loaded = true;
    polledAt = now;
    prunedAt ??= now;
    if (now - prunedAt >= PRUNE_EVERY_MS) {
      prunedAt = now;
      // Best effort: a failed prune is tried again at the next turn; old records only cost space.
      storage.pruneRevocations(now - keepMs - 3_600_000).catch(() => undefined);
    }
  };

  return {
    stale: (now) => now - polledAt >= refreshMs,
    refresh(now) {
      inFlight ??= poll(now).finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
    assertLive(principal) {
      if (sessions.has(principal.sessionId)) throw revoked();
      if (principal.impersonatorId !== undefined) {
        const disabledAt = users.get(principal.userId) ?? Number.NEGATIVE_INFINITY;
        if (principal.issuedAt <= disabledAt + REVOCATION_CLOCK_MARGIN_MS) throw revoked();
      }
      const claim = principal.activeOrganization;
      if (claim === undefined) return;
      if (organizations.has(claim.id)) throw revoked();
      const current = memberships.get(`${claim.id}:${principal.userId}`);
      if (current !== undefined && current.roleId !== claim.role.id) throw revoked();
    },
    expire() {
      polledAt = Number.NEGATIVE_INFINITY;
    },
  };
}
