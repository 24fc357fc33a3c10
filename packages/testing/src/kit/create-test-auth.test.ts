import { AuthError, ConfigError } from "@tenantauth/core";
import { describe, expect, it } from "vitest";
import { memoryStorage } from "../memory/storage.js";
import { createTestAuth, TEST_PASSWORD } from "./create-test-auth.js";

const code = (promise: Promise<unknown>) =>
  promise.then(
    () => "resolved",
    (error: unknown) => (error instanceof AuthError ? error.code : `not an AuthError: ${String(error)}`),
  );

describe("createTestAuth", () => {
  it("runs the real flows on memory storage: the verification mail lands in the mailbox", async () => {
    const { auth, mailbox } = createTestAuth();
    await auth.signup({ email: "ada@example.com", password: TEST_PASSWORD, organizationName: "Acme" });
    expect(await code(auth.signin({ email: "ada@example.com", password: TEST_PASSWORD }))).toBe("EMAIL_NOT_VERIFIED");
    await auth.mail.idle();
    const mail = mailbox.last("ada@example.com", "verify-email");
    expect(mailbox.linkIn(mail)).toMatch(/^http:\/\/app\.test\/verify-email\?token=/);
    await auth.verifyEmail(mailbox.tokenIn(mail));
    const { accessToken } = await auth.signin({ email: "ada@example.com", password: TEST_PASSWORD });
    expect(await auth.authenticate(accessToken)).toMatchObject({ kind: "user", email: "ada@example.com" });
  });

  it("hands tenantauth the test clock: moving it expires access tokens", async () => {
    const { auth, clock } = createTestAuth({ emailVerification: { required: false } });
    await auth.signup({ email: "ada@example.com", password: TEST_PASSWORD });
    const { accessToken } = await auth.signin({ email: "ada@example.com", password: TEST_PASSWORD });
    clock.tick({ minutes: 14 });
    await expect(auth.authenticate(accessToken)).resolves.toMatchObject({ email: "ada@example.com" });
    clock.tick({ minutes: 2 });
    expect(await code(auth.authenticate(accessToken))).toBe("TOKEN_EXPIRED");
  });

  it("takes any createAuth() option, the storage included, and validates them", async () => {
    const storage = memoryStorage();
    const t = createTestAuth({ storage, accessToken: { ttlSeconds: 60 }, emailVerification: { required: false } });
    expect(t.storage).toBe(storage);
    expect(t.auth.options.accessToken.ttlSeconds).toBe(60);
    const { user } = await t.auth.signup({ email: "ada@example.com", password: TEST_PASSWORD });
    expect((await storage.findUserById(user.id))?.email).toBe("ada@example.com");
    expect(() => createTestAuth({ accessToken: { ttlSeconds: -1 } })).toThrow(ConfigError);
  });

  it("keeps each instance apart", async () => {
    const a = createTestAuth();
    const b = createTestAuth();
    await a.auth.signup({ email: "ada@example.com", password: TEST_PASSWORD });
    await expect(b.auth.signup({ email: "ada@example.com", password: TEST_PASSWORD })).resolves.toBeDefined();
    await a.auth.mail.idle();
    await b.auth.mail.idle();
    expect(a.mailbox.all()).toHaveLength(1);
    expect(b.mailbox.all()).toHaveLength(1);
  });
});
