import * as z from "zod";
import { AuthError } from "../errors.js";
import type { Principal } from "./access-token.js";
import type { RequestMeta } from "./sessions.js";

const principalSchema = z.object({
  kind: z.literal("user"),
  userId: z.number().int().positive(),
  email: z.string(),
  sessionId: z.string().min(1),
  meta: z.object({ ip: z.string().optional(), userAgent: z.string().optional() }).optional(),
});

/**
 * Checks that a value passed as a principal has the shape `authenticate()` returns; anything else is
 * `UNAUTHENTICATED` (never a TypeError deeper down).
 */
export function assertPrincipal(value: unknown): asserts value is Principal {
  if (!principalSchema.safeParse(value).success) {
    throw new AuthError("UNAUTHENTICATED", "Authentication required: pass the principal that authenticate() returned");
  }
}

/**
 * The principal with the request's IP address and user agent attached, so that the audit events of what it does
 * record them. The HTTP handler does this for every authenticated route; call it when you use the SDK from your
 * own routes. The principal is not changed: a copy is returned.
 * @example await auth.members.remove(withRequestMeta(principal, { ip: req.ip, userAgent: req.get("user-agent") }), orgId, userId)
 */
export function withRequestMeta(principal: Principal, meta: RequestMeta): Principal {
  return { ...principal, meta: { ip: meta.ip, userAgent: meta.userAgent } };
}
