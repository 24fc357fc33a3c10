import { type Auth, userIdOf } from "@tenantauth/core";
import { type AuthEnv, authErrorHandler, authRoutes, requireAuth, requirePermission } from "@tenantauth/hono";
import { Hono } from "hono";

/** A note: this app's own tenant-scoped resource. */
export interface Note {
  id: number;
  orgId: number;
  text: string;
  authorId: number;
}

/**
 * The host app: tenantauth's API under /auth, and notes of its own per organization. Any member reads them;
 * only members holding `org:update` (Owner and Admin) write them. `auth` comes in from outside, so tests pass
 * `createTestAuth().auth` and production passes `createAuth({ … })`.
 */
export function createApp(auth: Auth): Hono<AuthEnv> {
  const notes: Note[] = []; // a real app keeps these in its own tables
  const orgId = (c: { req: { param(name: string): string } }): number => Number(c.req.param("orgId"));

  const app = new Hono<AuthEnv>();
  app.route("/auth", authRoutes(auth));
  app.onError(authErrorHandler());

  app.get("/api/orgs/:orgId/notes", requireAuth(auth), async (c) => {
    await auth.organizations.get(c.get("auth"), orgId(c)); // members only: outsiders get 404 NOT_FOUND
    return c.json(notes.filter((n) => n.orgId === orgId(c)));
  });

  app.post("/api/orgs/:orgId/notes", requirePermission(auth, "org:update", { orgId }), async (c) => {
    const body = (await c.req.json().catch(() => ({}))) as { text?: unknown };
    if (typeof body.text !== "string" || body.text.trim() === "") {
      return c.json({ error: { code: "INVALID_INPUT", message: "text is required" } }, 400);
    }
    const note: Note = {
      id: notes.length + 1,
      orgId: orgId(c),
      text: body.text.trim(),
      authorId: userIdOf(c.get("auth")),
    };
    notes.push(note);
    return c.json(note, 201);
  });

  return app;
}
