import { type Auth, createAuth, type Mailer, userIdOf } from "@tenantauth/core";
import { type AuthEnv, authErrorHandler, authRoutes, requireAuth, requirePermission } from "@tenantauth/hono";
import { type KnexStorage, knexStorage } from "@tenantauth/knex";
import { Hono } from "hono";

/** What the example app needs from its environment. */
export interface AppConfig {
  /** `sqlite:./file.db` (default in main.ts) or `mysql://…`. */
  databaseUrl: string;
  /** At least 32 bytes. */
  secret: string;
  /** Sends verification, reset and invitation mail. */
  mailer: Mailer;
}

/** A project: the example's own tenant-scoped resource. */
interface Project {
  id: number;
  orgId: number;
  name: string;
  createdBy: number;
}

/**
 * The example SaaS backend: tenantauth's API under /auth, and /api/orgs/:orgId/projects of its own, where any
 * member may list projects and only members holding `org:update` may create them.
 */
export async function createApp(config: AppConfig): Promise<{ app: Hono<AuthEnv>; auth: Auth; storage: KnexStorage }> {
  const storage = knexStorage(config.databaseUrl);
  await storage.migrate();
  const auth = createAuth({ secret: config.secret, storage, mailer: config.mailer });
  const projects: Project[] = []; // a real app keeps these in its own tables

  const app = new Hono<AuthEnv>();
  app.route("/auth", authRoutes(auth));
  app.onError(authErrorHandler()); // AuthErrors thrown in the routes below become tenantauth's JSON errors
  const orgId = (c: { req: { param(name: string): string } }): number => Number(c.req.param("orgId"));

  app.get("/api/orgs/:orgId/projects", requireAuth(auth), async (c) => {
    await auth.organizations.get(c.get("auth"), orgId(c)); // members only: outsiders get 404
    return c.json(projects.filter((p) => p.orgId === orgId(c)));
  });
  app.post("/api/orgs/:orgId/projects", requirePermission(auth, "org:update", { orgId }), async (c) => {
    const body = (await c.req.json().catch(() => ({}))) as { name?: unknown };
    if (typeof body.name !== "string" || body.name.trim() === "") {
      return c.json({ error: { code: "INVALID_INPUT", message: "name is required" } }, 400);
    }
    const project = {
      id: projects.length + 1,
      orgId: orgId(c),
      name: body.name.trim(),
      createdBy: userIdOf(c.get("auth")),
    };
    projects.push(project);
    return c.json(project, 201);
  });
  return { app, auth, storage };
}
