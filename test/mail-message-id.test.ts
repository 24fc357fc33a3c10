import type { Mailer, OutgoingMail } from "@tenantauth/core";
import { createTestAuth } from "@tenantauth/testing";
import { describe, expect, it } from "vitest";

// Issue 14, item 2: SMTP cannot deliver exactly once, so a mail sent again after an attempt whose success could not
// be recorded must be recognisable as the same message. The outbox gives each intent a stable id, which the SMTP
// mailer sends as its Message-ID (packages/mail/src/smtp-mailer.test.ts).

describe("the outbox's mail id", () => {
  it("is the same at every attempt of one intent and differs between intents", async () => {
    const seen: OutgoingMail[] = [];
    let failures = 1;
    // Fails the first attempt of each mail (as a connection cut after DATA would look), then accepts.
    const flaky: Mailer = {
      async send(mail) {
        seen.push(mail);
        if (failures-- > 0) throw new Error("connection lost after DATA");
      },
    };
    const t = createTestAuth({ mailer: flaky, mail: { retryBaseSeconds: 1 } });
    await t.auth.signup({ email: "ada@example.com", password: t.password });
    await t.auth.mail.idle();
    t.clock.advance(2_000);
    await t.auth.mail.deliverPending();
    failures = 0;
    await t.auth.signup({ email: "bob@example.com", password: t.password });
    await t.auth.mail.idle();

    const ada = seen.filter((m) => m.to === "ada@example.com");
    const bob = seen.filter((m) => m.to === "bob@example.com");
    expect(ada).toHaveLength(2);
    expect(bob).toHaveLength(1);
    expect(ada[0]?.id).toMatch(/^[0-9a-f]{32}$/);
    expect(ada[1]?.id).toBe(ada[0]?.id);
    expect(bob[0]?.id).not.toBe(ada[0]?.id);
  });

  it("is a keyed hash: the same intent under another secret has another id, so it reveals nothing of the intent", async () => {
    const ids: Array<string | undefined> = [];
    for (const secret of [`${"a".repeat(32)}-first`, `${"b".repeat(32)}-second`]) {
      const t = createTestAuth({
        secret,
        mailer: {
          async send(mail) {
            ids.push(mail.id);
          },
        },
      });
      await t.auth.signup({ email: "ada@example.com", password: t.password });
      await t.auth.mail.idle();
    }
    expect(ids).toHaveLength(2);
    expect(ids[0]).not.toBe(ids[1]);
  });
});
