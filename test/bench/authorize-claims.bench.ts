/**
 * `authorize()` answered from the access token's `org` claim (after `switchOrganization`) against the same check
 * answered by one indexed query, on MySQL (SQLite in smoke mode when no MySQL is reachable). Both principals belong
 * to the same user and organization, side by side in one run.
 */
import type { UserPrincipal } from "@tenantauth/core";
import { createAuth } from "@tenantauth/core";
import { type KnexStorage, knexStorage } from "@tenantauth/knex";
import { type Benchmark, type BenchReport, benchDatabase, measure, ms, ratio } from "./harness.js";

const SECRET = "bench-secret-that-is-at-least-32-bytes-long";
const PASSWORD = "correct horse battery staple";

export const authorizeClaimsBenchmark: Benchmark = {
  name: "authorize-claims",
  async run({ smoke }): Promise<BenchReport> {
    const db = await benchDatabase(smoke, "authorize");
    let storage: KnexStorage | undefined;
    try {
      storage = knexStorage(db.url);
      await storage.migrate();
      const auth = createAuth({ secret: SECRET, storage, emailVerification: { required: false } });
      const { organization } = await auth.signup({
        email: "bench@example.test",
        password: PASSWORD,
        organizationName: "Bench",
      });
      const signedIn = await auth.signin({ email: "bench@example.test", password: PASSWORD });
      const plain = await auth.authenticate(signedIn.accessToken);
      const switched = await auth.switchOrganization(signedIn.refreshToken, organization.id);
      const claimed = (await auth.authenticate(switched.accessToken)) as UserPrincipal;
      if (!claimed.activeOrganization) throw new Error("switchOrganization gave no org claim");
      for (const p of [plain, claimed]) {
        if (!(await auth.authorize(p, organization.id, "member:invite"))) throw new Error("authorize said no");
      }
      const [fromClaims, fromQuery] = await measure(
        {
          "authorize, org claim in the token": () => auth.authorize(claimed, organization.id, "member:invite"),
          "authorize, one indexed query": () => auth.authorize(plain, organization.id, "member:invite"),
        },
        { iterations: smoke ? 20 : 5_000, warmupIterations: smoke ? 2 : 200 },
      );
      if (!fromClaims || !fromQuery) throw new Error("missing timings");
      return {
        title: `authorize() with the org claim against a query, on ${db.label}`,
        columns: ["check", "median ms", "MAD ms", "p99 ms", "ops/s"],
        rows: [fromClaims, fromQuery].map((t) => [
          t.name,
          ms(t.medianMs),
          ms(t.madMs),
          ms(t.p99Ms),
          Math.round(t.opsPerSecond),
        ]),
        notes: [
          `query / claims median: ${ratio(fromQuery.medianMs / fromClaims.medianMs)}× (the claim answers in-process; the query costs a database round-trip)`,
          "the claim holds the role as it was when the token was issued: after a role change or removal authenticate refuses it within revocation.refreshSeconds and the refresh carries the new role; strictAuthorization queries every time",
        ],
      };
    } finally {
      await storage?.destroy();
      await db.cleanup();
    }
  },
};
