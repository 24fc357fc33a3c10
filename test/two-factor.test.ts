import { type Auth, AuthError, type StorageAdapter, type UserPrincipal } from "@tenantauth/core";
import { smtpMailer } from "@tenantauth/mail";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Backend, backends } from "./support/backends.js";
import { authErrorOf, expectAuthError } from "./support/errors.js";
import { totpAt, wrongTotpAt } from "./support/otp.js";
import { startSmtpServer, type TestSmtpServer } from "./support/smtp.js";
import { type Actor, createWorld, PASSWORD, type World } from "./support/world.js";

const APP = "https://app.example.com";

/** The challenge of a sign-in that needs a second factor. */
async function challengeOf(auth: Auth, email: string): Promise<string> {
  const error = await expectAuthError(auth.signin({ email, password: PASSWORD }), "TWO_FACTOR_REQUIRED");
  expect(error.status).toBe(401);
  expect(error.details?.expiresInSeconds).toBe(300);
  const challenge = error.details?.challenge;
  expect(typeof challenge).toBe("string");
  return challenge as string;
}

describe.each(backends)("two-factor sign-in (TOTP) on $name", (backend) => {
  let smtp: TestSmtpServer;
  let w: World;
  let ada: Actor;
  let mailer: ReturnType<typeof smtpMailer>;

  beforeEach(async () => {
    smtp = await startSmtpServer();
    mailer = smtpMailer({ url: smtp.url, from: "Acme <no-reply@acme.test>", appUrl: APP, productName: "Acme" });
    w = await createWorld(backend, { mailer, twoFactor: { issuer: "Acme" } });
    ada = await w.user("ada@example.com", "Acme");
  });
  afterEach(async () => {
    await w.auth.mail.idle();
    mailer.close();
    await smtp.stop();
    await w.cleanup();
  });

  /** Enrols and confirms; returns the secret and the backup codes. Leaves the clock on a fresh step. */
  async function enable(): Promise<{ secret: string; backupCodes: string[] }> {
    const { secret } = await w.auth.twoFactor.enroll(ada.principal);
    const { backupCodes } = await w.auth.twoFactor.confirm(ada.principal, totpAt(secret, w.clock.now()));
    w.clock.advance(30_000);
    return { secret, backupCodes };
  }

  it("verifyTotp given null for the request facts (a JavaScript caller) signs in, ip and device unknown", async () => {
    const { secret } = await enable();
    const challenge = await challengeOf(w.auth, ada.email);
    const result = await w.auth.signin.verifyTotp(challenge, totpAt(secret, w.clock.now()), null as never);
    const principal = (await w.auth.authenticate(result.accessToken)) as UserPrincipal;
    const sessions = await w.auth.sessions.list(principal);
    expect(sessions.find((s) => s.current)).toMatchObject({ ip: null, userAgent: null, device: "Unknown device" });
  });

  it("enrols, confirms, challenges at sign-in and verifies a code; notices arrive over SMTP", async () => {
    const { secret, uri } = await w.auth.twoFactor.enroll(ada.principal);
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(uri.startsWith("otpauth://totp/Acme:ada%40example.com?")).toBe(true);
    const url = new URL(uri);
    expect(url.searchParams.get("issuer")).toBe("Acme");
    expect(url.searchParams.get("digits")).toBe("6");
    expect(url.searchParams.get("secret")).toBe(secret);
    const stored = await (w.storage as StorageAdapter).findTwoFactor(ada.userId);
    expect(stored?.enabledAt).toBeNull();
    expect(stored?.sealedSecret).not.toContain(secret);
    expect(stored?.sealedSecret).toMatch(/^v1\./);

    // Pending: sign-in still gives tokens, and a wrong code does not confirm.
    await expect(w.auth.signin({ email: ada.email, password: PASSWORD })).resolves.toHaveProperty("accessToken");
    await expectAuthError(
      w.auth.twoFactor.confirm(ada.principal, wrongTotpAt(secret, w.clock.now())),
      "TWO_FACTOR_CODE_INVALID",
    );

    const code = totpAt(secret, w.clock.now());
    const { backupCodes } = await w.auth.twoFactor.confirm(ada.principal, code);
    expect(backupCodes).toHaveLength(10);
    expect(new Set(backupCodes).size).toBe(10);
    for (const c of backupCodes) expect(c).toMatch(/^[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}$/);
    await expect(w.auth.twoFactor.status(ada.principal)).resolves.toEqual({ enabled: true, backupCodesLeft: 10 });
    await expectAuthError(w.auth.twoFactor.enroll(ada.principal), "TWO_FACTOR_ALREADY_ENABLED");

    await w.auth.mail.idle();
    await smtp.waitFor(2); // the verification mail of the signup, then the notice
    const notice = smtp.received.find((m) => m.subject === "Two-factor sign-in is on for your Acme account");
    expect(notice?.text).toContain("ada@example.com");
    expect(notice?.html).toContain(`href="${APP}/account"`);

    // Sign-in now stops at a challenge; the confirming code (same time step) is a replay and is refused.
    const challenge = await challengeOf(w.auth, ada.email);
    expect(challenge.length).toBeGreaterThanOrEqual(43);
    const replay = await expectAuthError(w.auth.signin.verifyTotp(challenge, code), "TWO_FACTOR_CODE_INVALID");
    expect(replay.details).toEqual({ attemptsLeft: 4 });
    w.clock.advance(30_000);
    const result = await w.auth.signin.verifyTotp(challenge, totpAt(secret, w.clock.now()));
    expect(result.user.email).toBe("ada@example.com");
    const principal = await w.auth.authenticate(result.accessToken);
    expect(principal).toMatchObject({ kind: "user", userId: ada.userId });
    await expect(w.auth.refresh(result.refreshToken)).resolves.toHaveProperty("accessToken");
    // A finished challenge cannot be used again.
    w.clock.advance(30_000);
    await expectAuthError(
      w.auth.signin.verifyTotp(challenge, totpAt(secret, w.clock.now())),
      "TWO_FACTOR_CHALLENGE_INVALID",
    );
    // A code from one step before or after still works (clock drift), once.
    const drift = await challengeOf(w.auth, ada.email);
    await expect(w.auth.signin.verifyTotp(drift, totpAt(secret, w.clock.now() + 30_000))).resolves.toHaveProperty(
      "accessToken",
    );
  });

  it("a backup code works once instead of a code", async () => {
    const { backupCodes } = await enable();
    const [first, second] = backupCodes as [string, string];
    const result = await w.auth.signin.verifyTotp(await challengeOf(w.auth, ada.email), first);
    expect(result.user.id).toBe(ada.userId);
    const again = await challengeOf(w.auth, ada.email);
    await expectAuthError(w.auth.signin.verifyTotp(again, first), "TWO_FACTOR_CODE_INVALID");
    // Upper case and without dashes is the same code.
    await expect(w.auth.signin.verifyTotp(again, second.replaceAll("-", "").toUpperCase())).resolves.toHaveProperty(
      "refreshToken",
    );
    await expect(w.auth.twoFactor.status(ada.principal)).resolves.toEqual({ enabled: true, backupCodesLeft: 8 });
  });

  it("locks the challenge after 5 wrong codes: even a right 6th code is refused", async () => {
    const { secret, backupCodes } = await enable();
    const challenge = await challengeOf(w.auth, ada.email);
    for (let left = 4; left >= 0; left--) {
      const error = await expectAuthError(
        w.auth.signin.verifyTotp(challenge, wrongTotpAt(secret, w.clock.now())),
        "TWO_FACTOR_CODE_INVALID",
      );
      expect(error.details).toEqual({ attemptsLeft: left });
    }
    const locked = await expectAuthError(
      w.auth.signin.verifyTotp(challenge, totpAt(secret, w.clock.now())),
      "TWO_FACTOR_LOCKED",
    );
    expect(locked.status).toBe(403);
    await expectAuthError(w.auth.signin.verifyTotp(challenge, backupCodes[0] as string), "TWO_FACTOR_LOCKED");
    // The user signs in again and gets a fresh challenge.
    const fresh = await challengeOf(w.auth, ada.email);
    await expect(w.auth.signin.verifyTotp(fresh, totpAt(secret, w.clock.now()))).resolves.toHaveProperty("accessToken");
  });

  it("of concurrent verifications of one challenge, exactly one signs in", async () => {
    const { secret, backupCodes } = await enable();
    const challenge = await challengeOf(w.auth, ada.email);
    const code = totpAt(secret, w.clock.now());
    const attempts = [code, code, code, backupCodes[0] as string, backupCodes[1] as string];
    const outcomes = await Promise.allSettled(attempts.map((c) => w.auth.signin.verifyTotp(challenge, c)));
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    for (const o of outcomes) {
      if (o.status === "rejected") expect(o.reason).toBeInstanceOf(AuthError);
    }
  });

  it("a challenge expires after 5 minutes, and bad input is INVALID_INPUT", async () => {
    const { secret } = await enable();
    const challenge = await challengeOf(w.auth, ada.email);
    w.clock.advance(300_000);
    await expectAuthError(
      w.auth.signin.verifyTotp(challenge, totpAt(secret, w.clock.now())),
      "TWO_FACTOR_CHALLENGE_INVALID",
    );
    await expectAuthError(w.auth.signin.verifyTotp("no-such-challenge", "123456"), "TWO_FACTOR_CHALLENGE_INVALID");
    for (const bad of [undefined, 42, "", "x".repeat(600)]) {
      await expectAuthError(w.auth.signin.verifyTotp(bad as unknown as string, "123456"), "INVALID_INPUT");
    }
    await expectAuthError(w.auth.signin.verifyTotp(challenge, { code: 1 } as unknown as string), "INVALID_INPUT");
    await expectAuthError(w.auth.twoFactor.confirm(ada.principal, null as unknown as string), "INVALID_INPUT");
    const notPrincipal = await authErrorOf(w.auth.twoFactor.enroll({} as never));
    expect(notPrincipal.code).toBe("UNAUTHENTICATED");
  });

  it("disabling needs the password or a code, and sends a notice", async () => {
    await expectAuthError(w.auth.twoFactor.disable(ada.principal, { password: PASSWORD }), "TWO_FACTOR_NOT_ENABLED");
    const { secret } = await enable();
    await expectAuthError(
      w.auth.twoFactor.disable(ada.principal, { password: "not the password" }),
      "INVALID_CREDENTIALS",
    );
    await expectAuthError(
      w.auth.twoFactor.disable(ada.principal, { code: wrongTotpAt(secret, w.clock.now()) }),
      "TWO_FACTOR_CODE_INVALID",
    );
    await expectAuthError(w.auth.twoFactor.disable(ada.principal, {} as never), "INVALID_INPUT");
    await w.auth.twoFactor.disable(ada.principal, { code: totpAt(secret, w.clock.now()) });
    await expect(w.auth.twoFactor.status(ada.principal)).resolves.toEqual({ enabled: false, backupCodesLeft: 0 });
    await expect(w.auth.signin({ email: ada.email, password: PASSWORD })).resolves.toHaveProperty("accessToken");

    // Again, with the password this time.
    await enable();
    await w.auth.twoFactor.disable(ada.principal, { password: PASSWORD });
    await expect(w.auth.signin({ email: ada.email, password: PASSWORD })).resolves.toHaveProperty("accessToken");

    await w.auth.mail.idle();
    await smtp.waitFor(5); // the verification mail of the signup, two notices on, two off
    const subjects = smtp.received.map((m) => m.subject);
    expect(subjects.filter((s) => s === "Two-factor sign-in was turned off on Acme")).toHaveLength(2);
    expect(subjects.filter((s) => s === "Two-factor sign-in is on for your Acme account")).toHaveLength(2);
    const off = smtp.received.find((m) => m.subject?.includes("turned off"));
    expect(off?.html).toContain(`href="${APP}/forgot-password"`);
  });

  it("confirm and disable answer RATE_LIMITED after 5 wrong proofs of one user, until the window ends", async () => {
    const { secret } = await w.auth.twoFactor.enroll(ada.principal);
    for (let i = 0; i < 5; i++) {
      await expectAuthError(
        w.auth.twoFactor.confirm(ada.principal, wrongTotpAt(secret, w.clock.now())),
        "TWO_FACTOR_CODE_INVALID",
      );
    }
    const limited = await expectAuthError(
      w.auth.twoFactor.confirm(ada.principal, totpAt(secret, w.clock.now())),
      "RATE_LIMITED",
    );
    expect(limited.details).toEqual({ retryAfterSeconds: 900 });
    // Counted per user: Bob is not held back by Ada's failures.
    const bob = await w.user("bob@example.com");
    const bobs = await w.auth.twoFactor.enroll(bob.principal);
    await w.auth.twoFactor.confirm(bob.principal, totpAt(bobs.secret, w.clock.now()));

    w.clock.advance(900_000);
    const fresh = await w.auth.authenticate(
      (await w.auth.signin({ email: ada.email, password: PASSWORD })).accessToken,
    );
    await w.auth.twoFactor.confirm(fresh, totpAt(secret, w.clock.now()));
    // On disable, wrong passwords count as well.
    for (let i = 0; i < 5; i++) {
      await expectAuthError(w.auth.twoFactor.disable(fresh, { password: "not the password" }), "INVALID_CREDENTIALS");
    }
    await expectAuthError(w.auth.twoFactor.disable(fresh, { password: PASSWORD }), "RATE_LIMITED");
    await expect(w.auth.twoFactor.status(fresh)).resolves.toMatchObject({ enabled: true });
  });

  it("the notice is queued in the same transaction as the change (nothing is sent for a failed confirm)", async () => {
    const { secret } = await w.auth.twoFactor.enroll(ada.principal);
    const error = await authErrorOf(w.auth.twoFactor.confirm(ada.principal, wrongTotpAt(secret, w.clock.now())));
    expect(error).toBeInstanceOf(AuthError);
    await w.auth.mail.idle();
    const intents = await (w.storage as StorageAdapter).listMail({ recipient: ada.email, limit: 10 });
    expect(intents.filter((i) => i.template.startsWith("two-factor"))).toEqual([]);
  });
});

/**
 * A backend whose storage runs a hook once, right after the next challenge attempt is spent: a change made by
 * another request while a sign-in code is being checked (the real storage, in an order no single call can make).
 */
function hookedAfterSpend(backend: Backend) {
  let hook: (() => Promise<void>) | null = null;
  const hooked: Backend = {
    ...backend,
    async create() {
      const { storage, cleanup } = await backend.create();
      const spend: StorageAdapter["spendChallengeAttempt"] = async (...args) => {
        const result = await storage.spendChallengeAttempt(...args);
        const run = hook;
        hook = null;
        await run?.();
        return result;
      };
      const proxied = new Proxy(storage, {
        get(target, prop) {
          if (prop === "spendChallengeAttempt") return spend;
          const value: unknown = Reflect.get(target, prop);
          return typeof value === "function" ? value.bind(target) : value;
        },
      });
      return { storage: proxied, cleanup };
    },
  };
  const afterNextSpend = (fn: () => Promise<void>): void => {
    hook = fn;
  };
  return { backend: hooked, afterNextSpend };
}

describe.each(backends)("a sign-in challenge outlived by the account's state on $name", (backend) => {
  const hooks = hookedAfterSpend(backend);
  let w: World;
  let ada: Actor;
  let secret: string;

  beforeEach(async () => {
    w = await createWorld(hooks.backend, { platformAdmins: ["root@platform.test"] });
    ada = await w.user("ada@example.com");
    ({ secret } = await w.auth.twoFactor.enroll(ada.principal));
    await w.auth.twoFactor.confirm(ada.principal, totpAt(secret, w.clock.now()));
    w.clock.advance(30_000);
  });
  afterEach(async () => {
    await w.cleanup();
  });

  it("a user disabled after the password is refused USER_DISABLED, even with the right code", async () => {
    const challenge = await challengeOf(w.auth, ada.email);
    const root = await w.user("root@platform.test");
    await w.auth.admin.users.disable(root.principal, ada.userId);
    await expectAuthError(w.auth.signin.verifyTotp(challenge, totpAt(secret, w.clock.now())), "USER_DISABLED");
  });

  it("two-factor turned off while a code is checked: TWO_FACTOR_CHALLENGE_INVALID", async () => {
    const challenge = await challengeOf(w.auth, ada.email);
    hooks.afterNextSpend(() => w.auth.twoFactor.disable(ada.principal, { password: PASSWORD }));
    await expectAuthError(
      w.auth.signin.verifyTotp(challenge, totpAt(secret, w.clock.now())),
      "TWO_FACTOR_CHALLENGE_INVALID",
    );
  });

  it("two-factor turned off and enrolment restarted while a code is checked: the pending enrolment does not revive the challenge", async () => {
    const challenge = await challengeOf(w.auth, ada.email);
    let pending = "";
    hooks.afterNextSpend(async () => {
      await w.auth.twoFactor.disable(ada.principal, { password: PASSWORD });
      ({ secret: pending } = await w.auth.twoFactor.enroll(ada.principal));
    });
    await expectAuthError(
      w.auth.signin.verifyTotp(challenge, totpAt(secret, w.clock.now())),
      "TWO_FACTOR_CHALLENGE_INVALID",
    );
    expect(pending, "the hook ran: a pending enrolment exists").toMatch(/^[A-Z2-7]{32}$/);
    await expect(w.auth.twoFactor.status(ada.principal)).resolves.toEqual({ enabled: false, backupCodesLeft: 0 });
  });
});
