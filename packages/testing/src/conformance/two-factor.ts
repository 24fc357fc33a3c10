import { expect, it } from "vitest";
import { type Harness, MINUTE, signup, T0, tokenHash } from "./fixtures.js";

/** Tests of two-factor storage: enrolments, replay protection, backup codes and challenges. */
export function registerTwoFactorTests(h: Harness): void {
  it("a pending enrolment is replaced until enabled; enabling records the step and the backup codes", async () => {
    const storage = h.storage();
    const { userId } = await signup(storage);
    expect(await storage.findTwoFactor(userId)).toBeNull();
    expect(await storage.savePendingTwoFactor(userId, "v1.first", T0)).toBe(true);
    expect(await storage.savePendingTwoFactor(userId, "v1.second", T0 + 1)).toBe(true);
    expect(await storage.findTwoFactor(userId)).toStrictEqual({
      userId,
      sealedSecret: "v1.second",
      enabledAt: null,
      lastUsedStep: null,
      createdAt: T0 + 1,
      updatedAt: T0 + 1,
    });
    const codes = [tokenHash(), tokenHash()];
    expect(await storage.enableTwoFactor({ userId, step: 100, backupCodeHashes: codes, now: T0 + 2 })).toBe(true);
    expect(await storage.enableTwoFactor({ userId, step: 101, backupCodeHashes: [tokenHash()], now: T0 + 3 })).toBe(
      false,
    );
    expect(await storage.findTwoFactor(userId)).toMatchObject({ enabledAt: T0 + 2, lastUsedStep: 100 });
    expect(await storage.countBackupCodes(userId)).toBe(2);
    expect(await storage.savePendingTwoFactor(userId, "v1.third", T0 + 4)).toBe(false);
    expect((await storage.findTwoFactor(userId))?.sealedSecret).toBe("v1.second");
  });

  it("recordTotpStep accepts only newer steps; concurrent calls with one step have one winner", async () => {
    const storage = h.storage();
    const { userId } = await signup(storage);
    expect(await storage.recordTotpStep(userId, 5, T0)).toBe(false); // no enrolment
    await storage.savePendingTwoFactor(userId, "v1.s", T0);
    await storage.enableTwoFactor({ userId, step: 10, backupCodeHashes: [], now: T0 });
    expect(await storage.recordTotpStep(userId, 10, T0)).toBe(false);
    expect(await storage.recordTotpStep(userId, 9, T0)).toBe(false);
    const results = await Promise.all(Array.from({ length: 5 }, () => storage.recordTotpStep(userId, 11, T0 + 1)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect((await storage.findTwoFactor(userId))?.lastUsedStep).toBe(11);
  });

  it("a backup code is spent once, only by its user; concurrent spends have one winner", async () => {
    const storage = h.storage();
    const a = await signup(storage);
    const b = await signup(storage);
    const code = tokenHash();
    await storage.savePendingTwoFactor(a.userId, "v1.s", T0);
    await storage.enableTwoFactor({ userId: a.userId, step: 1, backupCodeHashes: [code, tokenHash()], now: T0 });
    expect(await storage.consumeBackupCode(b.userId, code, T0)).toBe(false);
    const results = await Promise.all(Array.from({ length: 5 }, () => storage.consumeBackupCode(a.userId, code, T0)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await storage.consumeBackupCode(a.userId, code, T0)).toBe(false);
    expect(await storage.countBackupCodes(a.userId)).toBe(1);
  });

  it("a challenge counts attempts up to the limit, expires, completes once, and concurrency cannot pass the limit", async () => {
    const storage = h.storage();
    const { userId } = await signup(storage);
    const hash = tokenHash();
    await storage.createTwoFactorChallenge({ challengeHash: hash, userId, expiresAt: T0 + 5 * MINUTE, now: T0 });
    expect(await storage.spendChallengeAttempt(tokenHash(), T0, 5)).toEqual({ status: "not_found" });
    expect(await storage.spendChallengeAttempt(hash, T0, 5)).toEqual({ status: "ok", userId, attempts: 1 });
    const results = await Promise.all(Array.from({ length: 8 }, () => storage.spendChallengeAttempt(hash, T0, 5)));
    expect(results.filter((r) => r.status === "ok")).toHaveLength(4);
    expect(results.filter((r) => r.status === "locked")).toHaveLength(4);
    expect(await storage.spendChallengeAttempt(hash, T0, 5)).toEqual({ status: "locked" });

    const live = tokenHash();
    await storage.createTwoFactorChallenge({ challengeHash: live, userId, expiresAt: T0 + MINUTE, now: T0 });
    expect(await storage.spendChallengeAttempt(live, T0 + MINUTE, 5)).toEqual({ status: "expired" });
    expect(await storage.completeTwoFactorChallenge(live, T0)).toBe(true);
    expect(await storage.completeTwoFactorChallenge(live, T0)).toBe(false);
    expect(await storage.spendChallengeAttempt(live, T0, 5)).toEqual({ status: "completed" });
  });

  it("deleteTwoFactor removes the enrolment, its backup codes and challenges", async () => {
    const storage = h.storage();
    const { userId } = await signup(storage);
    const challenge = tokenHash();
    await storage.savePendingTwoFactor(userId, "v1.s", T0);
    await storage.enableTwoFactor({ userId, step: 1, backupCodeHashes: [tokenHash()], now: T0 });
    await storage.createTwoFactorChallenge({ challengeHash: challenge, userId, expiresAt: T0 + MINUTE, now: T0 });
    expect(await storage.deleteTwoFactor(userId)).toBe(true);
    expect(await storage.findTwoFactor(userId)).toBeNull();
    expect(await storage.countBackupCodes(userId)).toBe(0);
    expect(await storage.spendChallengeAttempt(challenge, T0, 5)).toEqual({ status: "not_found" });
    expect(await storage.deleteTwoFactor(userId)).toBe(false);
  });
}
