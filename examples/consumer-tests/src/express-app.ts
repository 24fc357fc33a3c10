import { type Auth, userIdOf } from "@tenantauth/core";
import { authErrorHandler, authRouter, requireAuth, requirePermission } from "@tenantauth/express";
import express, { type Express, type Request } from "express";
import type { Note } from "./app.js";

/** The same host app as `app.ts`, on Express 5. */
export function createExpressApp(auth: Auth): Express {
  const notes: Note[] = [];
  const orgId = (req: Request): number => Number(req.params.orgId);

  const app = express();
  app.disable("x-powered-by"); // do not advertise the framework and its version
  app.use("/auth", authRouter(auth));
  app.use(express.json());

  app.get("/api/orgs/:orgId/notes", requireAuth(auth), async (req, res) => {
    await auth.organizations.get(req.auth!, orgId(req)); // members only: outsiders get 404 NOT_FOUND
    res.json(notes.filter((n) => n.orgId === orgId(req)));
  });

  app.post("/api/orgs/:orgId/notes", requirePermission(auth, "org:update", { orgId }), (req, res) => {
    const text: unknown = req.body?.text;
    if (typeof text !== "string" || text.trim() === "") {
      res.status(400).json({ error: { code: "INVALID_INPUT", message: "text is required" } });
      return;
    }
    const note: Note = { id: notes.length + 1, orgId: orgId(req), text: text.trim(), authorId: userIdOf(req.auth!) };
    notes.push(note);
    res.status(201).json(note);
  });

  app.use(authErrorHandler()); // AuthErrors thrown above (Express 5 forwards async throws) become JSON errors
  return app;
}
