/**
 * HTTP adapter overhead: `GET /auth/me` (token check, storage reads, core's handler, the adapter's conversion)
 * against a bare route in the same framework that returns the same JSON, with autocannon on loopback.
 * Target: /auth/me reaches ≥ 0.8 of the bare route's requests per second.
 */
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { createAuth } from "@tenantauth/core";
import { authRouter } from "@tenantauth/express";
import { authRoutes } from "@tenantauth/hono";
import { memoryStorage } from "@tenantauth/testing";
import autocannon from "autocannon";
import express from "express";
import { Hono } from "hono";
import type { Benchmark, BenchReport } from "./harness.js";
import { ratio } from "./harness.js";

interface Target {
  base: string;
  close(): Promise<void>;
}

async function setup(): Promise<{ auth: ReturnType<typeof createAuth>; token: string; body: string }> {
  const auth = createAuth({
    secret: "bench-secret-that-is-at-least-32-bytes",
    storage: memoryStorage(),
    emailVerification: { required: false },
  });
  await auth.signup({
    email: "bench@example.com",
    password: "correct horse battery staple",
    organizationName: "Bench",
  });
  const { accessToken } = await auth.signin({ email: "bench@example.com", password: "correct horse battery staple" });
  const response = await auth.handler(
    new Request("http://localhost/me", { headers: { authorization: `Bearer ${accessToken}` } }),
  );
  return { auth, token: accessToken, body: await response.text() };
}

async function expressTarget(auth: ReturnType<typeof createAuth>, body: string): Promise<Target> {
  const app = express();
  app.use("/auth", authRouter(auth));
  app.get("/bare/me", (_req, res) => {
    res.type("application/json").send(body);
  });
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function honoTarget(auth: ReturnType<typeof createAuth>, body: string): Promise<Target> {
  const app = new Hono();
  app.route("/auth", authRoutes(auth));
  app.get("/bare/me", (c) => c.body(body, 200, { "content-type": "application/json" }));
  const server = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 });
  await new Promise((resolve) => server.once("listening", resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function load(url: string, token: string, seconds: number): Promise<autocannon.Result> {
  const result = await autocannon({
    url,
    connections: 8,
    duration: seconds,
    headers: { authorization: `Bearer ${token}` },
  });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return result;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

export const httpAdaptersBenchmark: Benchmark = {
  name: "http-adapters",
  async run({ smoke }): Promise<BenchReport> {
    const seconds = smoke ? 1 : 5;
    const rounds = smoke ? 1 : 3;
    const { auth, token, body } = await setup();
    const rows: Array<Array<string | number>> = [];
    const notes: string[] = [];
    for (const [name, start] of [
      ["Express 5", expressTarget],
      ["Hono 4 (@hono/node-server)", honoTarget],
    ] as const) {
      const target = await start(auth, body);
      try {
        const bare: autocannon.Result[] = [];
        const me: autocannon.Result[] = [];
        for (let i = 0; i < rounds; i++) {
          bare.push(await load(`${target.base}/bare/me`, token, seconds));
          me.push(await load(`${target.base}/auth/me`, token, seconds));
        }
        for (const [route, results] of [
          ["bare route, same JSON", bare],
          ["GET /auth/me", me],
        ] as const) {
          rows.push([
            name,
            route,
            Math.round(median(results.map((r) => r.requests.average))),
            median(results.map((r) => r.latency.p50)),
            median(results.map((r) => r.latency.p99)),
          ]);
        }
        const r = median(me.map((x) => x.requests.average)) / median(bare.map((x) => x.requests.average));
        notes.push(`${name}: /auth/me ÷ bare = ${ratio(r)} (target ≥ 0.8)`);
      } finally {
        await target.close();
      }
    }
    return {
      title: `HTTP adapter overhead (autocannon, 8 connections, ${rounds} × ${seconds} s per route, alternating)`,
      columns: ["framework", "route", "req/s (median)", "p50 ms", "p99 ms"],
      rows,
      notes,
    };
  },
};
