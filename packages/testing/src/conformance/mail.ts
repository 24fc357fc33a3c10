import { MAIL_STATUS, TOKEN_PURPOSE, type TokenPurpose } from "@tenantauth/core";
import { expect, it } from "vitest";
import { type Harness, HOUR, signup, T0, tokenHash, unique } from "./fixtures.js";

/** Registers the conformance tests of single-use tokens and the mail outbox. */
export function registerMailTests(h: Harness): void {
  it("verification tokens: consumed once; used, expired, superseded and wrong-purpose tokens are refused", async () => {
    const s = h.storage();
    const a = await signup(s);
    const mail = { template: "verify-email", recipient: a.email, payload: {}, availableAt: T0 };
    const issue = async (hash: string, purpose: TokenPurpose = TOKEN_PURPOSE.verifyEmail) =>
      s.createVerificationToken({ tokenHash: hash, purpose, userId: a.userId, expiresAt: T0 + HOUR, now: T0, mail });
    const [t1, t2, t3] = [tokenHash(), tokenHash(), tokenHash()];
    await issue(t1);
    await issue(t2);
    await issue(t3, TOKEN_PURPOSE.passwordReset);
    expect(await s.consumeVerificationToken(t1, TOKEN_PURPOSE.verifyEmail, T0)).toEqual({ status: "superseded" });
    expect(await s.consumeVerificationToken(t2, TOKEN_PURPOSE.passwordReset, T0)).toEqual({ status: "not_found" });
    expect(await s.consumeVerificationToken(t2, TOKEN_PURPOSE.verifyEmail, T0 + HOUR)).toEqual({ status: "expired" });
    const results = await Promise.all(
      Array.from({ length: 8 }, () => s.consumeVerificationToken(t2, TOKEN_PURPOSE.verifyEmail, T0 + 1)),
    );
    expect(results.filter((r) => r.status === "consumed")).toEqual([{ status: "consumed", userId: a.userId }]);
    expect(results.filter((r) => r.status === "used")).toHaveLength(7);
    expect(await s.consumeVerificationToken(t3, TOKEN_PURPOSE.passwordReset, T0)).toEqual({
      status: "consumed",
      userId: a.userId,
    });
    expect((await s.listMail({ recipient: a.email, limit: 10 })).length).toBe(3);
  });

  it("supersedeUserTokens: spends every unspent token of the user, of every purpose, and no one else's", async () => {
    const s = h.storage();
    const [a, b] = [await signup(s), await signup(s)];
    const issue = async (userId: number, email: string, purpose: TokenPurpose) => {
      const hash = tokenHash();
      const mail = { template: "verify-email", recipient: email, payload: {}, availableAt: T0 };
      await s.createVerificationToken({ tokenHash: hash, purpose, userId, expiresAt: T0 + HOUR, now: T0, mail });
      return hash;
    };
    const used = await issue(a.userId, a.email, TOKEN_PURPOSE.verifyEmail);
    expect((await s.consumeVerificationToken(used, TOKEN_PURPOSE.verifyEmail, T0)).status).toBe("consumed");
    const verify = await issue(a.userId, a.email, TOKEN_PURPOSE.verifyEmail);
    const reset = await issue(a.userId, a.email, TOKEN_PURPOSE.passwordReset);
    const others = await issue(b.userId, b.email, TOKEN_PURPOSE.passwordReset);
    expect(await s.supersedeUserTokens(a.userId, T0 + 1)).toBe(2);
    expect(await s.supersedeUserTokens(a.userId, T0 + 2)).toBe(0);
    expect(await s.consumeVerificationToken(verify, TOKEN_PURPOSE.verifyEmail, T0 + 3)).toEqual({
      status: "superseded",
    });
    expect(await s.consumeVerificationToken(reset, TOKEN_PURPOSE.passwordReset, T0 + 3)).toEqual({
      status: "superseded",
    });
    expect(await s.consumeVerificationToken(used, TOKEN_PURPOSE.verifyEmail, T0 + 3)).toEqual({ status: "used" });
    expect(await s.consumeVerificationToken(others, TOKEN_PURPOSE.passwordReset, T0 + 3)).toEqual({
      status: "consumed",
      userId: b.userId,
    });
  });

  it("the outbox: claims are exclusive until the lease lapses; sent clears the payload; failures back off or give up", async () => {
    const s = h.storage();
    const recipient = `out-${unique()}@example.test`;
    const ids = [];
    for (let i = 0; i < 4; i++) {
      ids.push(
        await s.enqueueMail({ template: "welcome", recipient, payload: { sealedToken: `s${i}` }, availableAt: T0 }, T0),
      );
    }
    await s.enqueueMail({ template: "welcome", recipient, payload: {}, availableAt: T0 + HOUR }, T0);
    const [x, y] = await Promise.all([
      s.claimMail({ now: T0, limit: 3, leaseMs: 60_000, claimId: "x" }),
      s.claimMail({ now: T0, limit: 3, leaseMs: 60_000, claimId: "y" }),
    ]);
    const claimed = [...x, ...y].map((m) => m.id);
    expect(new Set(claimed).size).toBe(claimed.length); // no intent in both claims
    expect(claimed.length).toBeGreaterThan(0);
    const rest = await s.claimMail({ now: T0 + 1, limit: 10, leaseMs: 60_000, claimId: "z" });
    expect([...claimed, ...rest.map((m) => m.id)].sort((p, q) => p - q)).toEqual(ids);
    expect(await s.claimMail({ now: T0 + 2, limit: 10, leaseMs: 60_000, claimId: "v" })).toEqual([]);
    const first = x[0] ?? y[0];
    const holder = x.length > 0 ? "x" : "y";
    expect(await s.markMailSent(first!.id, "not-the-holder", T0)).toBe(false);
    expect(await s.markMailSent(first!.id, holder, T0 + 2)).toBe(true);
    const sent = (await s.listMail({ recipient, status: MAIL_STATUS.sent, limit: 10 }))[0];
    expect(sent).toMatchObject({ id: first!.id, payload: {}, sentAt: T0 + 2, attempts: 1 });
    const lapsed = await s.claimMail({ now: T0 + 61_000, limit: 10, leaseMs: 60_000, claimId: "w" });
    expect(lapsed.map((m) => m.id).sort((p, q) => p - q)).toEqual(ids.filter((id) => id !== first!.id));
    const [retry, giveUp] = lapsed;
    expect(
      await s.markMailFailed(retry!.id, "w", { error: "ECONNREFUSED", retryAt: T0 + HOUR, now: T0 + 61_001 }),
    ).toBe(true);
    expect(
      await s.markMailFailed(giveUp!.id, "w", { error: "550 no such user", retryAt: null, now: T0 + 61_001 }),
    ).toBe(true);
    const all = await s.listMail({ recipient, limit: 10 });
    expect(all.find((m) => m.id === retry!.id)).toMatchObject({
      status: MAIL_STATUS.pending,
      attempts: 1,
      availableAt: T0 + HOUR,
      lastError: "ECONNREFUSED",
    });
    expect(all.find((m) => m.id === giveUp!.id)).toMatchObject({
      status: MAIL_STATUS.failed,
      attempts: 1,
      payload: {},
    });
    expect(all.map((m) => m.id)).toEqual([...all.map((m) => m.id)].sort((p, q) => q - p));
  });
}
