import {
  type Auth,
  AuthError,
  bearerToken,
  errorResponse,
  logError,
  type Permission,
  type Principal,
  withRequestMeta,
} from "@tenantauth/core";
import type { Context, ErrorHandler, MiddlewareHandler } from "hono";
import { clientIpOf } from "./node-request.js";

/** Context variables the middleware sets: `c.get("auth")` is the authenticated principal. */
export interface AuthVariables {
  auth: Principal;
}

/** The Hono environment of routes behind `requireAuth` / `requirePermission`. */
export interface AuthEnv {
  Variables: AuthVariables;
}

/**
 * The principal of the request's access token with its client IP (as `authRoutes` reads it: the socket's address on
 * @hono/node-server, `X-Forwarded-For` as far as `trustProxy` allows) and user agent attached, for audit events.
 */
const principalOf = async (auth: Auth, c: Context): Promise<Principal> =>
  withRequestMeta(await auth.authenticate(bearerToken(c.req.header("authorization"))), {
    ip: clientIpOf(auth, c),
    userAgent: c.req.header("user-agent"),
  });

const answer = (error: unknown): Response => {
  if (error instanceof AuthError) return errorResponse(error);
  throw error;
};

/**
 * Requires a valid access token; sets `c.get("auth")`. Missing or bad tokens get tenantauth's JSON 401.
 *
 * @example app.get("/api/me", requireAuth(auth), (c) => c.json({ userId: userIdOf(c.get("auth")) }));
 */
export function requireAuth(auth: Auth): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    try {
      c.set("auth", await principalOf(auth, c));
    } catch (error) {
      return answer(error);
    }
    await next();
  };
}

/** Options of {@link requirePermission}. */
export interface RequirePermissionOptions {
  /** Where the organization id comes from, e.g. `(c) => Number(c.req.param("orgId"))`. */
  orgId: (c: Context) => number;
}

/**
 * Requires an access token whose user holds `permission` in the organization `orgId(c)` names; sets
 * `c.get("auth")`. Outsiders get 404 `NOT_FOUND`, members without the permission 403 `FORBIDDEN`.
 */
export function requirePermission(
  auth: Auth,
  permission: Permission,
  options: RequirePermissionOptions,
): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    try {
      const principal = (c.get("auth") as Principal | undefined) ?? (await principalOf(auth, c));
      await auth.assertAuthorized(principal, options.orgId(c), permission);
      c.set("auth", principal);
    } catch (error) {
      return answer(error);
    }
    await next();
  };
}

/**
 * An `app.onError` handler that answers tenantauth's `AuthError`s (thrown by `auth.*` calls in your own routes)
 * with their JSON body and status. Other errors go to `fallback`, or become a generic JSON 500.
 *
 * @example app.onError(authErrorHandler());
 */
export function authErrorHandler(fallback?: ErrorHandler): ErrorHandler {
  return (error, c) => {
    if (error instanceof AuthError) return errorResponse(error);
    if (fallback) return fallback(error, c);
    logError("unexpected error", error);
    return errorResponse(error);
  };
}
