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
 * The user principals core made from a verified access token (`authenticate()`, and `withRequestMeta()` over one of
 * those with well-typed meta). They are deeply frozen, so they stay as valid as when they were made and need no
 * parse on each call. (An API key's principal is not frozen: its permissions are the caller's to sort or copy.)
 */
const made = new WeakSet<UserPrincipal>();

/**
 * Freezes a user principal core has just built from verified data and remembers it as valid. Returns it.
 * @internal
 */
export function sealPrincipal(principal: UserPrincipal): UserPrincipal {
  if (principal.activeOrganization) {
    Object.freeze(principal.activeOrganization.role.permissions);
    Object.freeze(principal.activeOrganization.role);
    Object.freeze(principal.activeOrganization);
  }
  Object.freeze(principal.meta); // freezing undefined is a no-op
  made.add(Object.freeze(principal));
  return principal;
}

/**
 * Checks that a value passed as a principal is a signed-in user, as `authenticate()` returns it; an API key's
 * principal is `API_KEY_NOT_ALLOWED`, anything else `UNAUTHENTICATED` (never a TypeError deeper down).
 */
export function assertPrincipal(value: unknown): asserts value is UserPrincipal {
  // Only what says it is a key is parsed as one (a failed zod parse costs more than a successful one).
  const kind = typeof value === "object" && value !== null ? (value as { kind?: unknown }).kind : undefined;
  // Only user principals are ever made (WeakSet.has of a primitive is false). A made principal would also parse:
  // this skips the parse, which is all it does.
  if (made.has(value as UserPrincipal)) return;
  if (kind === "apiKey" && apiKeyPrincipalSchema.safeParse(value).success) {
    throw new AuthError("API_KEY_NOT_ALLOWED", "An API key cannot do this: it needs a signed-in user");
  }
  if (!principalSchema.safeParse(value).success) {
    throw new AuthError("UNAUTHENTICATED", "Authentication required: pass the principal that authenticate() returned");
  }
}

/**
 * Refuses an impersonation token (`principal.impersonatorId` set) with `IMPERSONATION_NOT_ALLOWED`: an administrator
 * acting as a user may read and act in ordinary ways, but not take over the account or leave a credential behind.
 * Call it after the principal was checked ({@link assertPrincipal}, or a membership check); `action` completes
 * "An impersonation token cannot …".
 */
export function assertNotImpersonating(principal: Principal, action: string): void {
  if (principal.kind === "user" && principal.impersonatorId !== undefined) {
    throw new AuthError("IMPERSONATION_NOT_ALLOWED", `An impersonation token cannot ${action}`);
  }
}

/**
 * The principal with the request's IP address and user agent attached, so that the audit events of what it does
 * record them. The HTTP handler does this for every authenticated route; call it when you use the SDK from your
 * own routes. The principal is not changed: a copy is returned.
 * @example await auth.members.remove(withRequestMeta(principal, { ip: clientIp(auth.options.trustProxy, req.socket.remoteAddress, req.get("x-forwarded-for")), userAgent: req.get("user-agent") }), orgId, userId)
 */
export function withRequestMeta(principal: Principal, meta: RequestMeta): Principal {
  const copy = { ...principal, meta: { ip: meta.ip, userAgent: meta.userAgent } };
  // A principal core made stays one when what is added is well typed; anything else is parsed where it is used.
  const wellTyped = isOptionalString(meta.ip) && isOptionalString(meta.userAgent);
  // Only user principals are ever made.
  return wellTyped && made.has(principal as UserPrincipal) ? sealPrincipal(copy as UserPrincipal) : copy;
}

const isOptionalString = (value: unknown): boolean => value === undefined || typeof value === "string";

/** Like {@link assertPrincipal}, but an API key's principal passes too (for `authorize`). */
export function assertAnyPrincipal(value: unknown): asserts value is Principal {
  if (made.has(value as UserPrincipal) || apiKeyPrincipalSchema.safeParse(value).success) return;
  assertPrincipal(value);
}

/** The user a principal acts for: the signed-in user, or an API key's creator (audit rows name them as actor). */
export function userIdOf(principal: Principal): number {
  return principal.kind === "apiKey" ? principal.createdBy : principal.userId;
}
