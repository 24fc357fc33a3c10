import * as z from "zod";
import { AuthError } from "../errors.js";
import type { Principal, UserPrincipal } from "./access-token.js";
import type { RequestMeta } from "./sessions.js";

const principalSchema = z.object({
  kind: z.literal("user"),
  userId: z.number().int().positive(),
  email: z.string(),
  sessionId: z.string().min(1),
  impersonatorId: z.number().int().positive().optional(),
  activeOrganization: z
    .object({
      id: z.number().int().positive(),
      role: z.object({ id: z.number().int().positive(), name: z.string(), permissions: z.array(z.string()) }),
    })
    .optional(),
  meta: z.object({ ip: z.string().optional(), userAgent: z.string().optional() }).optional(),
});

const apiKeyPrincipalSchema = z.object({
  kind: z.literal("apiKey"),
  keyId: z.string().min(1),
  orgId: z.number().int().positive(),
  createdBy: z.number().int().positive(),
  permissions: z.array(z.string()),
});

/**
 * Checks that a value passed as a principal is a signed-in user, as `authenticate()` returns it; an API key's
 * principal is `API_KEY_NOT_ALLOWED`, anything else `UNAUTHENTICATED` (never a TypeError deeper down).
 */
export function assertPrincipal(value: unknown): asserts value is UserPrincipal {
  // Only what says it is a key is parsed as one (a failed zod parse costs more than a successful one).
  const kind = typeof value === "object" && value !== null ? (value as { kind?: unknown }).kind : undefined;
  if (kind === "apiKey" && apiKeyPrincipalSchema.safeParse(value).success) {
    throw new AuthError("API_KEY_NOT_ALLOWED", "An API key cannot do this: it needs a signed-in user");
  }
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

/** Like {@link assertPrincipal}, but an API key's principal passes too (for `authorize`). */
export function assertAnyPrincipal(value: unknown): asserts value is Principal {
  if (apiKeyPrincipalSchema.safeParse(value).success) return;
  assertPrincipal(value);
}

/** The user a principal acts for: the signed-in user, or an API key's creator (audit rows name them as actor). */
export function userIdOf(principal: Principal): number {
  return principal.kind === "apiKey" ? principal.createdBy : principal.userId;
}
