/**
 * Adapter overhead: `GET /auth/me` with a valid access token, through tenantauth's Express and Hono adapters, against
 * a bare route in the same framework that returns the same JSON (precomputed). autocannon drives loopback from a
 * worker thread, so the server keeps the main thread; the two targets alternate within one run, round after round.
 * Target: ratio (tenantauth req/s ÷ bare req/s) ≥ 0.8. Smoke mode: one round of about 1 s per measurement.
 */
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { type Auth, createAuth } from "@tenantauth/core";
import { authRouter } from "@tenantauth/express";
import { authRoutes } from "@tenantauth/hono";
import { memoryStorage } from "@tenantauth/testing";
import autocannon from "autocannon";
import express from "express";
import { Hono } from "hono";
import { type Benchmark, type BenchReport, ratio } from "./harness.js";

const PASSWORD = "correct horse battery staple";
const CONNECTIONS = 10;
const TARGET = 0.8;

/** A host app on a loopback port: tenantauth at /auth, and `/bare/me` answering `body` as it is. */
interface Host {
  framework: string;
  baseUrl: string;
  close(): Promise<void>;
}

type HostFactory = (auth: Auth, body: string) => Promise<Host>;

const expressHost: HostFactory = async (auth, body) => {
  const app = express();
  app.use("/auth", authRouter(auth));
  app.get("/bare/me", (_req, res) => {
    res.setHeader("content-type", "application/json");
    res.end(body);
  });
  const server = app.listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  return {
    framework: "Express",
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

const honoHost: HostFactory = async (auth, body) => {
  const app = new Hono();
  app.route("/auth", authRoutes(auth));
  app.get("/bare/me", (c) => c.body(body, 200, { "content-type": "application/json" }));
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, () => resolve(s));
  });
  return {
    framework: "Hono",
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

/** One autocannon measurement; throws unless every response was a 2xx. */
async function load(
  url: string,
  headers: Record<string, string>,
  seconds: number,
): Promise<{ rps: number; p50: number; p99: number }> {
  const result = await autocannon({ url, headers, connections: CONNECTIONS, duration: seconds, workers: 1 });
  if (result.errors > 0 || result.non2xx > 0 || result["2xx"] === 0) {
    throw new Error(`${url}: ${result.errors} errors, ${result.non2xx} non-2xx, ${result["2xx"]} 2xx`);
  }
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

export const httpAdaptersBenchmark: Benchmark = {
  name: "http-adapters",
  async run({ smoke }): Promise<BenchReport> {
    const [rounds, seconds, warmup] = smoke ? [1, 1, 0] : [3, 5, 2];
    const auth = createAuth({
      secret: "bench-secret-that-is-at-least-32-bytes",
      storage: memoryStorage(),
      emailVerification: { required: false },
    });
    await auth.signup({ email: "bench@example.com", password: PASSWORD, organizationName: "Bench" });
    const { accessToken } = await auth.signin({ email: "bench@example.com", password: PASSWORD });
    const authorization = { authorization: `Bearer ${accessToken}` };

    const rows: BenchReport["rows"] = [];
    const notes: string[] = [];
    let bodyBytes = 0;
    for (const start of [expressHost, honoHost]) {
      // The bare route answers exactly what /auth/me answers, fetched once through a throw-away host.
      const probe = await start(auth, "");
      const me = await fetch(`${probe.baseUrl}/auth/me`, { headers: authorization });
      const body = await me.text();
      await probe.close();
      if (me.status !== 200) throw new Error(`GET /auth/me answered ${me.status}: ${body}`);
      bodyBytes = Buffer.byteLength(body);

      const host = await start(auth, body);
      try {
        const bare = await fetch(`${host.baseUrl}/bare/me`);
        if ((await bare.text()) !== body) throw new Error(`${host.framework}: the bare route's body differs`);
        const targets = [
          {
            name: `${host.framework}: GET /auth/me (tenantauth)`,
            url: `${host.baseUrl}/auth/me`,
            headers: authorization,
          },
          { name: `${host.framework}: GET /bare/me (same JSON)`, url: `${host.baseUrl}/bare/me`, headers: {} },
        ];
        if (warmup) for (const t of targets) await load(t.url, t.headers, warmup);
        const samples = targets.map(() => [] as Array<{ rps: number; p50: number; p99: number }>);
        for (let round = 0; round < rounds; round++) {
          // Alternate which target goes first, so neither always gets the warmer (or hotter) machine.
          const order = round % 2 === 0 ? [0, 1] : [1, 0];
          for (const i of order) {
            const t = targets[i];
            if (t) samples[i]?.push(await load(t.url, t.headers, seconds));
          }
        }
        const summary = samples.map((s) => ({
          rps: median(s.map((x) => x.rps)),
          p50: median(s.map((x) => x.p50)),
          p99: median(s.map((x) => x.p99)),
        }));
        const [viaAuth, viaBare] = summary;
        if (!viaAuth || !viaBare) throw new Error("missing measurements");
        const r = viaAuth.rps / viaBare.rps;
        targets.forEach((t, i) => {
          const s = summary[i];
          if (s) rows.push([t.name, Math.round(s.rps), s.p50, s.p99, i === 0 ? ratio(r) : "1.00"]);
        });
        notes.push(`${host.framework}: ratio tenantauth / bare ${ratio(r)} (target ≥ ${TARGET})`);
      } finally {
        await host.close();
      }
    }
    notes.push(
      `autocannon: ${CONNECTIONS} connections on loopback from a worker thread, ${rounds} alternating round(s) of ${seconds} s per target (median shown); response body ${bodyBytes} bytes`,
    );
    return {
      title: "HTTP adapter overhead: GET /auth/me with a valid token vs a bare route returning the same JSON",
      columns: ["route", "req/s", "p50 ms", "p99 ms", "ratio"],
      rows,
      notes,
    };
  },
};
