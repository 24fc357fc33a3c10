import { expect, it } from "vitest";
import { type Harness, HOUR, rotate, signup, startSession, T0, tokenHash } from "./fixtures.js";

/** Tests of sign-out style revocation: by refresh token and for every session of a user. */
export function registerRevocationTests(h: Harness): void {
  it("revokeSessionByRefreshToken with the current token revokes the session with the reason and time given", async () => {
    const storage = h.storage();
    const { userId } = await signup(storage);
    const { session, token } = await startSession(storage, userId);
    const expected = { ...session, revokedAt: T0 + 5, revokeReason: "signout" };
    expect(await storage.revokeSessionByRefreshToken(token, "signout", T0 + 5)).toStrictEqual(expected);
    expect(await storage.findSessionById(session.id)).toStrictEqual(expected);
  });

  it("revokeSessionByRefreshToken with an already rotated token revokes the session too", async () => {
    const storage = h.storage();
    const { userId } = await signup(storage);
    const { session, token } = await startSession(storage, userId);
    const current = tokenHash();
    await rotate(storage, token, T0 + 1, { next: current });
    const revoked = await storage.revokeSessionByRefreshToken(token, "signout", T0 + 2);
    expect(revoked).toStrictEqual({
      ...session,
      lastUsedAt: T0 + 1,
      idleExpiresAt: T0 + 1 + HOUR,
      revokedAt: T0 + 2,
      revokeReason: "signout",
    });
    expect((await rotate(storage, current, T0 + 3)).status).toBe("revoked");
  });

  it("revokeSessionByRefreshToken returns null for an unknown token and changes no session", async () => {
    const storage = h.storage();
    const { userId } = await signup(storage);
    const { session } = await startSession(storage, userId);
    expect(await storage.revokeSessionByRefreshToken(tokenHash(), "signout", T0 + 1)).toBeNull();
    expect(await storage.findSessionById(session.id)).toStrictEqual(session);
  });

  it("revoking a revoked session again keeps its first revokedAt and reason", async () => {
    const storage = h.storage();
    const { userId } = await signup(storage);
    const { session, token } = await startSession(storage, userId);
    const first = await storage.revokeSessionByRefreshToken(token, "signout", T0 + 1);
    const again = await storage.revokeSessionByRefreshToken(token, "password_change", T0 + 2);
    const expected = { ...session, revokedAt: T0 + 1, revokeReason: "signout" };
    expect(first).toStrictEqual(expected);
    expect(again).toStrictEqual(expected);
    expect(await storage.findSessionById(session.id)).toStrictEqual(expected);
  });

  it("revoking a session that a reuse revoked keeps the reason reuse", async () => {
    const storage = h.storage();
    const { userId } = await signup(storage);
    const { session, token } = await startSession(storage, userId);
    await rotate(storage, token, T0 + 1);
    await rotate(storage, token, T0 + 2);
    const revoked = await storage.revokeSessionByRefreshToken(token, "signout", T0 + 3);
    expect(revoked?.revokeReason).toBe("reuse");
    expect(revoked?.revokedAt).toBe(T0 + 2);
    expect(await storage.findSessionById(session.id)).toStrictEqual(revoked);
  });

  it("revokeUserSessions revokes every live session of the user, returns how many, and leaves other users alone", async () => {
    const storage = h.storage();
    const alice = await signup(storage);
    const bob = await signup(storage);
    const sessions = [
      await startSession(storage, alice.userId),
      await startSession(storage, alice.userId),
      await startSession(storage, alice.userId),
    ];
    const bobs = await startSession(storage, bob.userId);
    expect(await storage.revokeUserSessions(alice.userId, "password_change", T0 + 7)).toBe(3);
    for (const { session, token } of sessions) {
      const stored = await storage.findSessionById(session.id);
      expect(stored).toStrictEqual({ ...session, revokedAt: T0 + 7, revokeReason: "password_change" });
      expect((await rotate(storage, token, T0 + 8)).status).toBe("revoked");
    }
    expect(await storage.findSessionById(bobs.session.id)).toStrictEqual(bobs.session);
    expect((await rotate(storage, bobs.token, T0 + 8)).status).toBe("rotated");
  });

  it("revokeUserSessions keeps exceptSessionId live and does not count it", async () => {
    const storage = h.storage();
    const { userId } = await signup(storage);
    const kept = await startSession(storage, userId);
    const others = [await startSession(storage, userId), await startSession(storage, userId)];
    const count = await storage.revokeUserSessions(userId, "signout_all", T0 + 1, { exceptSessionId: kept.session.id });
    expect(count).toBe(2);
    expect(await storage.findSessionById(kept.session.id)).toStrictEqual(kept.session);
    expect((await rotate(storage, kept.token, T0 + 2)).status).toBe("rotated");
    for (const { session } of others) expect((await storage.findSessionById(session.id))?.revokedAt).toBe(T0 + 1);
  });

  it("revokeUserSessions neither counts nor changes sessions revoked earlier", async () => {
    const storage = h.storage();
    const { userId } = await signup(storage);
    const earlier = await startSession(storage, userId);
    await startSession(storage, userId);
    const revoked = await storage.revokeSessionByRefreshToken(earlier.token, "signout", T0 + 1);
    expect(await storage.revokeUserSessions(userId, "user_disabled", T0 + 2)).toBe(1);
    expect(await storage.findSessionById(earlier.session.id)).toStrictEqual(revoked);
    expect(await storage.revokeUserSessions(userId, "user_disabled", T0 + 3)).toBe(0);
  });

  it("revokeUserSessions returns 0 for a user without sessions", async () => {
    const storage = h.storage();
    const { userId } = await signup(storage);
    const other = await signup(storage);
    const { session } = await startSession(storage, other.userId);
    expect(await storage.revokeUserSessions(userId, "signout_all", T0 + 1)).toBe(0);
    expect(await storage.findSessionById(session.id)).toStrictEqual(session);
  });
}
