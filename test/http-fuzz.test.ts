import { createAuth, routes } from "@tenantauth/core";
import { memoryStorage } from "@tenantauth/testing";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, servers } from "./support/http-servers.js";

const SEED = 20_261_128;
/**
 * Requests per adapter (a test, not a benchmark: sequential, loopback only, about a minute per adapter); about a
 * fifth land on the host app's 404, and at least 70% must reach tenantauth. None may end in a connection reset.
 */
const RUNS = 30_000;
const REACHED = Math.floor(RUNS * 0.7);
const PW = "correct horse battery staple";

const sqlish = fc.constantFrom(
  "' OR 1=1 --",
  "1; DROP TABLE users",
  '"); DELETE FROM members; --',
  "admin'--",
  "1 UNION SELECT password FROM users",
);
const weirdString = fc.oneof(
  fc.string(),
  fc.string({ unit: "grapheme", maxLength: 50 }),
  fc.string({ unit: "binary", maxLength: 50 }),
  sqlish,
  fc.constant("\ud800"), // a lone surrogate
  fc.constant("x".repeat(70_000)),
  fc.constant("😀".repeat(5_000)),
);
const weirdValue = fc.oneof(
  weirdString,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.jsonValue(),
  fc.array(fc.string()),
);
const fieldNames = [
  "email",
  "password",
  "organization_name",
  "name",
  "details",
  "token",
  "refresh_token",
  "role_id",
  "user_id",
  "new_password",
  "current_password",
  "permissions",
  "profile",
  "settings",
  "invitation_token",
];
const segment = fc.oneof(
  fc.integer({ min: -5, max: 5 }).map(String),
  fc.constant("9007199254740993"),
  fc.constant("1e3"),
  fc.constant("%00"),
  fc.constant(".."),
  fc.constant("%E2%82%AC"),
  fc.constant("%ZZ"),
  fc.webSegment(),
);
const templatePath = fc
  .tuple(fc.constantFrom(...routes.map((r) => r.path)), fc.array(segment, { minLength: 4, maxLength: 4 }))
  .map(([path, values]) => {
    let i = 0;
    return path.replace(/\{[a-z_]+\}/g, () => values[i++ % values.length] ?? "1");
  });
const path = fc.oneof(
  { weight: 6, arbitrary: templatePath },
  { weight: 1, arbitrary: fc.array(segment, { maxLength: 5 }).map((s) => `/${s.join("/")}`) },
  { weight: 1, arbitrary: templatePath.map((p) => `${p}?limit=abc&cursor=%FF&role_id=-1&from=x&to=y`) },
);
const body = fc.oneof(
  fc.constant(undefined),
  fc.jsonValue().map((v) => ({ text: JSON.stringify(v), type: "application/json" })),
  fc
    .dictionary(fc.constantFrom(...fieldNames), weirdValue)
    .map((v) => ({ text: JSON.stringify(v), type: "application/json" })),
  weirdString.map((s) => ({ text: s, type: "application/json" })),
  fc.record({
    text: weirdString,
    type: fc.constantFrom(
      "text/plain",
      "application/x-www-form-urlencoded",
      "application/json; charset=latin1",
      "multipart/form-data",
      "application/vnd.api+json",
    ),
  }),
);

describe.each(servers)("fuzzing the HTTP API on $name", ({ start }) => {
  let server: RunningServer;
  let token = "";
  beforeAll(async () => {
    const auth = createAuth({
      secret: "fuzz-secret-that-is-at-least-32-bytes",
      storage: memoryStorage(),
      emailVerification: { required: false },
    });
    await auth.signup({ email: "fuzz@example.com", password: PW, organizationName: "Fuzz" });
    token = (await auth.signin({ email: "fuzz@example.com", password: PW })).accessToken;
    server = await start(auth);
  });
  afterAll(async () => {
    await server.close();
  });

  it(`answers ${RUNS} generated bad requests without a 5xx or a connection reset, each error carrying a code (seed ${SEED})`, async () => {
    const tally = { errors: 0, successes: 0, hostNotFound: 0, head: 0 };
    /** Requests whose connection was reset or closed before the answer (fetch throws): there must be none. */
    const resets: string[] = [];
    const request = fc.record({
      method: fc.oneof(
        { weight: 9, arbitrary: fc.constantFrom("GET", "POST", "PATCH", "DELETE", "PUT") },
        // HEAD (no body to read back), OPTIONS, and methods no route uses (WebDAV, the draft QUERY).
        { weight: 1, arbitrary: fc.constantFrom("HEAD", "OPTIONS", "PROPFIND", "QUERY") },
      ),
      path,
      body,
      authorization: fc.oneof(
        fc.constant(undefined),
        fc.constant("valid"),
        fc.constant("Bearer"),
        fc.constant("Basic dXNlcjpwYXNz"),
        // Header values must be printable ASCII and fit Node's 16 KB header limit (beyond it Node answers 431 itself).
        weirdString.filter((s) => /^[\t\x20-\x7e]*$/.test(s) && s.length < 8_000).map((s) => `Bearer ${s}`),
      ),
    });
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const headers: Record<string, string> = {};
        if (r.authorization) headers.authorization = r.authorization === "valid" ? `Bearer ${token}` : r.authorization;
        const hasBody = r.body !== undefined && r.method !== "GET" && r.method !== "HEAD";
        if (hasBody && r.body) headers["content-type"] = r.body.type;
        let response: Response;
        try {
          response = await fetch(`${server.baseUrl}/auth${r.path}`, {
            method: r.method,
            headers,
            body: hasBody ? r.body?.text : undefined,
          });
        } catch (error) {
          const cause = (error as { cause?: { code?: string; message?: string } }).cause;
          resets.push(`${r.method} ${r.path.slice(0, 100)}: ${cause?.code ?? cause?.message ?? String(error)}`);
          return;
        }
        const text = await response.text();
        expect(response.status, `${r.method} ${r.path} → ${text.slice(0, 200)}`).toBeLessThan(500);
        if (r.method === "HEAD") {
          // A HEAD answer has headers only: the status and a JSON content type are all there is to check.
          expect(response.headers.get("content-type"), `HEAD ${r.path}`).toMatch(/^application\/json/);
          tally.head += 1;
          return;
        }
        if (response.status === 204) {
          tally.successes += 1;
          return;
        }
        const json = JSON.parse(text) as { error?: { code?: unknown }; host?: unknown };
        if (json.host !== undefined) {
          tally.hostNotFound += 1;
          return;
        }
        if (response.status >= 400) {
          expect(typeof json.error?.code, `${r.method} ${r.path} → ${text.slice(0, 200)}`).toBe("string");
          tally.errors += 1;
        } else {
          tally.successes += 1;
        }
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    console.log(
      `fuzz (seed ${SEED}): ${RUNS} requests, ${tally.errors} errors with codes, ${tally.successes} successes, ${tally.hostNotFound} host 404s, ${tally.head} HEAD (no body), ${resets.length} resets`,
    );
    expect(resets, "connections reset or closed before the answer").toEqual([]);
    expect(tally.errors + tally.successes + tally.hostNotFound + tally.head).toBe(RUNS);
    expect(tally.errors + tally.successes, "requests that reached tenantauth").toBeGreaterThanOrEqual(REACHED);
    expect(tally.errors).toBeGreaterThan(RUNS / 2);
  }, 300_000);
});
