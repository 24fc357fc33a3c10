import * as z from "zod";
import type { SessionInfo } from "../../sessions/session-management.js";
import { defineRoute, type Route } from "../route.js";

const sessionWire = z.object({
  id: z.string(),
  device: z.string().describe('a summary of the user agent, e.g. "Chrome on Linux"'),
  user_agent: z.string().nullable(),
  ip: z.string().nullable(),
  created_at: z.number().int().describe("epoch milliseconds"),
  last_used_at: z.number().int().describe("epoch milliseconds"),
  current: z.boolean().describe("true for the session of this access token"),
});

const toSessionWire = (s: SessionInfo): z.infer<typeof sessionWire> => ({
  id: s.id,
  device: s.device,
  user_agent: s.userAgent,
  ip: s.ip,
  created_at: s.createdAt,
  last_used_at: s.lastUsedAt,
  current: s.current,
});

/** The signed-in user's sessions: list them, revoke one, revoke all others. */
export const sessionRoutes: Route[] = [
  defineRoute({
    method: "GET",
    path: "/sessions",
    operationId: "listSessions",
    summary: "The signed-in user's live sessions, most recently used first",
    tag: "sessions",
    auth: true,
    response: { status: 200, description: "Sessions", schema: z.array(sessionWire) },
    errors: [],
    handle: async ({ auth, principal }) => (await auth.sessions.list(principal)).map(toSessionWire),
  }),
  defineRoute({
    method: "DELETE",
    path: "/sessions/{session_id}",
    operationId: "revokeSession",
    summary: "Revoke one of the signed-in user's sessions",
    tag: "sessions",
    auth: true,
    params: z.strictObject({ session_id: z.string().min(1).max(64) }),
    response: { status: 204, description: "Revoked", schema: null },
    errors: ["NOT_FOUND"],
    async handle({ auth, principal, params }) {
      await auth.sessions.revoke(principal, params.session_id);
    },
  }),
  defineRoute({
    method: "POST",
    path: "/sessions/revoke-others",
    operationId: "revokeOtherSessions",
    summary: "Revoke every session of the signed-in user except this one",
    tag: "sessions",
    auth: true,
    response: { status: 200, description: "How many sessions were revoked", schema: z.object({ revoked: z.number() }) },
    errors: ["IMPERSONATION_NOT_ALLOWED"],
    handle: async ({ auth, principal }) => ({ revoked: await auth.sessions.revokeOthers(principal) }),
  }),
];
