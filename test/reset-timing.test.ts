import { createAuth, type StorageAdapter } from "@tenantauth/core";
import { memoryStorage } from "@tenantauth/testing";
import { describe, expect, it } from "vitest";
import { captureMailer } from "./support/capture-mailer.js";

/** A memory storage whose user lookups wait until the test opens the gate. */
function gatedStorage(): { storage: StorageAdapter; open(): void; lookups: () => number } {
  const inner = memoryStorage();
  let release!: () => void;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  let lookups = 0;
  const storage = new Proxy(inner, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver);
      if (name !== "findUserByEmail" || typeof value !== "function") return value;
      return async (email: string) => {
        lookups += 1;
        await gate;
        return value.call(target, email);
      };
    },
  });
  return { storage, open: release, lookups: () => lookups };
}

describe("reset and resend answer before touching storage", () => {
  it.each([
    ["requestPasswordReset", "password-reset"],
    ["resendVerification", "verify-email"],
  ] as const)(
    "%s resolves alike for known and unknown addresses while the lookup is still blocked",
    async (method, template) => {
      const { storage, open, lookups } = gatedStorage();
      const mailer = captureMailer();
      const auth = createAuth({ secret: "timing-secret-that-is-at-least-32-bytes", storage, mailer });
      await auth.signup({ email: "ada@example.com", password: "correct horse battery staple", organizationName: "A" });
      await auth.mail.idle();
      mailer.sent.length = 0;
      // Both calls resolve although no lookup can finish: the answer cannot depend on whether the account exists.
      await expect(auth[method]("ada@example.com")).resolves.toBeUndefined();
      await expect(auth[method]("nobody@example.com")).resolves.toBeUndefined();
      expect(lookups()).toBe(2);
      open();
      await auth.mail.idle();
      expect(mailer.sent.map((m) => [m.template, m.to])).toEqual([[template, "ada@example.com"]]);
    },
  );
});
