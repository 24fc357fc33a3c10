import type { UserPrincipal } from "@tenantauth/core";
import { createAuth, IMPERSONATION_TTL_SECONDS, USER_STATUS } from "@tenantauth/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { bytesOf, deriveKey } from "../packages/core/src/internal/crypto.js";
import { cryptoRandom } from "../packages/core/src/ports/clock.js";
import { signAccessToken } from "../packages/core/src/sessions/access-token.js";
import { backends } from "./support/backends.js";
import { expectAuthError } from "./support/errors.js";
import { claimsOf } from "./support/jwt-claims.js";
import { type Actor, createWorld, PASSWORD, SECRET, type World } from "./support/world.js";

describe.each(backends)("platform admin on $name", (backend) => {
  let w: World;
  let root: Actor;
  let ada: Actor;
  beforeEach(async () => {
    w = await createWorld(backend, { platformAdmins: ["root@platform.test", "ops@platform.test"] });
    root = await w.user("root@platform.test", "Platform");
    ada = await w.user("ada@example.com", "Acme");
  });
  afterEach(async () => {
    await w.cleanup();
  });

  it("users.list filters by email text and status, pages with a cursor, and total honours the filter", async () => {
    await w.user("bob@example.com");
    await w.user("a_b@other.test");
    const all = await w.auth.admin.users.list(root.principal, { query: "EXAMPLE.com" });
    expect(all.users.map((u) => u.email)).toEqual(["ada@example.com", "bob@example.com"]);
    expect(all).toMatchObject({ total: 2, nextCursor: null });
    expect(all.users[0]).not.toHaveProperty("passwordHash");
    // `_` and `%` are matched literally, not as LIKE wildcards.
    expect((await w.auth.admin.users.list(root.principal, { query: "a_b" })).users.map((u) => u.email)).toEqual([
      "a_b@other.test",
    ]);
    expect((await w.auth.admin.users.list(root.principal, { query: "%" })).total).toBe(0);
    const first = await w.auth.admin.users.list(root.principal, { limit: 2 });
    expect(first.users).toHaveLength(2);
    expect(first.total).toBe(4);
    const second = await w.auth.admin.users.list(root.principal, { limit: 2, cursor: first.nextCursor! });
    expect(second.users.map((u) => u.email)).toEqual(["bob@example.com", "a_b@other.test"]);
    expect(second.nextCursor).toBeNull();
    await w.auth.admin.users.disable(root.principal, ada.userId);
    const disabled = await w.auth.admin.users.list(root.principal, { status: "disabled" });
    expect(disabled.users.map((u) => u.email)).toEqual(["ada@example.com"]);
    expect(disabled.total).toBe(1);
    await expectAuthError(w.auth.admin.users.list(root.principal, { cursor: "abc" }), "INVALID_INPUT");
  });

  it("users.list pages of three follow each other to the end, each user listed once", async () => {
    for (const name of ["bob", "carol", "dan", "erin", "frank"]) await w.user(`${name}@example.com`);
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const page = await w.auth.admin.users.list(root.principal, { limit: 3, ...(cursor ? { cursor } : {}) });
      seen.push(...page.users.map((u) => u.email));
      if (page.nextCursor === null) break;
      expect(page.nextCursor).toBe(String(page.users.at(-1)?.id));
      cursor = page.nextCursor;
    }
    expect(seen).toEqual([
      "root@platform.test",
      "ada@example.com",
      ...["bob", "carol", "dan", "erin", "frank"].map((n) => `${n}@example.com`),
    ]);
  });

  it("every admin function refuses a user who is not a platform admin", async () => {
    await expectAuthError(w.auth.admin.users.list(ada.principal), "FORBIDDEN");
    await expectAuthError(w.auth.admin.users.disable(ada.principal, root.userId), "FORBIDDEN");
    await expectAuthError(w.auth.admin.users.enable(ada.principal, root.userId), "FORBIDDEN");
    await expectAuthError(w.auth.admin.users.impersonate(ada.principal, root.userId), "FORBIDDEN");
    await expectAuthError(w.auth.admin.organizations.list(ada.principal), "FORBIDDEN");
  });

  it("disable revokes every session at once and refuses sign-in and refresh; enable lets the user back in", async () => {
    const first = await w.auth.signin({ email: ada.email, password: PASSWORD });
    const second = await w.auth.signin({ email: ada.email, password: PASSWORD });
    const secondPrincipal = (await w.auth.authenticate(second.accessToken)) as UserPrincipal;
    const user = await w.auth.admin.users.disable(root.principal, ada.userId);
    expect(user.status).toBe("disabled");
    expect(user).toMatchObject({ id: ada.userId, email: ada.email, updatedAt: w.clock.now() });
    await expectAuthError(w.auth.refresh(first.refreshToken), "INVALID_REFRESH_TOKEN");
    await expectAuthError(w.auth.refresh(second.refreshToken), "INVALID_REFRESH_TOKEN");
    const session = await w.storage.findSessionById(secondPrincipal.sessionId);
    expect(session?.revokeReason).toBe("user_disabled");
    await expectAuthError(w.auth.signin({ email: ada.email, password: PASSWORD }), "USER_DISABLED");
    expect((await w.auth.admin.users.enable(root.principal, ada.userId)).status).toBe("active");
    await w.auth.signin({ email: ada.email, password: PASSWORD });
    await expectAuthError(w.auth.admin.users.disable(root.principal, root.userId), "FORBIDDEN");
    await expectAuthError(w.auth.admin.users.disable(root.principal, 999_999), "NOT_FOUND");
  });

  it("impersonate gives a one-hour access token with the act claim; authenticate shows the impersonator", async () => {
    const issued = await w.auth.admin.users.impersonate(root.principal, ada.userId);
    expect(issued).toMatchObject({ tokenType: "Bearer", expiresIn: IMPERSONATION_TTL_SECONDS });
    expect(issued).not.toHaveProperty("refreshToken");
    const claims = claimsOf(issued.accessToken);
    expect(claims.act).toEqual({ sub: String(root.userId) });
    expect(claims.sub).toBe(String(ada.userId));
    expect((claims.exp as number) - (claims.iat as number)).toBe(3600);
    const principal = (await w.auth.authenticate(issued.accessToken)) as UserPrincipal;
    expect(principal).toMatchObject({ userId: ada.userId, email: ada.email, impersonatorId: root.userId });
    expect(await w.auth.authorize(principal, ada.orgId, "org:update")).toBe(true);
    expect(principal.expiresAt - principal.issuedAt).toBe(3_600_000);
    // The impersonation token carries no admin power of the impersonator.
    await expectAuthError(w.auth.admin.users.list(principal), "FORBIDDEN");
    w.clock.advance(3_600_000);
    await expectAuthError(w.auth.authenticate(issued.accessToken), "TOKEN_EXPIRED");
    w.clock.advance(-3_600_000);
  });

  it("an impersonation token of a user who is a platform admin has no admin power either", async () => {
    // ops@platform.test is listed but not verified yet, so no admin: root may impersonate them.
    const { user } = await w.auth.signup({ email: "ops@platform.test", password: PASSWORD });
    const issued = await w.auth.admin.users.impersonate(root.principal, user.id);
    const acting = (await w.auth.authenticate(issued.accessToken)) as UserPrincipal;
    // Then ops verifies the address: a verified account listed in platformAdmins, whose own token is an admin's.
    await w.storage.markEmailVerified(user.id, w.clock.now());
    const own = await w.auth.authenticate((await w.auth.signin({ email: user.email, password: PASSWORD })).accessToken);
    expect((await w.auth.admin.users.list(own)).total).toBe(3);
    expect(await w.auth.stats.usersByStatus(own)).toEqual([{ status: "active", count: 3 }]);
    // The impersonation token of that admin is still refused everywhere admin power counts.
    expect(acting.impersonatorId).toBe(root.userId);
    await expectAuthError(w.auth.admin.users.list(acting), "FORBIDDEN");
    await expectAuthError(w.auth.admin.users.disable(acting, ada.userId), "FORBIDDEN");
    await expectAuthError(w.auth.admin.users.enable(acting, ada.userId), "FORBIDDEN");
    await expectAuthError(w.auth.admin.users.impersonate(acting, ada.userId), "FORBIDDEN");
    await expectAuthError(w.auth.admin.organizations.list(acting), "FORBIDDEN");
    await expectAuthError(w.auth.stats.orgRoleWiseUsers(acting), "FORBIDDEN");
    await expectAuthError(w.auth.stats.usersByStatus(acting), "FORBIDDEN");
    await expectAuthError(w.auth.audit.list(acting, { all: true }), "FORBIDDEN");
    await expectAuthError(w.auth.audit.list(acting, { userId: ada.userId }), "NOT_FOUND");
    expect((await w.storage.findUserById(ada.userId))?.status).toBe(USER_STATUS.active);
  });

  it("platformAdmins matches only a verified account, read from storage at each check", async () => {
    const lax = await createWorld(backend, {
      platformAdmins: ["ops@platform.test"],
      emailVerification: { required: false },
    });
    try {
      const ops = await lax.user("ops@platform.test");
      await expectAuthError(lax.auth.admin.users.list(ops.principal), "FORBIDDEN");
      await expectAuthError(lax.auth.stats.orgRoleWiseUsers(ops.principal), "FORBIDDEN");
      await expectAuthError(lax.auth.audit.list(ops.principal, { all: true }), "FORBIDDEN");
      await lax.storage.markEmailVerified(ops.userId, lax.clock.now());
      expect((await lax.auth.admin.users.list(ops.principal)).total).toBe(1);
      // A disabled account is no admin, even with an access token that is still valid.
      await lax.storage.updateUserStatus(ops.userId, USER_STATUS.disabled, lax.clock.now());
      await expectAuthError(lax.auth.admin.users.list(ops.principal), "FORBIDDEN");
    } finally {
      await lax.cleanup();
    }
  });

  it("the token's email claim makes no admin: platformAdmins and isPlatformAdmin judge the stored user", async () => {
    // A genuine token (signed with the secret) whose email claim names an admin, for a user who is not one.
    const settings = {
      key: deriveKey(bytesOf(SECRET), "access-token"),
      issuer: w.auth.options.issuer,
      audience: w.auth.options.audience,
      ttlSeconds: 900,
      random: cryptoRandom,
    };
    const subject = { userId: ada.userId, email: "root@platform.test", sessionId: ada.principal.sessionId };
    const claimed = await w.auth.authenticate(signAccessToken(settings, subject, w.clock.now()));
    expect(claimed).toMatchObject({ userId: ada.userId, email: "root@platform.test" });
    await expectAuthError(w.auth.admin.users.list(claimed), "FORBIDDEN");
    await expectAuthError(w.auth.stats.orgRoleWiseUsers(claimed), "FORBIDDEN");
    const seen: unknown[] = [];
    const hooked = createAuth({
      secret: SECRET,
      storage: w.storage,
      clock: w.clock,
      isPlatformAdmin: (user) => {
        seen.push(user);
        return user.email === "root@platform.test";
      },
    });
    await expectAuthError(hooked.admin.users.list(claimed), "FORBIDDEN");
    expect((await hooked.admin.users.list(root.principal)).total).toBe(2);
    expect(seen).toEqual([
      { id: ada.userId, email: "ada@example.com", emailVerified: true },
      { id: root.userId, email: "root@platform.test", emailVerified: true },
    ]);
  });

  it("impersonate refuses another platform admin, oneself and a disabled user", async () => {
    const ops = await w.user("ops@platform.test");
    await expectAuthError(w.auth.admin.users.impersonate(root.principal, ops.userId), "FORBIDDEN");
    await expectAuthError(w.auth.admin.users.impersonate(root.principal, root.userId), "FORBIDDEN");
    await w.auth.admin.users.disable(root.principal, ada.userId);
    await expectAuthError(w.auth.admin.users.impersonate(root.principal, ada.userId), "USER_DISABLED");
  });

  it("bad input gets INVALID_INPUT or UNAUTHENTICATED, never a TypeError", async () => {
    const bad = (v: unknown) => v as never;
    await expectAuthError(w.auth.admin.users.list(bad(null)), "UNAUTHENTICATED");
    await expectAuthError(w.auth.admin.users.list(root.principal, bad({ limit: 0 })), "INVALID_INPUT");
    await expectAuthError(w.auth.admin.users.list(root.principal, bad({ status: "gone" })), "INVALID_INPUT");
    await expectAuthError(w.auth.admin.users.list(root.principal, bad({ extra: 1 })), "INVALID_INPUT");
    await expectAuthError(w.auth.admin.users.disable(root.principal, bad("1")), "INVALID_INPUT");
    await expectAuthError(w.auth.admin.users.enable(root.principal, bad(1.5)), "INVALID_INPUT");
    await expectAuthError(w.auth.admin.users.impersonate(root.principal, bad(-1)), "INVALID_INPUT");
    await expectAuthError(w.auth.admin.organizations.list(root.principal, bad({ query: 42 })), "INVALID_INPUT");
  });

  it("organizations.list gives member counts, filters by name and pages", async () => {
    await w.member(ada, ada.orgId, "mia@example.com");
    await w.member(ada, ada.orgId, "max@example.com");
    const page = await w.auth.admin.organizations.list(root.principal);
    expect(page.organizations.map((o) => [o.organization.name, o.memberCount])).toEqual([
      ["Platform", 1],
      ["Acme", 3],
    ]);
    const found = await w.auth.admin.organizations.list(root.principal, { query: "acm" });
    expect(found.organizations.map((o) => o.organization.id)).toEqual([ada.orgId]);
    const first = await w.auth.admin.organizations.list(root.principal, { limit: 1 });
    expect(first.nextCursor).not.toBeNull();
    const next = await w.auth.admin.organizations.list(root.principal, { limit: 1, cursor: first.nextCursor! });
    expect(next.organizations.map((o) => o.organization.name)).toEqual(["Acme"]);
  });
});
