import { describe, expect, it } from "vitest";
import type * as z from "zod";
import { AUDIT_EVENT_SCHEMAS, AUDIT_EVENT_TYPES } from "./events.js";

const SECRET_LIKE = /pass|token|secret|hash|code|otp|key|cookie|credential/i;

describe("audit event schemas", () => {
  it("declare the event types of issue 6, named area.action", () => {
    expect(AUDIT_EVENT_TYPES).toEqual(
      expect.arrayContaining([
        "signin.success",
        "signin.failure",
        "signin.lockout",
        "refresh.reuse",
        "password.change",
        "password.reset",
        "member.role_change",
        "member.remove",
        "invitation.create",
        "organization.delete",
      ]),
    );
    for (const type of AUDIT_EVENT_TYPES) expect(type).toMatch(/^[a-z_]+\.[a-z_]+$/);
  });

  it("have no field whose name suggests a secret", () => {
    for (const [type, schema] of Object.entries(AUDIT_EVENT_SCHEMAS)) {
      const fields = Object.keys((schema as z.ZodObject).shape);
      for (const field of fields) expect(field, `${type}.${field}`).not.toMatch(SECRET_LIKE);
    }
  });

  it("refuse fields they do not declare, so a secret cannot be added to an event's data", () => {
    for (const [type, schema] of Object.entries(AUDIT_EVENT_SCHEMAS)) {
      const result = schema.safeParse({ password: "hunter2hunter2" });
      expect(result.success, type).toBe(false);
    }
    expect(AUDIT_EVENT_SCHEMAS["password.change"].safeParse({ sessionsRevoked: 2 }).success).toBe(true);
    expect(
      AUDIT_EVENT_SCHEMAS["password.change"].safeParse({ sessionsRevoked: 2, newPassword: "hunter2hunter2" }).success,
    ).toBe(false);
  });
});
