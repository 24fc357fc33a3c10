import { expect, it } from "vitest";
import { DAY, type Harness, HOUR, rotate, signup, startSession, T0 } from "./fixtures.js";

/** Tests of the sessions page: listing a user's live sessions and revoking one by id. */
export function registerSessionListingTests(h: Harness): void {
  it("listLiveSessions lists the user's live sessions, most recently used first, with ip and user agent", async () => {
    const storage = h.storage();
    const { userId } = await signup(storage);
    const other = await signup(storage);
    const older = await startSession(storage, userId, { ip: "198.51.100.1", userAgent: "curl/8.5.0" });
    const newer = await startSession(storage, userId, { createdAt: T0 + 1, lastUsedAt: T0 + 1 });
    await startSession(storage, other.userId);
    expect(await storage.listLiveSessions(userId, T0 + 2)).toStrictEqual([newer.session, older.session]);
    await rotate(storage, older.token, T0 + 3);
    const listed = await storage.listLiveSessions(userId, T0 + 4);
    expect(listed.map((s) => s.id)).toStrictEqual([older.session.id, newer.session.id]);
    expect(listed[0]).toMatchObject({ lastUsedAt: T0 + 3, ip: "198.51.100.1", userAgent: "curl/8.5.0" });
  });

  it("listLiveSessions leaves out revoked, idle-expired and expired sessions", async () => {
    const storage = h.storage();
    const { userId } = await signup(storage);
    const live = await startSession(storage, userId, { idleExpiresAt: T0 + 2 * HOUR });
    const revoked = await startSession(storage, userId);
    await storage.revokeSessionByRefreshToken(revoked.token, "signout", T0 + 1);
    await startSession(storage, userId, { idleExpiresAt: T0 + HOUR });
    await startSession(storage, userId, { idleExpiresAt: T0 + 2 * DAY, expiresAt: T0 + HOUR });
    expect(await storage.listLiveSessions(userId, T0 + HOUR)).toStrictEqual([live.session]);
    expect(await storage.listLiveSessions(userId + 1_000_000, T0)).toStrictEqual([]);
  });

  it("revokeSession revokes one live session of the user with the reason and time, and no other", async () => {
    const storage = h.storage();
    const { userId } = await signup(storage);
    const target = await startSession(storage, userId);
    const kept = await startSession(storage, userId);
    expect(await storage.revokeSession(userId, target.session.id, "user_revoked", T0 + 5)).toBe(true);
    expect(await storage.findSessionById(target.session.id)).toStrictEqual({
      ...target.session,
      revokedAt: T0 + 5,
      revokeReason: "user_revoked",
    });
    expect(await storage.findSessionById(kept.session.id)).toStrictEqual(kept.session);
    expect((await rotate(storage, target.token, T0 + 6)).status).toBe("revoked");
  });

  it("revokeSession refuses another user's session, an unknown id, and a dead session, changing nothing", async () => {
    const storage = h.storage();
    const alice = await signup(storage);
    const bob = await signup(storage);
    const bobs = await startSession(storage, bob.userId);
    expect(await storage.revokeSession(alice.userId, bobs.session.id, "user_revoked", T0 + 1)).toBe(false);
    expect(await storage.findSessionById(bobs.session.id)).toStrictEqual(bobs.session);
    expect(await storage.revokeSession(alice.userId, "no-such-session", "user_revoked", T0 + 1)).toBe(false);
    const first = await storage.revokeSession(bob.userId, bobs.session.id, "signout", T0 + 2);
    expect(first).toBe(true);
    expect(await storage.revokeSession(bob.userId, bobs.session.id, "user_revoked", T0 + 3)).toBe(false);
    expect((await storage.findSessionById(bobs.session.id))?.revokeReason).toBe("signout");
    const expired = await startSession(storage, bob.userId, { idleExpiresAt: T0 + HOUR });
    expect(await storage.revokeSession(bob.userId, expired.session.id, "user_revoked", T0 + HOUR)).toBe(false);
    expect((await storage.findSessionById(expired.session.id))?.revokedAt).toBeNull();
  });
}
