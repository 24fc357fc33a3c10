import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { Auth, Permission, Principal } from "@tenantauth/core";
import { authRouter, requireAuth as expressAuth, requirePermission as expressPermission } from "@tenantauth/express";
import {
  type AuthEnv,
  authRoutes,
  requireAuth as honoAuth,
  requirePermission as honoPermission,
} from "@tenantauth/hono";
import express from "express";
import express4 from "express4";
import { Hono } from "hono";

/**
 * A running HTTP server with tenantauth mounted at `/auth` and two routes of the host's own under `/api`
 * (`/api/me` also shows the user agent the middleware attached to the principal, for audit events).
 */
export interface RunningServer {
  baseUrl: string;
  close(): Promise<void>;
}

/** Starts a host app on a random loopback port. */
export type ServerFactory = (auth: Auth) => Promise<RunningServer>;

const PERMISSION: Permission = "stats:read";

/** Who called, as the host routes answer it: a user's id, or an API key's id. */
const caller = (principal: Principal | undefined): { user_id?: number; key_id?: string } =>
  principal?.kind === "apiKey" ? { key_id: principal.keyId } : { user_id: principal?.userId };

/** `/api/me` also shows the user agent the middleware attached to the principal. */
const me = (principal: Principal | undefined) =>
  principal?.kind === "apiKey" ? caller(principal) : { ...caller(principal), user_agent: principal?.meta?.userAgent };

/** The `express` function of Express 5, or of Express 4 (the devDependency alias `express4`). */
type ExpressFactory = typeof express;

/** `app.use("/auth", authRouter(auth))`, plus `/api/me` and `/api/orgs/:orgId/report`, on the given Express. */
const expressServerOn =
  (framework: ExpressFactory): ServerFactory =>
  async (auth) => {
    const app = framework();
    // Mount paths match case-sensitively, as on Hono (Express's default would let /AUTH/... reach tenantauth).
    app.set("case sensitive routing", true);
    app.use("/auth", authRouter(auth));
    app.get("/api/me", expressAuth(auth), (req, res) => {
      res.json(me(req.auth));
    });
    app.get(
      "/api/orgs/:orgId/report",
      expressPermission(auth, PERMISSION, { orgId: (req) => Number(req.params.orgId) }),
      (req, res) => {
        res.json({ org_id: Number(req.params.orgId), ...caller(req.auth) });
      },
    );
    app.get("/api/ip", expressAuth(auth), (req, res) => {
      res.json({ ip: req.auth?.meta?.ip ?? null });
    });
    app.get(
      "/api/orgs/:orgId/ip",
      expressPermission(auth, PERMISSION, { orgId: (req) => Number(req.params.orgId) }),
      (req, res) => {
        res.json({ ip: req.auth?.meta?.ip ?? null });
      },
    );
    app.use((_req, res) => {
      res.status(404).json({ host: "not found" });
    });
    const server = app.listen(0, "127.0.0.1");
    await new Promise<void>((resolve) => server.once("listening", () => resolve()));
    const { port } = server.address() as AddressInfo;
    return {
      baseUrl: `http://127.0.0.1:${port}`,
      close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
  };

/** Express 5, the version @tenantauth/express is built against. */
export const expressServer: ServerFactory = expressServerOn(express);
/** Express 4, which @tenantauth/express supports too (its peer range is ^4.21 || ^5). */
export const express4Server: ServerFactory = expressServerOn(express4);

/**
 * Hono on @hono/node-server: `app.route("/auth", authRoutes(auth))` as the examples mount it, plus the same host
 * routes. (`/api/ip` and `/api/orgs/:orgId/ip` show the client IP the middleware attached to the principal.)
 */
export const honoServer: ServerFactory = async (auth) => {
  const app = new Hono<AuthEnv>();
  app.route("/auth", authRoutes(auth));
  app.get("/api/me", honoAuth(auth), (c) => c.json(me(c.get("auth"))));
  app.get(
    "/api/orgs/:orgId/report",
    honoPermission(auth, PERMISSION, { orgId: (c) => Number(c.req.param("orgId")) }),
    (c) => c.json({ org_id: Number(c.req.param("orgId")), ...caller(c.get("auth")) }),
  );
  app.get("/api/ip", honoAuth(auth), (c) => c.json({ ip: c.get("auth").meta?.ip ?? null }));
  app.get(
    "/api/orgs/:orgId/ip",
    honoPermission(auth, PERMISSION, { orgId: (c) => Number(c.req.param("orgId")) }),
    (c) => c.json({ ip: c.get("auth").meta?.ip ?? null }),
  );
  app.notFound((c) => c.json({ host: "not found" }, 404));
  const { server, port } = await new Promise<{ server: ReturnType<typeof serve>; port: number }>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, (info) =>
      resolve({ server: s, port: info.port }),
    );
  });
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

/** Both adapters (Express on both its supported majors), for `describe.each`. */
export const servers: Array<{ name: string; start: ServerFactory }> = [
  { name: "express", start: expressServer },
  { name: "express4", start: express4Server },
  { name: "hono", start: honoServer },
];
