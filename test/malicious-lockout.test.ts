import { createTestAuth, givenUser, type TestAuth } from "@tenantauth/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { callFrom } from "./support/from-ip.js";
import { type RunningServer, servers } from "./support/http-servers.js";

const WRONG = "not the password at all";
const OWNER = "127.0.0.3";
const ATTACKER = "127.0.0.2";

// Issue 13, item 7: 10 anonymous wrong passwords locked any account for 900 s, even for its owner on another
// network, and 5 anonymous reset requests blocked the owner's own reset for an hour. Sign-in failures now lock an
// account for one source IP (10 per account+IP), under a per-account ceiling (100 per hour); reset and
// resend-verification requests over a limit are answered 202 like any other and send nothing more.
describe.each(servers.filter((s) => s.name !== "express4"))("malicious lockout over HTTP ($name)", (server) => {
  let t: TestAuth;
  let http: RunningServer;

  beforeEach(async () => {
    t = createTestAuth();
    http = await server.start(t.auth);
  });
  afterEach(async () => {
    await t.auth.mail.idle();
    await http.close();
  });

  const signin = (email: string, password: string, from: string) =>
    callFrom(http.baseUrl, "POST", "/auth/signin", { json: { email, password }, from });

  it("an attacker's wrong passwords lock the attacker's IP out of the account, while the owner still signs in from another IP", async () => {
    const ada = await givenUser(t, { email: "ada@example.com" });
    for (let i = 0; i < 10; i++) {
      expect((await signin(ada.email, WRONG, ATTACKER)).body.error.code).toBe("INVALID_CREDENTIALS");
    }
    const locked = await signin(ada.email, ada.password, ATTACKER);
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe("RATE_LIMITED");
    expect(Number(locked.headers["retry-after"])).toBe(900);
    const owner = await signin(ada.email, ada.password, OWNER);
    expect(owner.status).toBe(200);
    expect(typeof owner.body.access_token).toBe("string");
    // The owner's success clears nothing of the attacker's: that IP stays locked out of the account.
    expect((await signin(ada.email, ada.password, ATTACKER)).status).toBe(429);
  });

  it("the per-account ceiling (100 failures per hour) still stops a distributed attack, for every IP", async () => {
    const ada = await givenUser(t, { email: "ada@example.com" });
    let failures = 0;
    for (let host = 10; failures < 100; host++) {
      for (let i = 0; i < 10; i++) {
        expect((await signin(ada.email, WRONG, `127.0.1.${host}`)).status).toBe(401);
        failures++;
      }
    }
    const fresh = await signin(ada.email, WRONG, "127.0.2.1");
    expect(fresh.status).toBe(429);
    expect(Number(fresh.headers["retry-after"])).toBeGreaterThan(0);
    expect((await signin(ada.email, ada.password, OWNER)).status).toBe(429);
    t.clock.advance(60 * 60 * 1000);
    expect((await signin(ada.email, ada.password, OWNER)).status).toBe(200);
  });

  it.each([
    ["/auth/password/forgot", "password-reset", true],
    ["/auth/resend-verification", "verify-email", false],
  ] as const)(
    "%s over its limits answers 202 and sends nothing more; the owner's own request from another IP still gets its mail",
    async (path, template, verified) => {
      const ada = await givenUser(t, { email: "ada@example.com", verified });
      await t.auth.mail.idle();
      t.mailbox.clear();
      for (let i = 0; i < 12; i++) {
        const answer = await callFrom(http.baseUrl, "POST", path, { json: { email: ada.email }, from: ATTACKER });
        expect(answer.status).toBe(202);
        expect(answer.headers["retry-after"]).toBeUndefined();
      }
      await t.auth.mail.idle();
      const byAttacker = t.mailbox.all(ada.email, template).length;
      expect(byAttacker).toBeGreaterThan(0);
      expect(byAttacker).toBeLessThanOrEqual(3);
      const owner = await callFrom(http.baseUrl, "POST", path, { json: { email: ada.email }, from: OWNER });
      expect(owner.status).toBe(202);
      await t.auth.mail.idle();
      expect(t.mailbox.all(ada.email, template)).toHaveLength(byAttacker + 1);
    },
  );

  it("many attacker IPs reach the per-address ceiling: still 202, and the inbox gets no more than the ceiling", async () => {
    const ada = await givenUser(t, { email: "ada@example.com" });
    await t.auth.mail.idle();
    for (let host = 10; host < 20; host++) {
      for (let i = 0; i < 5; i++) {
        const answer = await callFrom(http.baseUrl, "POST", "/auth/password/forgot", {
          json: { email: ada.email },
          from: `127.0.1.${host}`,
        });
        expect(answer.status).toBe(202);
      }
    }
    await t.auth.mail.idle();
    expect(t.mailbox.all(ada.email, "password-reset")).toHaveLength(10);
  });
});
