/**
 * One framework's server for the HTTP adapter benchmark, in a process of its own (so autocannon does not share its
 * event loop, and one framework's globals do not affect the other): tenantauth under `/auth` on memory storage, and a
 * bare route returning the same JSON, and a bare route that also calls `auth.me()` (the storage reads alone). Started by http-adapters.bench.ts with `fork()`; it answers on IPC with its
 * address and a valid token, then with `process.cpuUsage()` whenever asked.
 */
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { createAuth } from "@tenantauth/core";
import { authRouter } from "@tenantauth/express";
import { authRoutes } from "@tenantauth/hono";
import { memoryStorage } from "@tenantauth/testing";
import express from "express";
import { Hono } from "hono";

const framework = process.argv[2];
const auth = createAuth({
  secret: "bench-secret-that-is-at-least-32-bytes",
  storage: memoryStorage(),
  emailVerification: { required: false },
});
const password = "correct horse battery staple";
await auth.signup({ email: "bench@example.com", password, organizationName: "Bench" });
const { accessToken } = await auth.signin({ email: "bench@example.com", password });
const me = await auth.handler(
  new Request("http://localhost/me", { headers: { authorization: `Bearer ${accessToken}` } }),
);
const body = await me.text();
const principal = await auth.authenticate(accessToken);
/** What /auth/me reads from storage, without tenantauth's HTTP layer: for the bench's breakdown. */
const readMe = () => auth.me(principal);

let port: number;
if (framework === "express") {
  const app = express();
  app.use("/auth", authRouter(auth));
  app.get("/bare/me", (_req, res) => {
    res.type("application/json").send(body);
  });
  app.get("/bare/me-read", async (_req, res) => {
    await readMe();
    res.type("application/json").send(body);
  });
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  port = (server.address() as AddressInfo).port;
} else if (framework === "hono") {
  const app = new Hono();
  app.route("/auth", authRoutes(auth));
  app.get("/bare/me", (c) => c.body(body, 200, { "content-type": "application/json" }));
  app.get("/bare/me-read", async (c) => {
    await readMe();
    return c.body(body, 200, { "content-type": "application/json" });
  });
  const server = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 });
  await new Promise((resolve) => server.once("listening", resolve));
  port = (server.address() as AddressInfo).port;
} else {
  throw new Error(`unknown framework ${framework}`);
}

process.on("message", (message) => {
  if (message === "cpu") process.send?.({ cpu: process.cpuUsage() });
});
process.on("disconnect", () => process.exit(0));
process.send?.({ base: `http://127.0.0.1:${port}`, token: accessToken, body });
