import { type Auth, createAuth, type Mailer, userIdOf } from "@tenantauth/core";
import { authErrorHandler, authRouter, requireAuth, requirePermission } from "@tenantauth/express";
import { type KnexStorage, knexStorage } from "@tenantauth/knex";
import express, { type Express, type Request } from "express";

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
export async function createApp(config: AppConfig): Promise<{ app: Express; auth: Auth; storage: KnexStorage }> {
  const storage = knexStorage(config.databaseUrl);
  await storage.migrate();
  const auth = createAuth({ secret: config.secret, storage, mailer: config.mailer });
  const projects: Project[] = []; // a real app keeps these in its own tables
  const orgId = (req: Request): number => Number(req.params.orgId);

  const app = express();
  app.disable("x-powered-by"); // do not advertise the framework and its version
  app.set("case sensitive routing", true); // /AUTH/... is not /auth/... (as on Hono): one spelling per route
  app.use("/auth", authRouter(auth));
  app.use(express.json());
  app.get("/api/orgs/:orgId/projects", requireAuth(auth), async (req, res, next) => {
    try {
      await auth.organizations.get(req.auth!, orgId(req)); // members only: outsiders get 404
      res.json(projects.filter((p) => p.orgId === orgId(req)));
    } catch (error) {
      next(error);
    }
  });
  app.post("/api/orgs/:orgId/projects", requirePermission(auth, "org:update", { orgId }), (req, res) => {
    const name: unknown = req.body?.name;
    if (typeof name !== "string" || name.trim() === "") {
      res.status(400).json({ error: { code: "INVALID_INPUT", message: "name is required" } });
      return;
    }
    const project = { id: projects.length + 1, orgId: orgId(req), name: name.trim(), createdBy: userIdOf(req.auth!) };
    projects.push(project);
    res.status(201).json(project);
  });
  app.use(authErrorHandler()); // AuthErrors thrown in the routes above become tenantauth's JSON errors
  return { app, auth, storage };
}
