/**
 * HTTP adapter overhead: `GET /auth/me` (token check, storage reads, core's handler, the adapter's conversion)
 * against a bare route in the same framework that returns the same JSON, with autocannon on loopback. Each framework
 * serves from a process of its own (test/bench/http-server.ts), so the load generator does not share its event loop;
 * the server's CPU time per request is measured beside the request rate. A third route, the bare one calling
 * `auth.me()` first, splits /auth/me's extra cost into the storage reads and tenantauth's HTTP layer.
 * Storage: memory (@tenantauth/testing), so the figure is the HTTP stack's and not a database round trip's.
 * Target: /auth/me reaches ≥ 0.8 of the bare route's requests per second.
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

/** Starts test/bench/http-server.ts for one framework in a child process (TypeScript through tsx, sources). */
async function startServer(framework: "express" | "hono"): Promise<Server> {
  const child: ChildProcess = fork(fileURLToPath(new URL("./http-server.ts", import.meta.url)), [framework], {
    cwd: ROOT,
    execArgv: ["--import", "tsx"],
    env: { ...process.env, TSX_TSCONFIG_PATH: fileURLToPath(new URL("../tsconfig.json", import.meta.url)) },
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
        if (!smoke) {
          await load(server, "/auth/me", 1); // warm-up
          await load(server, "/bare/me", 1);
          await load(server, "/bare/me-read", 1);
        }
        const bare: Load[] = [];
        const read: Load[] = [];
        const me: Load[] = [];
        for (let i = 0; i < rounds; i++) {
          bare.push(await load(server, "/bare/me", seconds, smoke));
          read.push(await load(server, "/bare/me-read", seconds, smoke));
          me.push(await load(server, "/auth/me", seconds, smoke));
        }
        const summary = (results: Load[]) => ({
          rps: median(results.map((r) => r.rps)),
          p50: median(results.map((r) => r.p50)),
          p99: median(results.map((r) => r.p99)),
          cpu: median(results.map((r) => r.cpuPerRequest)),
        });
        const b = summary(bare);
        const d = summary(read);
        const m = summary(me);
        rows.push([name, "bare route, same JSON", Math.round(b.rps), b.p50, b.p99, b.cpu.toFixed(0)]);
        rows.push([
          name,
          "bare route + auth.me() (storage reads only)",
          Math.round(d.rps),
          d.p50,
          d.p99,
          d.cpu.toFixed(0),
        ]);
        rows.push([name, "GET /auth/me", Math.round(m.rps), m.p50, m.p99, m.cpu.toFixed(0)]);
        const r = m.rps / b.rps;
        const us = (x: number): string => `${Math.max(0, x).toFixed(0)} µs`;
        const where =
          `server CPU per request: bare ${us(b.cpu)}, /auth/me ${us(m.cpu)}; 0.8 allows +${us(b.cpu / 4)}. ` +
          `Of the +${us(m.cpu - b.cpu)}: auth.me()'s reads on memory storage +${us(d.cpu - b.cpu)} (same server, bare route calling it), ` +
          `tenantauth's HTTP layer (token check, routing, validation, wire mapping, JSON, adapter) +${us(m.cpu - d.cpu)}`;
        notes.push(`${name}: /auth/me ÷ bare = ${ratio(r)} (target ≥ 0.8); ${where}`);
        targets.push({
          name: `HTTP adapter overhead, ${name}: GET /auth/me ÷ bare route (req/s)`,
          target: "≥ 0.8",
          measured: ratio(r),
          met: r >= 0.8,
          ...(r < 0.8 ? { note: where } : {}),
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
        "The bare routes are what a host app would write: Express `res.type(...).send(json)` (which also computes an ETag), Hono `c.body(json, 200, headers)`; tenantauth's Express adapter writes its JSON with `res.end()`.",
        "Storage is memory (@tenantauth/testing), to measure the HTTP stack and not a database round trip; on SQLite or MySQL each of me()'s two reads is a query instead.",
      ],
      targets,
    };
  },
};
