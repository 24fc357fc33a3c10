import { type Auth, AuthError, argon2idHasher, type Principal, routes } from "@tenantauth/core";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Backend, backends } from "./support/backends.js";
import { captureMailer } from "./support/capture-mailer.js";
import { createWorld, PASSWORD, type World } from "./support/world.js";

/**
 * Walks the auth object (nested namespaces too) and fuzzes EVERY function it finds with generated bad input:
 * each call must resolve, or reject with an AuthError that has a code and a 4xx status. Never a TypeError, a
 * driver error, or a 5xx (STORAGE_ERROR/INTERNAL_ERROR wrap unexpected failures). Functions added later are
 * picked up by the walk and fuzzed with the generic strategy; `special` holds the few that need their own.
 */

const SEED = 20_261_129;
/** Generated calls per function; at least `MIN_REJECTED` of them must be answered with an AuthError. */
const RUNS: Record<string, { runs: number; minRejected: number }> = {
  memory: { runs: 1_100, minRejected: 1_000 },
  sqlite: { runs: 1_100, minRejected: 1_000 },
  mysql: { runs: 500, minRejected: 450 },
};
/** Properties of the auth object that are data, not namespaces of functions. */
const NOT_A_NAMESPACE = new Set(["options"]);
/**
 * Functions for which many generated values are not bad input, so they run longer to reach `minRejected`:
 * signout of a well-formed but unknown refresh token succeeds (signout is idempotent).
 */
const RUN_FACTOR: Record<string, number> = { signout: 1.4 };
/** Functions that take no input at all, so no input can be bad (they must still never throw). */
const NO_INPUT = new Set(["mail.idle"]);
/** Functions the walk must find: a walk that finds fewer is broken, and the test says so. */
const CORE = [
  "handler",
  "signup",
  "signin",
  "authenticate",
  "refresh",
  "signout",
  "me",
  "verifyEmail",
  "resendVerification",
  "requestPasswordReset",
  "resetPassword",
  "changePassword",
  "mail.deliverPending",
  "mail.idle",
  "signoutAll",
  "authorize",
  "assertAuthorized",
  "organizations.create",
  "organizations.list",
  "members.list",
  "roles.create",
  "invitations.accept",
  "stats.orgRoleWiseUsers",
];

type Fn = (...args: unknown[]) => unknown;

/** Every function reachable from `auth`, by dotted path. */
function walk(value: object, prefix = ""): Map<string, { fn: Fn; self: object }> {
  const found = new Map<string, { fn: Fn; self: object }>();
  for (const key of Object.keys(value)) {
    const path = prefix + key;
    if (NOT_A_NAMESPACE.has(path)) continue;
    const member = (value as Record<string, unknown>)[key];
    if (typeof member === "function") found.set(path, { fn: member as Fn, self: value });
    else if (typeof member === "object" && member !== null && !Array.isArray(member)) {
      for (const [p, f] of walk(member, `${path}.`)) found.set(p, f);
    }
  }
  return found;
}

// --- generated bad values ---------------------------------------------------------------------------------------

const sqlish = fc.constantFrom(
  "' OR 1=1 --",
  "1; DROP TABLE users",
  '"); DELETE FROM members; --',
  "admin'--",
  "1 UNION SELECT password FROM users",
  "x@example.com' OR '1'='1",
);
const weirdString = fc.oneof(
  fc.string(),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  sqlish,
  fc.constantFrom("", " ", "\u0000", "\ud800", "null", "undefined", "NaN", "__proto__", "constructor"),
  fc.constant("x".repeat(100_000)),
  fc.constant("😀".repeat(5_000)),
);
const weirdNumber = fc.oneof(
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, -1, 0, 1.5, 2 ** 53 + 2),
  fc.constantFrom(Number.MAX_VALUE, Number.MIN_VALUE, -(2 ** 31), 2 ** 31, 2 ** 63),
  fc.double(),
  fc.integer({ min: -1_000_000, max: -1 }),
);
/** Objects carrying prototype-pollution keys as own properties (as JSON.parse makes them). */
const pollution = fc
  .constantFrom(
    '{"__proto__":{"admin":true,"polluted":1}}',
    '{"constructor":{"prototype":{"polluted":1}}}',
    '{"email":"a@example.com","password":"correct horse battery staple","__proto__":{"isAdmin":true}}',
    '{"kind":"user","userId":1,"email":"a@example.com","sessionId":"s","__proto__":{"userId":2}}',
    '{"name":"x","prototype":{"polluted":1},"toString":"nope","valueOf":1}',
  )
  .map((text) => JSON.parse(text) as unknown);
const oddObject = fc.oneof(
  fc.anything({
    maxDepth: 3,
    withBoxedValues: true,
    withMap: true,
    withSet: true,
    withNullPrototype: true,
    withBigInt: true,
    withDate: true,
    withObjectString: true,
  }),
  fc.jsonValue({ maxDepth: 3 }),
  pollution,
  fc.dictionary(weirdString, fc.oneof(weirdString, weirdNumber), { maxKeys: 4 }),
  fc.constantFrom(
    () => 1,
    Symbol("s"),
    10n,
    new Date(Number.NaN),
    new Uint8Array(4),
    Promise.resolve("a@example.com"),
    new Proxy({}, {}),
  ),
);
/** A value that is wrong for any parameter of any function (undefined is left out: it is fine for optional ones). */
const bad = fc.oneof(weirdString, weirdNumber, oddObject, fc.constant(null)).filter((v) => v !== undefined);

// --- valid-looking but wrong values ----------------------------------------------------------------------------

interface Fixtures {
  principal: Principal;
  orgId: number;
  otherOrgId: number;
  userId: number;
}

function validLooking(f: Fixtures): fc.Arbitrary<unknown> {
  const forged = { kind: "user", userId: 987_654, email: "ghost@example.com", sessionId: "forged-session" };
  const email = fc.constantFrom("nobody@example.com", "owner@example.com", "OWNER@example.com", "a@b.co");
  return fc.oneof(
    fc.constantFrom(f.principal, forged, { ...f.principal, userId: f.userId + 1 }, { ...f.principal, kind: "admin" }),
    fc.constantFrom(f.orgId, f.otherOrgId, f.userId, 1, 2, 3, 987_654),
    email,
    fc.constantFrom(PASSWORD, "password1", "a".repeat(129), "member:invite", "org:delete", "Owner", "Member"),
    fc.constantFrom("eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.", "a.b.c", "tenantauth-refresh-token", "0".repeat(43)),
    fc.record(
      { email, password: fc.constantFrom(PASSWORD, "x"), organizationName: fc.constantFrom("Acme", "Other Org") },
      { requiredKeys: [] },
    ),
    fc.record({ name: fc.constantFrom("Acme", "New org"), details: fc.constantFrom("d", null) }, { requiredKeys: [] }),
    fc.record({ email, roleId: fc.constantFrom(1, 2, 3, 987_654) }, { requiredKeys: [] }),
    fc.record({ name: fc.string(), permissions: fc.array(fc.string(), { maxLength: 3 }) }, { requiredKeys: [] }),
    fc.record(
      { limit: weirdNumber, cursor: weirdString, orgId: fc.constantFrom(f.orgId, 987_654) },
      { requiredKeys: [] },
    ),
    fc.constant(undefined),
  );
}

/**
 * Arguments for one call: `arity` positions (plus sometimes one extra), each valid-looking or bad, with at least
 * one forced bad so the call as a whole is bad input.
 */
function argsFor(arity: number, f: Fixtures): fc.Arbitrary<unknown[]> {
  const positions = Math.max(arity, 1);
  const any = fc.oneof({ arbitrary: validLooking(f), weight: 2 }, { arbitrary: bad, weight: 1 });
  return fc
    .tuple(fc.array(any, { minLength: positions, maxLength: positions + 1 }), fc.nat({ max: positions - 1 }), bad)
    .map(([args, at, value]) => {
      const copy = [...args];
      copy[at] = value;
      return copy;
    });
}

/** Random Requests to the route table (for `handler`), valid-looking paths with bad bodies and headers. */
function requests(f: Fixtures, token: string): fc.Arbitrary<Request> {
  const path = fc.constantFrom(...routes.map((r) => r.path)).chain((template) =>
    fc
      .array(fc.oneof(fc.constantFrom(String(f.orgId), "0", "-1", "1e3", "NaN", "%00", ".."), weirdString), {
        minLength: 4,
        maxLength: 4,
      })
      .map((values) => {
        let i = 0;
        return template.replace(/\{[a-z_]+\}/g, () => {
          try {
            return encodeURIComponent(String(values[i++] ?? "x"));
          } catch {
            return "%ED%A0%80"; // a lone surrogate cannot be URI-encoded: send its raw UTF-8 bytes instead
          }
        });
      }),
  );
  return fc
    .record({
      method: fc.constantFrom("GET", "POST", "PATCH", "DELETE", "PUT", "HEAD"),
      path,
      body: fc.oneof(
        fc.jsonValue().map((v) => JSON.stringify(v)),
        weirdString,
        pollution.map((v) => JSON.stringify(v)),
      ),
      type: fc.constantFrom("application/json", "text/plain", "application/json; charset=utf-8", ""),
      auth: fc.constantFrom(`Bearer ${token}`, "Bearer x", "Basic abc", "", `Bearer ${token} extra`),
    })
    .map(({ method, path, body, type, auth }) => {
      const headers: Record<string, string> = {};
      if (type) headers["content-type"] = type;
      if (auth) headers.authorization = auth;
      const hasBody = method !== "GET" && method !== "HEAD";
      return new Request(`http://localhost${path}`, { method, headers, ...(hasBody ? { body } : {}) });
    });
}

/** Checks one outcome; returns true when the call was refused with an AuthError. */
function check(path: string, args: unknown[], outcome: { ok: true } | { ok: false; error: unknown }): boolean {
  if (outcome.ok) return false;
  const { error } = outcome;
  const shown = (): string => `${path}(${args.map(describeValue).join(", ")}) threw ${String(error)}`;
  if (!(error instanceof AuthError)) throw new Error(`${shown()} (not an AuthError)`, { cause: error });
  if (!/^[A-Z][A-Z_]+$/.test(error.code) || error.status < 400 || error.status >= 500) {
    throw new Error(`${shown()} (code ${error.code}, status ${error.status})`, { cause: error });
  }
  if (/sql|sqlite|mysql|knex|TypeError|Cannot read|is not a function|at .*\.(ts|js):\d+/i.test(error.message)) {
    throw new Error(`${shown()} (message leaks internals)`);
  }
  return true;
}

function describeValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  try {
    return fc.stringify(value).slice(0, 120);
  } catch {
    return typeof value;
  }
}

async function outcomeOf(call: () => unknown): Promise<{ ok: true } | { ok: false; error: unknown }> {
  try {
    await call();
    return { ok: true };
  } catch (error) {
    return { ok: false, error };
  }
}

describe.each(backends)("bad-input fuzzing of every auth function on $name", (backend: Backend) => {
  const { runs: baseRuns, minRejected } = RUNS[backend.name] ?? { runs: 150, minRejected: 130 };
  let world: World;
  let auth: Auth;
  let fixtures: Fixtures;
  let accessToken: string;
  const fuzzed = new Set<string>();

  beforeAll(async () => {
    world = await createWorld(backend, {
      passwordHasher: argon2idHasher({ memoryCost: 1024, timeCost: 1 }),
      mailer: captureMailer(),
      emailVerification: { required: false },
    });
    auth = world.auth;
    const owner = await world.user("owner@example.com", `Fuzz ${backend.name}`);
    const other = await world.user("other@example.com", `Other ${backend.name}`);
    accessToken = (await auth.signin({ email: owner.email, password: PASSWORD })).accessToken;
    fixtures = { principal: owner.principal, orgId: owner.orgId, otherOrgId: other.orgId, userId: owner.userId };
  });
  afterAll(async () => {
    await auth.mail.idle();
    await world.cleanup();
  });

  it("finds the core functions by walking the auth object", () => {
    const found = [...walk(auth).keys()];
    for (const path of CORE) expect(found).toContain(path);
  });

  it("answers every function's bad input with an AuthError (code, 4xx), never a TypeError or driver error", {
    timeout: 600_000,
  }, async () => {
    const report: string[] = [];
    const failures: string[] = [];
    for (const [path, { fn, self }] of walk(auth)) {
      let rejected = 0;
      const runs = Math.ceil(baseRuns * (RUN_FACTOR[path] ?? 1));
      try {
        if (path === "handler") {
          // Non-Request arguments: refused. Requests with bad content: an HTTP answer below 500, never a throw.
          await fc.assert(
            fc.asyncProperty(argsFor(2, fixtures), async (args) => {
              if (check(path, args, await outcomeOf(() => fn.apply(self, args)))) rejected++;
            }),
            { seed: SEED, numRuns: Math.ceil(runs / 2), includeErrorInReport: true },
          );
          await fc.assert(
            fc.asyncProperty(requests(fixtures, accessToken), async (request) => {
              const response = (await fn.call(self, request)) as Response;
              const text = await response.text();
              expect(response.status, `${request.method} ${request.url} → ${text.slice(0, 200)}`).toBeLessThan(500);
              if (response.status >= 400 && request.method !== "HEAD") {
                expect(JSON.parse(text).error.code).toMatch(/^[A-Z][A-Z_]+$/);
                rejected++;
              }
            }),
            { seed: SEED, numRuns: Math.ceil(runs / 2), includeErrorInReport: true },
          );
        } else {
          await fc.assert(
            fc.asyncProperty(argsFor(fn.length, fixtures), async (args) => {
              if (check(path, args, await outcomeOf(() => fn.apply(self, args)))) rejected++;
            }),
            { seed: SEED, numRuns: runs, includeErrorInReport: true },
          );
        }
      } catch (error) {
        failures.push(`${path}: ${error instanceof Error ? error.message.split("\n").slice(0, 12).join("\n") : error}`);
      }
      fuzzed.add(path);
      report.push(`${path}: ${rejected}/${runs}`);
      if (!NO_INPUT.has(path) && rejected < minRejected && !failures.some((f) => f.startsWith(`${path}:`))) {
        failures.push(
          `${path}: only ${rejected} of ${runs} generated inputs were refused with an AuthError (if well-formed ` +
            "unknown input legitimately resolves, e.g. an idempotent call or a null lookup, raise RUN_FACTOR for it)",
        );
      }
    }
    console.log(`bad-input fuzz on ${backend.name} (refused/generated): ${report.join(", ")}`);
    expect(failures).toEqual([]);
  });

  it("fuzzed every function the walk finds (none skipped)", () => {
    expect([...fuzzed].sort()).toEqual([...walk(auth).keys()].sort());
  });

  it("kept the fixtures working (bad input changed nothing it should not)", async () => {
    await expect(auth.signin({ email: "owner@example.com", password: PASSWORD })).resolves.toBeDefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });
});
