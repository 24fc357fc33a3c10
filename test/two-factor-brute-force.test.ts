import type { AuditEvent } from "@tenantauth/core";
import { createTestAuth, givenTwoFactor, givenUser, type TestAuth } from "@tenantauth/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { callFrom } from "./support/from-ip.js";
import { type RunningServer, servers } from "./support/http-servers.js";
import { wrongTotpAt } from "./support/otp.js";

// Issue 13, item 3: a correct password opened a fresh challenge (5 tries each) and cleared the account's failure
// counter, so an attacker holding the password could try codes without end. Wrong codes now count per user across
// challenges; the password never resets that count.
describe.each(servers.filter((s) => s.name !== "express4"))("second-factor brute force over HTTP ($name)", (server) => {
  let t: TestAuth;
  let http: RunningServer;
  let events: AuditEvent[];

  beforeEach(async () => {
    events = [];
    t = createTestAuth({ onEvent: (event) => void events.push(event) });
    http = await server.start(t.auth);
  });
  afterEach(async () => {
    await t.auth.mail.idle();
    await http.close();
  });

  const signin = (email: string, password: string) =>
    callFrom(http.baseUrl, "POST", "/auth/signin", { json: { email, password } });
  const verify = (challenge: string, code: string) =>
    callFrom(http.baseUrl, "POST", "/auth/signin/totp", { json: { challenge, code } });

  it("password + wrong code in a loop: 429 with Retry-After after 10 wrong codes, even for the right code, and the owner is told", async () => {
    const ada = await givenUser(t, { email: "ada@example.com" });
    const tf = await givenTwoFactor(t, ada);
    const wrong = wrongTotpAt(tf.secret, t.clock.now());
    let wrongCodes = 0;
    let refused: Awaited<ReturnType<typeof verify>> | null = null;
    // Each round: the right password (a new challenge), then wrong codes until that challenge locks.
    for (let round = 0; round < 20 && !refused; round++) {
      const password = await signin(ada.email, ada.password);
      expect(password.status).toBe(401);
      expect(password.body.error.code).toBe("TWO_FACTOR_REQUIRED");
      const challenge = password.body.error.details.challenge as string;
      for (let attempt = 0; attempt < 5; attempt++) {
        const answer = await verify(challenge, wrong);
        if (answer.status === 429) {
          refused = answer;
          break;
        }
        expect(answer.body.error.code).toBe("TWO_FACTOR_CODE_INVALID");
        wrongCodes++;
      }
    }
    expect(wrongCodes).toBe(10);
    expect(refused?.body.error.code).toBe("RATE_LIMITED");
    expect(Number(refused?.headers["retry-after"])).toBeGreaterThan(0);
    expect(Number(refused?.headers["retry-after"])).toBeLessThanOrEqual(15 * 60);

    // The right password still opens a challenge, but the right code is refused while the lock holds.
    const again = await signin(ada.email, ada.password);
    const locked = await verify(again.body.error.details.challenge, tf.code());
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe("RATE_LIMITED");
    expect(Number(locked.headers["retry-after"])).toBeGreaterThan(0);

    // The lock is audited once, and the owner gets one notice mail.
    const lockouts = events.filter((e) => e.type === "signin.lockout");
    expect(lockouts).toHaveLength(1);
    expect(lockouts[0]).toMatchObject({ targetUserId: ada.id, data: { scope: "second_factor" } });
    await t.auth.mail.idle();
    expect(t.mailbox.all(ada.email, "two-factor-locked")).toHaveLength(1);
    expect(t.mailbox.linkIn(t.mailbox.last(ada.email, "two-factor-locked"))).toBe("http://app.test/forgot-password");

    // When the window has passed, the right code signs in.
    t.clock.advance(15 * 60 * 1000);
    const later = await signin(ada.email, ada.password);
    const ok = await verify(later.body.error.details.challenge, tf.code());
    expect(ok.status).toBe(200);
    expect(typeof ok.body.access_token).toBe("string");
  });

  it("the limit is configurable (rateLimit.twoFactorSignin); a right code after wrong ones gives no tries back", async () => {
    await t.auth.mail.idle();
    await http.close();
    t = createTestAuth({ rateLimit: { twoFactorSignin: { limit: 3, windowSeconds: 600 } } });
    http = await server.start(t.auth);
    const ada = await givenUser(t, { email: "ada@example.com" });
    const tf = await givenTwoFactor(t, ada);
    const wrong = wrongTotpAt(tf.secret, t.clock.now());
    const challenge = async () => (await signin(ada.email, ada.password)).body.error.details.challenge as string;
    expect((await verify(await challenge(), wrong)).status).toBe(401);
    expect((await verify(await challenge(), tf.code())).status).toBe(200);
    expect((await verify(await challenge(), wrong)).status).toBe(401);
    const refused = await verify(await challenge(), tf.code());
    expect(refused.status).toBe(429);
    expect(Number(refused.headers["retry-after"])).toBe(600);
    t.clock.advance(600 * 1000);
    expect((await verify(await challenge(), tf.code())).status).toBe(200);
  });

  /** Restarts the server on an auth with `rateLimit.twoFactorSignin` set to `limit` per `windowSeconds`. */
  const restartWith = async (limit: number, windowSeconds: number) => {
    await t.auth.mail.idle();
    await http.close();
    t = createTestAuth({
      rateLimit: { twoFactorSignin: { limit, windowSeconds } },
      onEvent: (event) => void events.push(event),
    });
    http = await server.start(t.auth);
  };

  it("a right code as the window's first try gives that try back: the full limit of wrong codes still follows", async () => {
    await restartWith(3, 600);
    const ada = await givenUser(t, { email: "ada@example.com" });
    const tf = await givenTwoFactor(t, ada);
    const challenge = async () => (await signin(ada.email, ada.password)).body.error.details.challenge as string;
    expect((await verify(await challenge(), tf.code())).status).toBe(200);
    t.clock.advance(30_000);
    const wrong = wrongTotpAt(tf.secret, t.clock.now());
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push((await verify(await challenge(), wrong)).body.error.code);
    expect(answers).toEqual(["TWO_FACTOR_CODE_INVALID", "TWO_FACTOR_CODE_INVALID", "TWO_FACTOR_CODE_INVALID"]);
    expect((await verify(await challenge(), tf.code())).status).toBe(429);
  });

  it("the lock's audit event, notice mail and Retry-After all tell when the window of the first wrong code ends", async () => {
    await restartWith(3, 600);
    const ada = await givenUser(t, { email: "ada@example.com" });
    const tf = await givenTwoFactor(t, ada);
    const challenge = async () => (await signin(ada.email, ada.password)).body.error.details.challenge as string;
    for (let i = 0; i < 3; i++) {
      if (i > 0) t.clock.advance(100_000);
      const wrong = wrongTotpAt(tf.secret, t.clock.now());
      expect((await verify(await challenge(), wrong)).body.error.code).toBe("TWO_FACTOR_CODE_INVALID");
    }
    // The window opened at the first wrong code, 200 s before the third (which locked).
    const lockouts = events.filter((e) => e.type === "signin.lockout");
    expect(lockouts.map((e) => e.data)).toEqual([{ scope: "second_factor", retryAfterSeconds: 400 }]);
    await t.auth.mail.idle();
    expect(t.mailbox.last(ada.email, "two-factor-locked")?.data).toEqual({ email: ada.email, retryAfterMinutes: 7 });
    const refused = await verify(await challenge(), tf.code());
    expect(refused.status).toBe(429);
    expect(refused.headers["retry-after"]).toBe("400");
    t.clock.advance(400_000);
    expect((await verify(await challenge(), tf.code())).status).toBe(200);
  });
});
