import type { Principal, UserPrincipal } from "@tenantauth/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { backends } from "./support/backends.js";
import { expectAuthError } from "./support/errors.js";
import { createWorld, PASSWORD, type World } from "./support/world.js";

const CHROME_LINUX =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36";
const SAFARI_IOS =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";

describe.each(backends)("sessions page on $name", (backend) => {
  let w: World;

  beforeEach(async () => {
    w = await createWorld(backend, { emailVerification: { required: false } });
    await w.auth.signup({ email: "ada@acme.test", password: PASSWORD });
    await w.auth.signup({ email: "bob@acme.test", password: PASSWORD });
  });
  afterEach(async () => {
    await w.auth.mail.idle();
    await w.cleanup();
  });

  /** Signs in from a device; returns the principal and the refresh token. */
  async function signIn(email: string, userAgent?: string, ip?: string) {
    const result = await w.auth.signin({ email, password: PASSWORD }, { ip, userAgent });
    return {
      principal: (await w.auth.authenticate(result.accessToken)) as UserPrincipal,
      refreshToken: result.refreshToken,
    };
  }

  it("list shows each live session's device, ip, creation and last use, and marks the current one", async () => {
    const phone = await signIn("ada@acme.test", SAFARI_IOS, "198.51.100.7");
    const phoneAt = w.clock.now();
    w.clock.advance(60_000);
    const laptop = await signIn("ada@acme.test", CHROME_LINUX, "203.0.113.5");
    const laptopAt = w.clock.now();
    await signIn("bob@acme.test", CHROME_LINUX);

    expect(await w.auth.sessions.list(laptop.principal)).toStrictEqual([
      {
        id: laptop.principal.sessionId,
        device: "Chrome on Linux",
        userAgent: CHROME_LINUX,
        ip: "203.0.113.5",
        createdAt: laptopAt,
        lastUsedAt: laptopAt,
        current: true,
      },
      {
        id: phone.principal.sessionId,
        device: "Safari on iOS",
        userAgent: SAFARI_IOS,
        ip: "198.51.100.7",
        createdAt: phoneAt,
        lastUsedAt: phoneAt,
        current: false,
      },
    ]);
    const fromPhone = await w.auth.sessions.list(phone.principal);
    expect(fromPhone.map((s) => [s.device, s.current])).toEqual([
      ["Chrome on Linux", false],
      ["Safari on iOS", true],
    ]);
  });

  it("a refresh moves the session's last use, and the list's order with it", async () => {
    const phone = await signIn("ada@acme.test", SAFARI_IOS);
    w.clock.advance(60_000);
    const laptop = await signIn("ada@acme.test", CHROME_LINUX);
    w.clock.advance(60_000);
    await w.auth.refresh(phone.refreshToken);
    const listed = await w.auth.sessions.list(laptop.principal);
    expect(listed.map((s) => s.device)).toEqual(["Safari on iOS", "Chrome on Linux"]);
    expect(listed[0]).toMatchObject({ lastUsedAt: w.clock.now(), createdAt: w.clock.now() - 120_000 });
  });

  it("a session without user agent or ip shows as an unknown device; ended sessions are not listed", async () => {
    const bare = await signIn("ada@acme.test");
    const gone = await signIn("ada@acme.test", CHROME_LINUX);
    await w.auth.signout(gone.refreshToken);
    expect(await w.auth.sessions.list(bare.principal)).toMatchObject([
      { id: bare.principal.sessionId, device: "Unknown device", userAgent: null, ip: null, current: true },
    ]);
    w.clock.advance(w.auth.options.session.idleTimeoutSeconds * 1000);
    expect(await w.auth.sessions.list(bare.principal)).toEqual([]);
  });

  it("revoke ends one of the caller's sessions: its refresh token stops working, the others go on", async () => {
    const phone = await signIn("ada@acme.test", SAFARI_IOS);
    const laptop = await signIn("ada@acme.test", CHROME_LINUX);
    await w.auth.sessions.revoke(laptop.principal, phone.principal.sessionId);
    await expectAuthError(w.auth.refresh(phone.refreshToken), "INVALID_REFRESH_TOKEN");
    expect((await w.auth.sessions.list(laptop.principal)).map((s) => s.id)).toEqual([laptop.principal.sessionId]);
    await expect(w.auth.refresh(laptop.refreshToken)).resolves.toMatchObject({ tokenType: "Bearer" });
    const stored = await w.storage.findSessionById(phone.principal.sessionId);
    expect(stored).toMatchObject({ revokedAt: w.clock.now(), revokeReason: "revoked_by_user" });
    await expectAuthError(w.auth.sessions.revoke(laptop.principal, phone.principal.sessionId), "NOT_FOUND");
  });

  it("revoke refuses another user's session with NOT_FOUND and leaves it alive", async () => {
    const ada = await signIn("ada@acme.test");
    const bob = await signIn("bob@acme.test");
    const error = await expectAuthError(w.auth.sessions.revoke(ada.principal, bob.principal.sessionId), "NOT_FOUND");
    const unknown = await expectAuthError(w.auth.sessions.revoke(ada.principal, "nosuchsessionid"), "NOT_FOUND");
    expect(error.message).toBe(unknown.message);
    expect((await w.storage.findSessionById(bob.principal.sessionId))?.revokedAt).toBeNull();
    await expect(w.auth.refresh(bob.refreshToken)).resolves.toMatchObject({ tokenType: "Bearer" });
    expect(await w.auth.sessions.list(ada.principal)).toHaveLength(1);
  });

  it("revokeOthers keeps the current session, ends every other one of the caller, and no one else's", async () => {
    const current = await signIn("ada@acme.test", CHROME_LINUX);
    const others = [await signIn("ada@acme.test", SAFARI_IOS), await signIn("ada@acme.test")];
    const bob = await signIn("bob@acme.test");
    expect(await w.auth.sessions.revokeOthers(current.principal)).toBe(2);
    for (const other of others) await expectAuthError(w.auth.refresh(other.refreshToken), "INVALID_REFRESH_TOKEN");
    expect((await w.auth.sessions.list(current.principal)).map((s) => s.id)).toEqual([current.principal.sessionId]);
    await expect(w.auth.refresh(current.refreshToken)).resolves.toMatchObject({ tokenType: "Bearer" });
    await expect(w.auth.refresh(bob.refreshToken)).resolves.toMatchObject({ tokenType: "Bearer" });
    expect(await w.auth.sessions.revokeOthers(current.principal)).toBe(0);
  });

  it("signing out everywhere and out of the other sessions record which one ended each session", async () => {
    const current = await signIn("ada@acme.test");
    const other = await signIn("ada@acme.test");
    expect(await w.auth.sessions.revokeOthers(current.principal)).toBe(1);
    expect(await w.storage.findSessionById(other.principal.sessionId)).toMatchObject({
      revokedAt: w.clock.now(),
      revokeReason: "signout_others",
    });
    expect((await w.storage.findSessionById(current.principal.sessionId))?.revokedAt).toBeNull();
    w.clock.advance(1_000);
    expect(await w.auth.signoutAll(current.principal)).toBe(1);
    expect(await w.storage.findSessionById(current.principal.sessionId)).toMatchObject({
      revokedAt: w.clock.now(),
      revokeReason: "signout_all",
    });
  });

  it("records an empty ip or user agent as unknown, and cuts a long one (ip at 64, user agent at 512 characters)", async () => {
    const empty = await signIn("ada@acme.test", "", "");
    expect((await w.auth.sessions.list(empty.principal))[0]).toMatchObject({ ip: null, userAgent: null });
    const long = await signIn("bob@acme.test", `${CHROME_LINUX} ${"x".repeat(600)}`, "2001:db8::".padEnd(100, "1"));
    const [listed] = await w.auth.sessions.list(long.principal);
    expect(listed?.userAgent).toBe(`${CHROME_LINUX} ${"x".repeat(600)}`.slice(0, 512));
    expect(listed?.ip).toBe("2001:db8::".padEnd(64, "1"));
  });

  it("bad arguments are AuthErrors with a code", async () => {
    const ada = await signIn("ada@acme.test");
    await expectAuthError(w.auth.sessions.list(null as never), "UNAUTHENTICATED");
    await expectAuthError(w.auth.sessions.list({ ...ada.principal, userId: "1" } as never), "UNAUTHENTICATED");
    await expectAuthError(w.auth.sessions.revoke(ada.principal, "" as never), "INVALID_INPUT");
    await expectAuthError(w.auth.sessions.revoke(ada.principal, 42 as never), "INVALID_INPUT");
    await expectAuthError(w.auth.sessions.revoke(ada.principal, "x".repeat(65)), "INVALID_INPUT");
    await expectAuthError(w.auth.sessions.revokeOthers({} as Principal), "UNAUTHENTICATED");
    // Request facts of the wrong types are refused before anything is checked or written: no session starts.
    await expectAuthError(
      w.auth.signin({ email: "ada@acme.test", password: PASSWORD }, { ip: 5, userAgent: {} } as never),
      "INVALID_INPUT",
    );
    expect(await w.auth.sessions.list(ada.principal)).toHaveLength(1);
  });
});
