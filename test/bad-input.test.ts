import { AuthError, createAuth, type Principal, type StorageAdapter } from "@tenantauth/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "./support/backends.js";

const SECRET = "test-secret-that-is-at-least-32-bytes-long";
const PASSWORD = "correct horse battery staple";

/** Calls with bad input; each must reject with a 4xx AuthError carrying a code, never a TypeError or driver error. */
type Case = [label: string, call: (ctx: { auth: ReturnType<typeof createAuth>; principal: Principal }) => unknown];

const notEmail = ["not-an-email", "a@", "@b.com", "a b@c.com", "", "   ", `${"a".repeat(250)}@example.com`];
const wrongTypes: unknown[] = [null, undefined, 42, true, [], {}, ["a@b.com"]];

/** `{"a":{"a":…}}` with `depth` objects. */
const nested = (depth: number): Record<string, unknown> => {
  let value: Record<string, unknown> = { a: 1 };
  for (let i = 1; i < depth; i++) value = { a: value };
  return value;
};
const cyclic: Record<string, unknown> = {};
cyclic.self = cyclic;
/** Free-form JSON the databases cannot hold, or that is no JSON at all. */
const jsonBombs: Array<[string, Record<string, unknown>]> = [
  ["nested 9 levels", nested(9)],
  ["nested 5,000 levels", nested(5000)],
  ["of 16 KiB + 1 byte", { x: "x".repeat(16 * 1024 - 7) }],
  ["with a cycle", cyclic],
  ["with a BigInt", { n: 1n }],
  ["with NaN", { n: Number.NaN }],
  ["with a Date", { at: new Date(0) }],
  ["with a function", { f: () => 1 }],
];

const cases: Case[] = [
  ...notEmail.map(
    (email): Case => [
      `signup email ${JSON.stringify(email)}`,
      ({ auth }) => auth.signup({ email, password: PASSWORD }),
    ],
  ),
  ...wrongTypes.map(
    (email): Case => [
      `signup email of type ${JSON.stringify(email)}`,
      ({ auth }) => auth.signup({ email: email as string, password: PASSWORD }),
    ],
  ),
  ["signup password of 7 characters", ({ auth }) => auth.signup({ email: "a@example.com", password: "1234567" })],
  [
    "signup password of 129 characters",
    ({ auth }) => auth.signup({ email: "a@example.com", password: "x".repeat(129) }),
  ],
  [
    "signup password of 100k characters",
    ({ auth }) => auth.signup({ email: "a@example.com", password: "x".repeat(100_000) }),
  ],
  ["signup empty password", ({ auth }) => auth.signup({ email: "a@example.com", password: "" })],
  ...wrongTypes.map(
    (password): Case => [
      `signup password of type ${JSON.stringify(password)}`,
      ({ auth }) => auth.signup({ email: "a@example.com", password: password as string }),
    ],
  ),
  [
    "signup empty organization name",
    ({ auth }) => auth.signup({ email: "a@example.com", password: PASSWORD, organizationName: "  " }),
  ],
  [
    "signup organization name of 192 characters",
    ({ auth }) => auth.signup({ email: "a@example.com", password: PASSWORD, organizationName: "o".repeat(192) }),
  ],
  [
    "signup organization name of wrong type",
    ({ auth }) => auth.signup({ email: "a@example.com", password: PASSWORD, organizationName: 7 as unknown as string }),
  ],
  [
    "signup profile of wrong type",
    ({ auth }) =>
      auth.signup({ email: "a@example.com", password: PASSWORD, profile: "x" as unknown as Record<string, unknown> }),
  ],
  [
    "signup unknown field",
    ({ auth }) => auth.signup({ email: "a@example.com", password: PASSWORD, role: "admin" } as never),
  ],
  ["signup null input", ({ auth }) => auth.signup(null as never)],
  ["signup string input", ({ auth }) => auth.signup("a@example.com" as never)],
  ["signin non-email", ({ auth }) => auth.signin({ email: "nope", password: PASSWORD })],
  ["signin empty strings", ({ auth }) => auth.signin({ email: "", password: "" })],
  ["signin password of wrong type", ({ auth }) => auth.signin({ email: "a@example.com", password: 12345678 as never })],
  ["signin undefined input", ({ auth }) => auth.signin(undefined as never)],
  ["signin huge password", ({ auth }) => auth.signin({ email: "a@example.com", password: "x".repeat(100_000) })],
  ["authenticate null", ({ auth }) => auth.authenticate(null as never)],
  ["authenticate empty string", ({ auth }) => auth.authenticate("")],
  ["authenticate garbage", ({ auth }) => auth.authenticate("a.b.c")],
  ["refresh empty string", ({ auth }) => auth.refresh("")],
  ["refresh number", ({ auth }) => auth.refresh(42 as never)],
  ["refresh huge string", ({ auth }) => auth.refresh("r".repeat(10_000))],
  ["refresh unknown token", ({ auth }) => auth.refresh("unknown-token")],
  ["signout empty string", ({ auth }) => auth.signout("")],
  ["signout object", ({ auth }) => auth.signout({} as never)],
  ["signoutAll without principal", ({ auth }) => auth.signoutAll(null as never)],
  ["signoutAll forged principal", ({ auth }) => auth.signoutAll({ kind: "user", userId: "1" } as never)],
  ["organizations.create empty name", ({ auth, principal }) => auth.organizations.create(principal, { name: "" })],
  [
    "organizations.create name of wrong type",
    ({ auth, principal }) => auth.organizations.create(principal, { name: ["x"] as never }),
  ],
  [
    "organizations.create details of wrong type",
    ({ auth, principal }) => auth.organizations.create(principal, { name: "x", details: 5 as never }),
  ],
  [
    "organizations.create unknown field",
    ({ auth, principal }) => auth.organizations.create(principal, { name: "x", owner: 1 } as never),
  ],
  ...jsonBombs.map(
    ([what, profile]): Case => [
      `signup profile ${what}`,
      ({ auth }) => auth.signup({ email: "json@example.com", password: PASSWORD, profile }),
    ],
  ),
  ...jsonBombs.map(
    ([what, settings]): Case => [
      `organizations.create settings ${what}`,
      ({ auth, principal }) => auth.organizations.create(principal, { name: "Json", settings }),
    ],
  ),
  ["organizations.create null input", ({ auth, principal }) => auth.organizations.create(principal, null as never)],
  [
    "organizations.create without principal",
    ({ auth }) => auth.organizations.create(undefined as never, { name: "x" }),
  ],
  ["organizations.list without principal", ({ auth }) => auth.organizations.list("token" as never)],
  [
    "signin with meta of wrong types (still INVALID_CREDENTIALS)",
    ({ auth }) => auth.signin({ email: "nobody@example.com", password: PASSWORD }, { ip: 5, userAgent: {} } as never),
  ],
  ["audit.list without principal", ({ auth }) => auth.audit.list(null as never, { all: true })],
  ["audit.list empty scope", ({ auth, principal }) => auth.audit.list(principal, {} as never)],
  ["audit.list both scopes", ({ auth, principal }) => auth.audit.list(principal, { orgId: 1, userId: 1 } as never)],
  ["audit.list orgId of wrong type", ({ auth, principal }) => auth.audit.list(principal, { orgId: "1" } as never)],
  ["audit.list bad cursor", ({ auth, principal }) => auth.audit.list(principal, { all: true }, { cursor: "%%" })],
  ["audit.list huge limit", ({ auth, principal }) => auth.audit.list(principal, { all: true }, { limit: 10_000 })],
  ["audit.list null options", ({ auth, principal }) => auth.audit.list(principal, { userId: 999 }, null as never)],
  [
    "audit.list principal with meta of wrong type",
    ({ auth, principal }) => auth.audit.list({ ...principal, meta: "x" } as never, { userId: 1 }),
  ],
  ["sessions.list forged principal", ({ auth }) => auth.sessions.list({ kind: "user", userId: 1 } as never)],
  ["sessions.revoke number id", ({ auth, principal }) => auth.sessions.revoke(principal, 7 as never)],
  ["sessions.revoke unknown id", ({ auth, principal }) => auth.sessions.revoke(principal, "nope")],
  ["sessions.revokeOthers without principal", ({ auth }) => auth.sessions.revokeOthers(undefined as never)],
];

describe.each(backends)("bad input on $name", (backend) => {
  let storage: StorageAdapter;
  let cleanup: () => Promise<void>;
  let auth: ReturnType<typeof createAuth>;
  let principal: Principal;

  beforeAll(async () => {
    ({ storage, cleanup } = await backend.create());
    auth = createAuth({ secret: SECRET, storage, emailVerification: { required: false } });
    await auth.signup({ email: "owner@example.com", password: PASSWORD, organizationName: "Owners" });
    principal = await auth.authenticate(
      (await auth.signin({ email: "owner@example.com", password: PASSWORD })).accessToken,
    );
  });
  afterAll(async () => {
    await cleanup();
  });

  it.each(cases)("%s → 4xx AuthError with a code", async (_label, call) => {
    let caught: unknown;
    try {
      await call({ auth, principal });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AuthError);
    const e = caught as AuthError;
    expect(e.code).toMatch(/^[A-Z][A-Z_]+$/);
    expect(e.status).toBeGreaterThanOrEqual(400);
    expect(e.status).toBeLessThan(500);
    expect(e.message).not.toMatch(/SQL|sqlite|mysql|TypeError|undefined|at .*\.ts/i);
  });

  it("names the field and rule for invalid input", async () => {
    const e = await auth.signup({ email: "x", password: "short" }).catch((error: AuthError) => error);
    expect(e).toBeInstanceOf(AuthError);
    expect((e as AuthError).code).toBe("INVALID_INPUT");
    expect((e as AuthError).details?.issues).toEqual([
      { path: "email", message: "must be a valid email address" },
      { path: "password", message: "must be at least 8 characters" },
    ]);
  });
});
