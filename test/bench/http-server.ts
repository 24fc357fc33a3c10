/**
 * One framework's server for the HTTP adapter benchmark, in a process of its own (so autocannon does not share its
 * event loop, and one framework's globals do not affect the other). It serves, on memory storage:
 * - `/auth/*`: tenantauth through the framework's adapter;
 * - `/bare/me`: the JSON of `GET /auth/me`, prepared once and sent as a string (no work at all: a reference);
 * - `/bare/me-stringify`: the same, serialized on every request (what any route that answers JSON pays);
 * - `/bare/me-hand`: `GET /me` written by hand in the framework, the way a host app would: the framework's own
 *   header and JSON helpers, `auth.authenticate()`, `auth.me()` and a hand-written snake_case mapping.
 * All four answer byte-identical JSON (checked at start). Started by http-adapters.bench.ts with `fork()`; it
 * answers on IPC with its address and a valid token, then with `process.cpuUsage()` whenever asked.
 */
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { bearerToken, createAuth, type Me } from "@tenantauth/core";
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
const parsed: unknown = JSON.parse(body);

/** The wire shape of `GET /me`, mapped by hand as a host app would. */
const meWire = ({ user, organizations }: Me) => ({
  user: {
    id: user.id,
    email: user.email,
    email_verified: user.emailVerified,
    profile: user.profile,
    status: user.status,
    created_at: user.createdAt,
    updated_at: user.updatedAt,
  },
  organizations: organizations.map(({ organization, role }) => ({
    organization: {
      id: organization.id,
      name: organization.name,
      details: organization.details,
      personal: organization.personal,
      status: organization.status,
      settings: organization.settings,
      created_at: organization.createdAt,
      updated_at: organization.updatedAt,
    },
    role: {
      id: role.id,
      name: role.name,
      description: role.description,
      built_in: role.builtIn,
      permissions: role.permissions,
    },
  })),
});
/** The hand-written route's work: the SDK calls it makes with the request's Authorization header. */
const handMe = async (authorization: string | undefined) =>
  meWire(await auth.me(await auth.authenticate(bearerToken(authorization))));
if (JSON.stringify(await handMe(`Bearer ${accessToken}`)) !== body) {
  throw new Error("the hand-written /me does not answer the same JSON as GET /auth/me");
}

let port: number;
if (framework === "express") {
  const app = express();
  app.use("/auth", authRouter(auth));
  app.get("/bare/me", (_req, res) => {
    res.type("application/json").send(body);
  });
  app.get("/bare/me-stringify", (_req, res) => {
    res.json(parsed);
  });
  app.get("/bare/me-hand", async (req, res) => {
    res.json(await handMe(req.get("authorization")));
  });
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  port = (server.address() as AddressInfo).port;
} else if (framework === "hono") {
  const app = new Hono();
  app.route("/auth", authRoutes(auth));
  app.get("/bare/me", (c) => c.body(body, 200, { "content-type": "application/json" }));
  app.get("/bare/me-stringify", (c) => c.json(parsed));
  app.get("/bare/me-hand", async (c) => c.json(await handMe(c.req.header("authorization"))));
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
