/**
 * HTTP adapter overhead: `GET /auth/me` through tenantauth's adapter (routing, token check, validation, wire mapping,
 * JSON, the adapter's conversion) against a bare route in the same framework that returns the same JSON, with
 * autocannon on loopback. The bare route is `GET /me` written by hand in the framework, as a host app would write it
 * with the SDK: the framework's own header and JSON helpers, `auth.authenticate()`, `auth.me()`. So the ratio is what
 * the adapter costs over writing the route yourself. Two more bare routes give the scale: the same JSON prepared once
 * (no work at all) and serialized per request (what answering JSON costs anywhere).
 * Each framework serves from a process of its own (test/bench/http-server.ts) running the built packages, so the
 * load generator does not share its event loop; the server's CPU time per request is measured beside the rate.
 * Storage: memory (@tenantauth/testing), so the figure is the HTTP stack's and not a database round trip's.
 * Target: /auth/me reaches ≥ 0.8 of the hand-written route's requests per second.
 */
import { type ChildProcess, fork } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { type Benchmark, type BenchReport, median, ratio, type TargetResult } from "./harness.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const CONNECTIONS = 8;

interface Server {
  base: string;
  token: string;
  cpuMicros(): Promise<number>;
  close(): Promise<void>;
}

/**
 * Starts test/bench/http-server.ts for one framework in a child process: the file through tsx, @tenantauth/* from
 * their built dist (tsconfig.dist.json maps no paths), as an app that installs them runs them.
 */
async function startServer(framework: "express" | "hono"): Promise<Server> {
  const child: ChildProcess = fork(fileURLToPath(new URL("./http-server.ts", import.meta.url)), [framework], {
    cwd: ROOT,
    execArgv: ["--import", "tsx"],
    env: { ...process.env, TSX_TSCONFIG_PATH: fileURLToPath(new URL("./tsconfig.dist.json", import.meta.url)) },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const exited = once(child, "exit").then(([code]) => {
    throw new Error(`the ${framework} bench server exited (${code})`);
  });
  exited.catch(() => undefined);
  const [ready] = (await Promise.race([once(child, "message"), exited])) as [{ base: string; token: string }];
  return {
    base: ready.base,
    token: ready.token,
    async cpuMicros() {
      child.send("cpu");
      const [answer] = (await Promise.race([once(child, "message"), exited])) as [{ cpu: NodeJS.CpuUsage }];
      return answer.cpu.user + answer.cpu.system;
    },
    async close() {
      child.disconnect();
      if (child.exitCode === null) await once(child, "exit");
    },
  };
}

interface Load {
  rps: number;
  p50: number;
  p99: number;
  cpuPerRequest: number;
}

async function load(server: Server, path: string, seconds: number, smoke = false): Promise<Load> {
  const before = await server.cpuMicros();
  const result = await autocannon({
    url: `${server.base}${path}`,
    connections: CONNECTIONS,
    ...(smoke ? { amount: 200 } : { duration: seconds }),
    headers: { authorization: `Bearer ${server.token}` },
  });
  const cpu = (await server.cpuMicros()) - before;
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${path}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    cpuPerRequest: cpu / Math.max(1, result.requests.total),
  };
}

/** The routes each framework's server answers, in the order they are loaded in a round. */
const ROUTES = [
  { path: "/bare/me", label: "bare route, the JSON prepared once (reference)" },
  { path: "/bare/me-stringify", label: "bare route, the same JSON serialized per request" },
  { path: "/bare/me-hand", label: "bare route, GET /me written by hand with the SDK" },
  { path: "/auth/me", label: "GET /auth/me through tenantauth's adapter" },
] as const;

export const httpAdaptersBenchmark: Benchmark = {
  name: "http-adapters",
  async run({ smoke }): Promise<BenchReport> {
    const seconds = smoke ? 1 : 5;
    const rounds = smoke ? 1 : 3;
    const rows: Array<Array<string | number>> = [];
    const notes: string[] = [];
    const targets: TargetResult[] = [];
    for (const [name, framework] of [
      ["Express 5", "express"],
      ["Hono 4 (@hono/node-server)", "hono"],
    ] as const) {
      const server = await startServer(framework);
      try {
        if (!smoke) for (const route of ROUTES) await load(server, route.path, 1); // warm-up
        const loads = new Map<string, Load[]>(ROUTES.map((route) => [route.path, []]));
        for (let i = 0; i < rounds; i++) {
          for (const route of ROUTES) loads.get(route.path)?.push(await load(server, route.path, seconds, smoke));
        }
        const summary = (path: string) => {
          const results = loads.get(path) ?? [];
          return {
            rps: median(results.map((r) => r.rps)),
            p50: median(results.map((r) => r.p50)),
            p99: median(results.map((r) => r.p99)),
            cpu: median(results.map((r) => r.cpuPerRequest)),
          };
        };
        for (const route of ROUTES) {
          const s = summary(route.path);
          rows.push([name, route.label, Math.round(s.rps), s.p50, s.p99, s.cpu.toFixed(0)]);
        }
        const prepared = summary("/bare/me");
        const serialized = summary("/bare/me-stringify");
        const hand = summary("/bare/me-hand");
        const adapter = summary("/auth/me");
        const r = adapter.rps / hand.rps;
        const us = (x: number): string => `${Math.max(0, x).toFixed(0)} µs`;
        const cpu =
          `server CPU per request: hand-written ${us(hand.cpu)}, /auth/me ${us(adapter.cpu)}, ` +
          `JSON prepared once ${us(prepared.cpu)}, serialized per request ${us(serialized.cpu)}`;
        notes.push(`${name}: /auth/me ÷ hand-written = ${ratio(r)} (target ≥ 0.8); ${cpu}`);
        targets.push({
          name: `HTTP adapter overhead, ${name}: GET /auth/me ÷ the same route written by hand (req/s)`,
          target: "≥ 0.8",
          measured: ratio(r),
          met: r >= 0.8,
          note: cpu,
        });
        targets.push({
          name: `${name}: GET /auth/me ÷ a bare route sending the JSON prepared once (req/s)`,
          target: "—",
          measured: ratio(adapter.rps / prepared.rps),
          met: null,
          note:
            `reference: a route that only serializes the same JSON per request reaches ${ratio(serialized.rps / prepared.rps)} of it, ` +
            "the hand-written /me " +
            ratio(hand.rps / prepared.rps),
        });
      } finally {
        await server.close();
      }
    }
    return {
      title: `HTTP adapter overhead (autocannon, ${CONNECTIONS} connections, ${rounds} × ${seconds} s per route, alternating; server in its own process)`,
      columns: ["framework", "route", "req/s (median)", "p50 ms", "p99 ms", "server CPU µs/request"],
      rows,
      notes: [
        ...notes,
        'All four routes answer byte-identical JSON (the server checks it at start). The hand-written route is what a host app would write: Express `res.json(await handMe(req.get("authorization")))`, Hono `c.json(await handMe(c.req.header("authorization")))`, where handMe calls `auth.authenticate()`, `auth.me()` and maps to snake_case.',
        "The prepared-JSON route does no work per request. Its reference rows show how far from it a route falls that only serializes the same JSON per request, before any authentication or read: that is why the target compares the adapter with the same work written by hand.",
        "Storage is memory (@tenantauth/testing), to measure the HTTP stack and not a database round trip; on SQLite or MySQL each of me()'s two reads is a query instead.",
      ],
      targets,
    };
  },
};
