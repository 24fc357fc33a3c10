import { REFRESH_REPEAT_MAX_LIVE } from "@tenantauth/core";
import { expect, it } from "vitest";
import {
  DAY,
  FAR_FUTURE,
  type Harness,
  HOUR,
  MINUTE,
  newSession,
  rotate,
  signup,
  startSession,
  T0,
  tokenHash,
} from "./fixtures.js";

/** Tests of sessions: creation, lookup and every outcome of refresh-token rotation. */
export function registerSessionTests(h: Harness): void {
  it("createSession returns the stored session, not revoked, with every field; findSessionById returns the same", async () => {
    const storage = h.storage();
    const { userId } = await signup(storage);
    const input = newSession(userId, {
      createdAt: FAR_FUTURE - DAY,
      lastUsedAt: FAR_FUTURE - HOUR,
      idleExpiresAt: FAR_FUTURE - 1,
      expiresAt: FAR_FUTURE,
      ip: "2001:db8:85a3::8a2e:370:7334",
      userAgent: `Mozilla/5.0 (X11; Linux x86_64) «測試» 🦊 ${"x".repeat(400)}`,
    });
    const session = await storage.createSession({ session: input, refreshTokenHash: tokenHash() });
    const expected = { ...input, revokedAt: null, revokeReason: null, activeOrgId: null };
    expect(session).toStrictEqual(expected);
    expect(await storage.findSessionById(input.id)).toStrictEqual(expected);
  });

  it("sessions round-trip a null ip and userAgent", async () => {
    const storage = h.storage();
    const { userId } = await signup(storage);
    const { session } = await startSession(storage, userId, { ip: null, userAgent: null });
    const found = await storage.findSessionById(session.id);
    expect(found?.ip).toBeNull();
    expect(found?.userAgent).toBeNull();
  });

  it("findSessionById returns null for an unknown id", async () => {
    const storage = h.storage();
    const { userId } = await signup(storage);
    const { session } = await startSession(storage, userId);
    expect(await storage.findSessionById(`${session.id}x`)).toBeNull();
  });

  it("rotateRefreshToken with the current token returns rotated and sets lastUsedAt and idleExpiresAt, nothing else", async () => {
    const storage = h.storage();
    const { userId } = await signup(storage);
    const { session, token } = await startSession(storage, userId);
    const now = T0 + 10 * MINUTE;
    const result = await rotate(storage, token, now, { idleMs: 2 * HOUR });
    const expected = { ...session, lastUsedAt: now, idleExpiresAt: now + 2 * HOUR };
    expect(result).toStrictEqual({ status: "rotated", session: expected });
    expect(await storage.findSessionById(session.id)).toStrictEqual(expected);
  });

  it("each new token rotates in turn, generation after generation", async () => {
    const storage = h.storage();
    const { userId } = await signup(storage);
    let { token } = await startSession(storage, userId);
    for (let i = 1; i <= 4; i++) {
      const next = tokenHash();
      expect((await rotate(storage, token, T0 + i * MINUTE, { next })).status, `rotation ${i}`).toBe("rotated");
      token = next;
    }
  });

  it("rotateRefreshToken with an already rotated token returns reused and revokes the session with reason reuse", async () => {
    const storage = h.storage();
    const { userId } = await signup(storage);
    const { session, token } = await startSession(storage, userId);
    await rotate(storage, token, T0 + 1);
    const reuse = await rotate(storage, token, T0 + 2);
    const revoked = {
      ...session,
      lastUsedAt: T0 + 1,
      idleExpiresAt: T0 + 1 + HOUR,
      revokedAt: T0 + 2,
      revokeReason: "reuse",
    };
    expect(reuse).toStrictEqual({ status: "reused", session: revoked });
    expect(await storage.findSessionById(session.id)).toStrictEqual(revoked);
  });

  it("within reuseGraceMs of its rotation, a token presented again gets a sibling: the successor and the sibling both rotate", async () => {
    const storage = h.storage();
    const { userId } = await signup(storage);
    const { session, token } = await startSession(storage, userId);
    const successor = tokenHash();
    const sibling = tokenHash();
    expect((await rotate(storage, token, T0 + 1000, { next: successor, graceMs: 5000 })).status).toBe("rotated");
    const repeat = await rotate(storage, token, T0 + 6000, { next: sibling, graceMs: 5000, idleMs: 2 * HOUR });
    // The grace runs from the first spending (T0 + 1000): 5000 ms later is still inside it.
    expect(repeat).toStrictEqual({
      status: "rotated",
      session: { ...session, lastUsedAt: T0 + 6000, idleExpiresAt: T0 + 6000 + 2 * HOUR },
    });
    expect((await rotate(storage, successor, T0 + 7000, { graceMs: 5000 })).status).toBe("rotated");
    expect((await rotate(storage, sibling, T0 + 7000, { graceMs: 5000 })).status).toBe("rotated");
    expect((await storage.findSessionById(session.id))?.revokedAt).toBeNull();
  });

  it("a repeat one millisecond after the grace is reuse: the session is revoked", async () => {
    const storage = h.storage();
    const { userId } = await signup(storage);
    const { session, token } = await startSession(storage, userId);
    const successor = tokenHash();
    await rotate(storage, token, T0 + 1000, { next: successor, graceMs: 5000 });
    expect((await rotate(storage, token, T0 + 6001, { graceMs: 5000 })).status).toBe("reused");
    expect((await storage.findSessionById(session.id))?.revokeReason).toBe("reuse");
    expect((await rotate(storage, successor, T0 + 6002, { graceMs: 5000 })).status).toBe("revoked");
  });

  it("with no grace (absent or 0), an immediate repeat is reuse", async () => {
    for (const graceMs of [undefined, 0]) {
      const storage = h.storage();
      const { userId } = await signup(storage);
      const { token } = await startSession(storage, userId);
      await rotate(storage, token, T0 + 1000, graceMs === undefined ? {} : { graceMs });
      const again = await rotate(storage, token, T0 + 1000, graceMs === undefined ? {} : { graceMs });
      expect(again.status, `graceMs ${graceMs}`).toBe("reused");
    }
  });

  it("repeats within the grace stop at REFRESH_REPEAT_MAX_LIVE unspent tokens: the next one is reuse", async () => {
    const storage = h.storage();
    const { userId } = await signup(storage);
    const { session, token } = await startSession(storage, userId);
    await rotate(storage, token, T0 + 1000, { graceMs: 5000 });
    // The successor is one unspent token; each repeat adds one more, up to the cap.
    for (let live = 1; live < REFRESH_REPEAT_MAX_LIVE; live++) {
      expect((await rotate(storage, token, T0 + 1000 + live, { graceMs: 5000 })).status, `repeat ${live}`).toBe(
        "rotated",
      );
    }
    expect((await rotate(storage, token, T0 + 2000, { graceMs: 5000 })).status).toBe("reused");
    expect((await storage.findSessionById(session.id))?.revokeReason).toBe("reuse");
  });

  it("a token two rotations old is detected as reused too", async () => {
    const storage = h.storage();
    const { userId } = await signup(storage);
    const { token } = await startSession(storage, userId);
    const second = tokenHash();
    await rotate(storage, token, T0 + 1, { next: second });
    expect((await rotate(storage, second, T0 + 2)).status).toBe("rotated");
    expect((await rotate(storage, token, T0 + 3)).status).toBe("reused");
  });

  it("after a reuse, every token of the session returns revoked, and the first revocation is kept", async () => {
    const storage = h.storage();
    const { userId } = await signup(storage);
    const { session, token } = await startSession(storage, userId);
    const current = tokenHash();
    await rotate(storage, token, T0 + 1, { next: current });
    expect((await rotate(storage, token, T0 + 2)).status).toBe("reused");
    const stored = await storage.findSessionById(session.id);
    expect(await rotate(storage, current, T0 + 3)).toStrictEqual({ status: "revoked", session: stored });
    expect(await rotate(storage, token, T0 + 4)).toStrictEqual({ status: "revoked", session: stored });
    expect(await storage.findSessionById(session.id)).toStrictEqual(stored);
  });

  it("rotateRefreshToken at or past the idle deadline returns expired and changes nothing", async () => {
    const storage = h.storage();
    const { userId } = await signup(storage);
    const { session, token } = await startSession(storage, userId, { idleExpiresAt: T0 + HOUR });
    for (const now of [T0 + HOUR, T0 + HOUR + 1, T0 + 2 * DAY]) {
      expect(await rotate(storage, token, now), `at ${now - T0} ms`).toStrictEqual({ status: "expired", session });
    }
    expect(await storage.findSessionById(session.id)).toStrictEqual(session);
    expect((await rotate(storage, token, T0 + HOUR - 1)).status, "1 ms before the idle deadline").toBe("rotated");
  });

  it("rotateRefreshToken at or past the absolute deadline returns expired, even when the idle deadline is later", async () => {
    const storage = h.storage();
    const { userId } = await signup(storage);
    const { session, token } = await startSession(storage, userId, {
      idleExpiresAt: T0 + 100 * MINUTE,
      expiresAt: T0 + 2 * HOUR,
    });
    const next = tokenHash();
    // This rotation moves the idle deadline past the absolute one, which must still end the session.
    expect((await rotate(storage, token, T0 + 90 * MINUTE, { next })).status).toBe("rotated");
    const stored = await storage.findSessionById(session.id);
    expect(stored?.idleExpiresAt).toBe(T0 + 150 * MINUTE);
    expect(await rotate(storage, next, T0 + 2 * HOUR)).toStrictEqual({ status: "expired", session: stored });
    expect(await storage.findSessionById(session.id)).toStrictEqual(stored);
    expect((await rotate(storage, next, T0 + 2 * HOUR - 1)).status, "1 ms before the deadline").toBe("rotated");
  });

  it("rotateRefreshToken on a revoked session returns revoked and changes nothing", async () => {
    const storage = h.storage();
    const { userId } = await signup(storage);
    const { session, token } = await startSession(storage, userId);
    const revoked = await storage.revokeSessionByRefreshToken(token, "signout", T0 + 1);
    expect(revoked).toStrictEqual({ ...session, revokedAt: T0 + 1, revokeReason: "signout" });
    expect(await rotate(storage, token, T0 + 2)).toStrictEqual({ status: "revoked", session: revoked });
    expect(await storage.findSessionById(session.id)).toStrictEqual(revoked);
  });

  it("rotateRefreshToken with an unknown token returns not_found", async () => {
    const storage = h.storage();
    const { userId } = await signup(storage);
    await startSession(storage, userId);
    expect(await rotate(storage, tokenHash(), T0 + 1)).toStrictEqual({ status: "not_found" });
  });

  it("a reuse revokes only its own session: the user's other session still rotates", async () => {
    const storage = h.storage();
    const { userId } = await signup(storage);
    const a = await startSession(storage, userId);
    const b = await startSession(storage, userId);
    await rotate(storage, a.token, T0 + 1);
    expect((await rotate(storage, a.token, T0 + 2)).status).toBe("reused");
    expect(await storage.findSessionById(b.session.id)).toStrictEqual(b.session);
    expect((await rotate(storage, b.token, T0 + 3)).status).toBe("rotated");
  });
}
