/**
 * What a revocation record takes away:
 * - `session`: every access token of the session (sign-out, refresh-token reuse, a revoked or signed-out-everywhere
 *   session). Exact: a revoked session never issues tokens again.
 * - `user`: the user's impersonation tokens issued up to `createdAt` (a disabled user; the user's own sessions get
 *   `session` records).
 * - `membership`: the `org` claim of the user for the organization, unless it names `roleId`, the role the member
 *   holds now (null: no longer an active member). Written on removal, leaving, a role change and joining.
 * - `organization`: every `org` claim for the organization (deleted).
 */
export type RevocationKind = "session" | "user" | "membership" | "organization";

/** Input of {@link RevocationStorage.recordRevocations}. */
export interface NewRevocation {
  kind: RevocationKind;
  /** The user concerned (`session`, `user`, `membership`); null for `organization`. */
  userId: number | null;
  /** The revoked session (`session` only). */
  sessionId: string | null;
  /** The organization (`membership`, `organization`). */
  orgId: number | null;
  /** The role the member holds now (`membership`), or null when the membership ended or grants nothing. */
  roleId: number | null;
}

/** A row of the revocations table: ids ascend in insertion order (auto-increment). */
export interface RevocationRecord extends NewRevocation {
  id: number;
  /** Epoch ms, by the clock of the node that wrote it. */
  createdAt: number;
}

/** Input of {@link RevocationStorage.listRevocations}. */
export interface ListRevocationsInput {
  /** Only records with a greater id. */
  afterId: number;
  /** Only records created at or after this epoch ms. */
  since: number;
  /** At most this many, by ascending id. */
  limit: number;
}

/**
 * Revocation records: a small shared log that every node polls (records with an id above the last one it saw),
 * so that a sign-out, a disabled user or a role change reaches access tokens checked on any node within seconds.
 */
export interface RevocationStorage {
  /** Appends the records, in order, with `createdAt = now`. Part of the caller's transaction when given one. */
  recordRevocations(records: NewRevocation[], now: number): Promise<void>;
  /** Records with `id > afterId` and `createdAt >= since`, by ascending id, at most `limit`. One indexed query. */
  listRevocations(input: ListRevocationsInput): Promise<RevocationRecord[]>;
  /** Deletes records created before `before` (they outlived every token they could concern). Returns how many. */
  pruneRevocations(before: number): Promise<number>;
}
