import {
  type Auth,
  argon2idHasher,
  createAuth,
  type MailStorage,
  type PasswordHasher,
  REFRESH_REPEAT_MAX_LIVE,
  type StorageAdapter,
  type UserPrincipal,
} from "@tenantauth/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { backends } from "./support/backends.js";
import { type ManualClock, manualClock } from "./support/clock.js";
import { authErrorOf, expectAuthError } from "./support/errors.js";

const SECRET = "test-secret-that-is-at-least-32-bytes-long";
const PASSWORD = "correct horse battery staple";

/** The real argon2id hasher, counting its calls (a spy, not a stand-in). */
function countingHasher(inner: PasswordHasher = argon2idHasher()): PasswordHasher & { verifies: number } {
  const spy = {
    verifies: 0,
    hash: (p: string) => inner.hash(p),
    verify: (h: string, p: string) => {
      spy.verifies++;
      return inner.verify(h, p);
    },
    needsRehash: (h: string) => inner.needsRehash(h),
  };
  return spy;
}

describe.each(backends)("accounts on $name", (backend) => {
  let storage: StorageAdapter;
  let cleanup: () => Promise<void>;
  let clock: ManualClock;
  let hasher: ReturnType<typeof countingHasher>;
  let auth: Auth;

  beforeEach(async () => {
    ({ storage, cleanup } = await backend.create());
    clock = manualClock();
    hasher = countingHasher();
    // Email verification has its own suite (mail-flows.test.ts); here sign-in follows signup directly.
    auth = createAuth({
      secret: SECRET,
      storage,
      clock,
      passwordHasher: hasher,
      emailVerification: { required: false },
    });
  });
  afterEach(async () => {
    await cleanup();
  });

  describe("signup", () => {
    it("creates the user, the named organization and an Owner membership", async () => {
      const { user, organization } = await auth.signup({
        email: "  Ada@Example.COM ",
        password: PASSWORD,
        organizationName: "Acme",
        profile: { name: "Ada" },
      });
      expect(user).toMatchObject({ email: "ada@example.com", emailVerified: false, profile: { name: "Ada" } });
      expect(user).not.toHaveProperty("passwordHash");
      expect(organization).toMatchObject({ name: "Acme", personal: false, status: "active" });
      const { accessToken } = await auth.signin({ email: "ada@example.com", password: PASSWORD });
      const orgs = await auth.organizations.list(await auth.authenticate(accessToken));
      expect(orgs.map((o) => [o.organization.id, o.role.name])).toEqual([[organization.id, "Owner"]]);
      expect(orgs[0]?.role.permissions).toContain("org:delete");
    });

    it("makes a personal organization when no name is given", async () => {
      const { organization } = await auth.signup({ email: "solo@example.com", password: PASSWORD });
      expect(organization.personal).toBe(true);
      expect(organization.name).toMatch(/^personal-[a-z2-7]{16}$/);
    });

    it("refuses a taken email (any case) with EMAIL_TAKEN and writes nothing", async () => {
      await auth.signup({ email: "ada@example.com", password: PASSWORD, organizationName: "Acme" });
      await expectAuthError(
        auth.signup({ email: "ADA@example.com", password: PASSWORD, organizationName: "Other" }),
        "EMAIL_TAKEN",
      );
      // The organization of the refused signup was not left behind: its name is still free.
      await expect(
        auth.signup({ email: "bob@example.com", password: PASSWORD, organizationName: "Other" }),
      ).resolves.toBeDefined();
    });

    it("refuses a taken organization name with ORG_NAME_TAKEN and leaves no user behind", async () => {
      await auth.signup({ email: "ada@example.com", password: PASSWORD, organizationName: "Acme" });
      const e = await expectAuthError(
        auth.signup({ email: "bob@example.com", password: PASSWORD, organizationName: "Acme" }),
        "ORG_NAME_TAKEN",
      );
      expect(e.status).toBe(409);
      await expectAuthError(auth.signin({ email: "bob@example.com", password: PASSWORD }), "INVALID_CREDENTIALS");
      await expect(storage.findUserByEmail("bob@example.com")).resolves.toBeNull();
    });

    it("60 concurrent signups with distinct emails all succeed, each with its verification mail queued", async () => {
      // On MySQL, superseding older tokens by (user_id, purpose) once took gap locks that deadlocked concurrent
      // signups' token inserts; one in a few hundred then failed after every retry.
      auth = createAuth({ secret: SECRET, storage, clock, passwordHasher: hasher });
      const attempts = await Promise.allSettled(
        Array.from({ length: 60 }, (_, i) =>
          auth.signup({ email: `crowd-${i}@example.com`, password: PASSWORD, organizationName: `crowd-org-${i}` }),
        ),
      );
      expect(attempts.filter((a) => a.status === "rejected").map((a) => (a as PromiseRejectedResult).reason)).toEqual(
        [],
      );
      await auth.mail.idle();
      const mail = await (storage as unknown as MailStorage).listMail({ limit: 100 });
      expect(mail.filter((m) => m.template === "verify-email")).toHaveLength(60);
    });

    it("50 concurrent signups with one email create exactly one user and no orphan organization", async () => {
      // The race is the storage's to settle: the per-email sign-up limit (test/rate-limit.test.ts) is raised here.
      auth = createAuth({
        secret: SECRET,
        storage,
        clock,
        passwordHasher: hasher,
        emailVerification: { required: false },
        rateLimit: { signup: { perEmail: { limit: 50 } } },
      });
      const attempts = await Promise.allSettled(
        Array.from({ length: 50 }, (_, i) =>
          auth.signup({ email: "race@example.com", password: PASSWORD, organizationName: `race-org-${i}` }),
        ),
      );
      const won = attempts.flatMap((a, i) => (a.status === "fulfilled" ? [i] : []));
      expect(won).toHaveLength(1);
      for (const a of attempts) {
        if (a.status === "rejected") expect(a.reason).toMatchObject({ name: "AuthError", code: "EMAIL_TAKEN" });
      }
      const { accessToken } = await auth.signin({ email: "race@example.com", password: PASSWORD });
      const principal = await auth.authenticate(accessToken);
      expect((await auth.organizations.list(principal)).map((o) => o.organization.name)).toEqual([
        `race-org-${won[0]}`,
      ]);
      // Every losing attempt's organization name is still free, so none of them was written.
      for (let i = 0; i < 50; i++) {
        if (i !== won[0]) await auth.organizations.create(principal, { name: `race-org-${i}` });
      }
      expect(await auth.organizations.list(principal)).toHaveLength(50);
    });

    it("counts password length in code points after NFKC", async () => {
      await expect(auth.signup({ email: "emoji@example.com", password: "🔒".repeat(8) })).resolves.toBeDefined();
      await expectAuthError(auth.signup({ email: "emoji2@example.com", password: "🔒".repeat(7) }), "INVALID_INPUT");
      // U+FB01 (ﬁ) becomes "fi" under NFKC, so 4 ligatures count as 8 characters.
      await expect(auth.signup({ email: "lig@example.com", password: "ﬁﬁﬁﬁ" })).resolves.toBeDefined();
    });
  });

  describe("signin", () => {
    beforeEach(async () => {
      await auth.signup({ email: "ada@example.com", password: PASSWORD, organizationName: "Acme" });
    });

    it("returns an access token, a 256-bit refresh token, expiresIn and the user", async () => {
      const result = await auth.signin({ email: " ADA@example.com", password: PASSWORD });
      expect(result.expiresIn).toBe(900);
      expect(result.tokenType).toBe("Bearer");
      expect(result.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(result.user.email).toBe("ada@example.com");
      const principal = (await auth.authenticate(result.accessToken)) as UserPrincipal;
      expect(principal).toMatchObject({ kind: "user", userId: result.user.id });
      expect(principal.expiresAt - principal.issuedAt).toBe(900_000);
    });

    it("answers a wrong password and an unknown email identically, and verifies a hash for both", async () => {
      hasher.verifies = 0;
      const wrong = await authErrorOf(auth.signin({ email: "ada@example.com", password: "wrong password!" }));
      expect(hasher.verifies).toBe(1);
      const unknown = await authErrorOf(auth.signin({ email: "nobody@example.com", password: "wrong password!" }));
      expect(hasher.verifies).toBe(2);
      expect(unknown.code).toBe("INVALID_CREDENTIALS");
      expect([unknown.status, unknown.message, JSON.stringify(unknown.toJSON())]).toEqual([
        wrong.status,
        wrong.message,
        JSON.stringify(wrong.toJSON()),
      ]);
      expect(wrong.status).toBe(401);
    });

    it("rehashes a password hashed with old parameters", async () => {
      const legacy = createAuth({
        secret: SECRET,
        storage,
        clock,
        passwordHasher: argon2idHasher({ memoryCost: 4096, timeCost: 1 }),
      });
      await legacy.signup({ email: "old@example.com", password: PASSWORD });
      expect((await storage.findUserByEmail("old@example.com"))?.passwordHash).toContain("m=4096,t=1,p=1");
      await auth.signin({ email: "old@example.com", password: PASSWORD });
      expect((await storage.findUserByEmail("old@example.com"))?.passwordHash).toContain("m=19456,t=2,p=1");
      await expect(auth.signin({ email: "old@example.com", password: PASSWORD })).resolves.toBeDefined();
    });

    it("stops accepting an access token when it expires", async () => {
      const { accessToken } = await auth.signin({ email: "ada@example.com", password: PASSWORD });
      clock.advance(899_000);
      await expect(auth.authenticate(accessToken)).resolves.toBeDefined();
      clock.advance(1_000);
      await expectAuthError(auth.authenticate(accessToken), "TOKEN_EXPIRED");
    });

    it("does not accept another instance's tokens (other secret)", async () => {
      const { accessToken } = await auth.signin({ email: "ada@example.com", password: PASSWORD });
      const other = createAuth({ secret: "another-secret-of-at-least-32-bytes!!", storage, clock });
      await expectAuthError(other.authenticate(accessToken), "INVALID_TOKEN");
    });
  });

  describe("refresh and signout", () => {
    let refreshToken: string;
    beforeEach(async () => {
      await auth.signup({ email: "ada@example.com", password: PASSWORD, organizationName: "Acme" });
      ({ refreshToken } = await auth.signin({ email: "ada@example.com", password: PASSWORD }));
    });

    it("rotates the refresh token and issues a working access token", async () => {
      const next = await auth.refresh(refreshToken);
      expect(next.refreshToken).not.toBe(refreshToken);
      expect((await auth.authenticate(next.accessToken)).kind).toBe("user");
      const again = await auth.refresh(next.refreshToken);
      expect(again.refreshToken).not.toBe(next.refreshToken);
    });

    it("reuse of a rotated token fails with REFRESH_TOKEN_REUSED and revokes the whole family", async () => {
      const next = await auth.refresh(refreshToken);
      // Past the reuse grace (session.refreshReuseGraceSeconds, 5 s): a replay now is theft, not a second tab.
      clock.advance(5_001);
      const e = await expectAuthError(auth.refresh(refreshToken), "REFRESH_TOKEN_REUSED");
      expect(e.status).toBe(401);
      // The legitimate successor dies with the family.
      await expectAuthError(auth.refresh(next.refreshToken), "INVALID_REFRESH_TOKEN");
    });

    it("two tabs: the same token again within the grace gets a token of the same session, and every token works on", async () => {
      const first = await auth.refresh(refreshToken);
      clock.advance(5_000);
      const second = await auth.refresh(refreshToken);
      expect(second.refreshToken).not.toBe(first.refreshToken);
      expect((await auth.authenticate(second.accessToken)).kind).toBe("user");
      // Neither tab is signed out: both go on refreshing.
      expect((await auth.refresh(first.refreshToken)).refreshToken).toEqual(expect.any(String));
      expect((await auth.refresh(second.refreshToken)).refreshToken).toEqual(expect.any(String));
    });

    it("with refreshReuseGraceSeconds 0, 20 concurrent refreshes of one token: at most one succeeds and none crash", async () => {
      const strict = createAuth({
        secret: SECRET,
        storage,
        clock,
        passwordHasher: hasher,
        emailVerification: { required: false },
        session: { refreshReuseGraceSeconds: 0 },
      });
      const results = await Promise.allSettled(Array.from({ length: 20 }, () => strict.refresh(refreshToken)));
      expect(results.filter((r) => r.status === "fulfilled").length).toBeLessThanOrEqual(1);
      for (const r of results) {
        if (r.status === "rejected") {
          expect(["REFRESH_TOKEN_REUSED", "INVALID_REFRESH_TOKEN"]).toContain(r.reason?.code);
        }
      }
    });

    it("20 concurrent refreshes of one token within the grace: at most 4 succeed (the session's cap), none crash", async () => {
      const results = await Promise.allSettled(Array.from({ length: 20 }, () => auth.refresh(refreshToken)));
      expect(results.filter((r) => r.status === "fulfilled").length).toBeLessThanOrEqual(REFRESH_REPEAT_MAX_LIVE);
      for (const r of results) {
        if (r.status === "rejected") {
          expect(["REFRESH_TOKEN_REUSED", "INVALID_REFRESH_TOKEN"]).toContain(r.reason?.code);
        }
      }
    });

    it("expires a session after the idle timeout", async () => {
      clock.advance(7 * 24 * 3600 * 1000 - 1);
      const next = await auth.refresh(refreshToken);
      clock.advance(7 * 24 * 3600 * 1000);
      await expectAuthError(auth.refresh(next.refreshToken), "INVALID_REFRESH_TOKEN");
    });

    it("expires a session at its absolute age even when refreshed daily", async () => {
      let token = refreshToken;
      for (let day = 1; day < 30; day++) {
        clock.advance(24 * 3600 * 1000);
        token = (await auth.refresh(token)).refreshToken;
      }
      clock.advance(24 * 3600 * 1000);
      await expectAuthError(auth.refresh(token), "INVALID_REFRESH_TOKEN");
    });

    it("signout revokes the session; signing out again is harmless", async () => {
      const next = await auth.refresh(refreshToken);
      await auth.signout(next.refreshToken);
      await expectAuthError(auth.refresh(next.refreshToken), "INVALID_REFRESH_TOKEN");
      await expect(auth.signout(next.refreshToken)).resolves.toBeUndefined();
      await expect(auth.signout("never-issued-token")).resolves.toBeUndefined();
    });

    it("signoutAll revokes every session of the user and no one else's", async () => {
      const second = await auth.signin({ email: "ada@example.com", password: PASSWORD });
      await auth.signup({ email: "bob@example.com", password: PASSWORD, organizationName: "Bobs" });
      const bob = await auth.signin({ email: "bob@example.com", password: PASSWORD });
      const count = await auth.signoutAll(await auth.authenticate(second.accessToken));
      expect(count).toBe(2);
      await expectAuthError(auth.refresh(refreshToken), "INVALID_REFRESH_TOKEN");
      await expectAuthError(auth.refresh(second.refreshToken), "INVALID_REFRESH_TOKEN");
      await expect(auth.refresh(bob.refreshToken)).resolves.toBeDefined();
    });
  });

  describe("organizations", () => {
    it("creates an organization owned by the caller and refuses a taken name", async () => {
      await auth.signup({ email: "ada@example.com", password: PASSWORD, organizationName: "Acme" });
      const { accessToken } = await auth.signin({ email: "ada@example.com", password: PASSWORD });
      const principal = await auth.authenticate(accessToken);
      const org = await auth.organizations.create(principal, { name: "Widgets", details: "We make widgets" });
      expect(org).toMatchObject({ name: "Widgets", details: "We make widgets", personal: false });
      const list = await auth.organizations.list(principal);
      expect(list.map((o) => [o.organization.name, o.role.name])).toEqual([
        ["Acme", "Owner"],
        ["Widgets", "Owner"],
      ]);
      await expectAuthError(auth.organizations.create(principal, { name: "Widgets" }), "ORG_NAME_TAKEN");
    });
  });
});
