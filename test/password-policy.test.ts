import { type Auth, argon2idHasher, createAuth, isAuthError } from "@tenantauth/core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { COMMON_PASSWORDS } from "../packages/core/src/accounts/common-passwords.data.js";
import { isCommonPassword } from "../packages/core/src/accounts/password-policy.js";
import { backends } from "./support/backends.js";
import { captureMailer } from "./support/capture-mailer.js";
import { expectAuthError } from "./support/errors.js";
import { createWorld, PASSWORD, SECRET, type World } from "./support/world.js";

/** Cheap argon2id parameters: these tests are about the policy, not the hash cost. */
const hasher = argon2idHasher({ memoryCost: 1024, timeCost: 1 });
const GRIN = "😀"; // one code point, two UTF-16 units
const emoji = (n: number): string => GRIN.repeat(n);

describe("the shipped common-password list", () => {
  const list = COMMON_PASSWORDS.split("\n");

  it("holds 10,000 distinct, NFKC-normalised, lower-cased entries in rank order", () => {
    expect(list).toHaveLength(10_000);
    expect(new Set(list).size).toBe(10_000);
    expect(list.slice(0, 3)).toEqual(["123456", "password", "12345678"]);
    for (const entry of list) expect(entry).toBe(entry.normalize("NFKC").toLowerCase());
  });

  it("matches case and NFKC variants, and not passphrases", () => {
    expect(isCommonPassword("PassWord1")).toBe(true);
    expect(isCommonPassword("ｐａｓｓｗｏｒｄ１")).toBe(true); // full-width forms fold to "password1" under NFKC
    expect(isCommonPassword(list[9_999] as string)).toBe(true);
    expect(isCommonPassword(PASSWORD)).toBe(false);
  });
});

describe.each(backends)("password policy on $name", (backend) => {
  let world: World;
  let auth: Auth;
  const mailer = captureMailer();
  const breached = new Set(["breached passphrase 1"]);
  const checked: string[] = [];

  beforeAll(async () => {
    world = await createWorld(backend, {
      passwordHasher: hasher,
      mailer,
      emailVerification: { required: false },
      password: {
        async isBreached(password) {
          checked.push(password);
          if (password === "breach service down!") throw new Error(`lookup of ${password} failed`);
          return breached.has(password);
        },
      },
    });
    auth = world.auth;
  });
  afterAll(async () => {
    await auth.mail.idle();
    await world.cleanup();
  });

  it.each(["password1", "iloveyou1", "qwertyuiop", "1q2w3e4r5t", "PASSWORD1", "Qwertyuiop", "ｐａｓｓｗｏｒｄ１"])(
    "refuses the common password %j at signup with PASSWORD_TOO_COMMON and creates nothing",
    async (password) => {
      // One address per password, within the 64 characters a local part may have (full-width letters included).
      const email = `common-${[...password].map((c) => c.codePointAt(0)?.toString(36)).join("")}@example.com`;
      const error = await expectAuthError(auth.signup({ email, password }), "PASSWORD_TOO_COMMON");
      expect(error.status).toBe(400);
      expect(error.message).not.toContain(password);
      expect(await world.storage.findUserByEmail(email)).toBeNull();
    },
  );

  it("accepts a password of 8 emoji (8 code points, 16 UTF-16 units) and signs in with it", async () => {
    expect(emoji(8)).toHaveLength(16);
    await auth.signup({ email: "emoji8@example.com", password: emoji(8) });
    await expect(auth.signin({ email: "emoji8@example.com", password: emoji(8) })).resolves.toBeDefined();
  });

  it("refuses 7 emoji and 129 emoji, accepts 128 emoji (length in code points after NFKC)", async () => {
    const short = await expectAuthError(
      auth.signup({ email: "emoji7@example.com", password: emoji(7) }),
      "INVALID_INPUT",
    );
    expect(short.details?.issues).toEqual([{ path: "password", message: "must be at least 8 characters" }]);
    const long = await expectAuthError(
      auth.signup({ email: "emoji129@example.com", password: emoji(129) }),
      "INVALID_INPUT",
    );
    expect(long.details?.issues).toEqual([{ path: "password", message: "must be at most 128 characters" }]);
    expect(await world.storage.findUserByEmail("emoji129@example.com")).toBeNull();
    await auth.signup({ email: "emoji128@example.com", password: emoji(128) });
    await expect(auth.signin({ email: "emoji128@example.com", password: emoji(128) })).resolves.toBeDefined();
  });

  it("counts after NFKC: 8 ligatures “ﬃ” make 24 code points, so 43 of them are too long", async () => {
    await auth.signup({ email: "ligature@example.com", password: "ﬃ".repeat(8) });
    await expectAuthError(auth.signup({ email: "ligature2@example.com", password: "ﬃ".repeat(43) }), "INVALID_INPUT");
  });

  it("verifies the password exactly as given: no trimming, case folding or normalisation", async () => {
    const exact = "  Ｐassphrase with Ω and spaces  ";
    await auth.signup({ email: "exact@example.com", password: exact });
    await expect(auth.signin({ email: "exact@example.com", password: exact })).resolves.toBeDefined();
    for (const variant of [exact.trim(), exact.toLowerCase(), exact.normalize("NFKC")]) {
      await expectAuthError(auth.signin({ email: "exact@example.com", password: variant }), "INVALID_CREDENTIALS");
    }
  });

  it("asks the isBreached hook and refuses what it reports with PASSWORD_BREACHED", async () => {
    checked.length = 0;
    await expectAuthError(
      auth.signup({ email: "breached@example.com", password: "breached passphrase 1" }),
      "PASSWORD_BREACHED",
    );
    expect(checked).toEqual(["breached passphrase 1"]);
    expect(await world.storage.findUserByEmail("breached@example.com")).toBeNull();
    // A common password is refused by the shipped list before the hook is asked.
    await expectAuthError(auth.signup({ email: "c@example.com", password: "password1" }), "PASSWORD_TOO_COMMON");
    expect(checked).toEqual(["breached passphrase 1"]);
  });

  it("fails open when the isBreached hook throws, and logs no password", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      await auth.signup({ email: "failopen@example.com", password: "breach service down!" });
      expect(warn).toHaveBeenCalledTimes(1);
      expect(JSON.stringify(warn.mock.calls)).not.toContain("breach service down!");
    } finally {
      warn.mockRestore();
    }
    expect(await world.storage.findUserByEmail("failopen@example.com")).not.toBeNull();
  });

  it("applies to password reset (before the link is spent) and to password change", async () => {
    const ada = await world.user("policy-ada@example.com");
    await auth.requestPasswordReset(ada.email);
    await auth.mail.idle();
    const token = mailer.tokenFor(ada.email, "password-reset");
    await expectAuthError(auth.resetPassword(token, "Password1"), "PASSWORD_TOO_COMMON");
    await expectAuthError(auth.resetPassword(token, "breached passphrase 1"), "PASSWORD_BREACHED");
    await auth.resetPassword(token, "a fresh uncommon passphrase");

    const again = await world.user("policy-bob@example.com");
    await expectAuthError(auth.changePassword(again.principal, PASSWORD, "trustno1"), "PASSWORD_TOO_COMMON");
    await expectAuthError(auth.changePassword(again.principal, PASSWORD, "breached passphrase 1"), "PASSWORD_BREACHED");
    await auth.changePassword(again.principal, PASSWORD, emoji(8));
    await expect(auth.signin({ email: again.email, password: emoji(8) })).resolves.toBeDefined();
  });

  it("applies to signup through an invitation", async () => {
    const owner = await world.user("policy-owner@example.com", `Policy Org ${backend.name}`);
    await auth.invitations.create(owner.principal, owner.orgId, {
      email: "invitee@example.com",
      roleId: await world.roleId(owner, owner.orgId, "Member"),
    });
    const token = await world.invitationToken("invitee@example.com");
    await expectAuthError(
      auth.signup({ email: "invitee@example.com", password: "starwars", invitationToken: token }),
      "PASSWORD_TOO_COMMON",
    );
    await auth.signup({ email: "invitee@example.com", password: "an uncommon passphrase", invitationToken: token });
  });
});

describe.each(backends)("no default accounts on $name", (backend) => {
  it("a fresh installation has no user (no default admin): the first signup is the only account", async () => {
    const world = await createWorld(backend, {
      passwordHasher: hasher,
      emailVerification: { required: false },
      platformAdmins: ["first@example.com"],
    });
    try {
      for (const email of ["admin@localhost", "root@localhost", "admin@example.com"]) {
        expect(await world.storage.findUserByEmail(email)).toBeNull();
      }
      const first = await world.user("first@example.com");
      // A platform admin is a verified account (the verification link's effect).
      await world.storage.markEmailVerified(first.userId, world.clock.now());
      expect(await world.auth.stats.usersByStatus(first.principal)).toEqual([{ status: "active", count: 1 }]);
    } finally {
      await world.auth.mail.idle();
      await world.cleanup();
    }
  });
});

describe("password.rejectCommon: false", () => {
  it("turns the blocklist off (seed compatibility), keeping the length rule", async () => {
    const { memoryStorage } = await import("@tenantauth/testing");
    const auth = createAuth({
      secret: SECRET,
      storage: memoryStorage(),
      passwordHasher: hasher,
      password: { rejectCommon: false },
    });
    await expect(auth.signup({ email: "seed@example.com", password: "password" })).resolves.toBeDefined();
    const short = await auth.signup({ email: "s@example.com", password: "1234567" }).catch((e: unknown) => e);
    expect(isAuthError(short, "INVALID_INPUT")).toBe(true);
  });
});
