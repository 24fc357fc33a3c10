import {
  type Auth,
  AuthError,
  bearerToken,
  errorResponse,
  type Permission,
  type Principal,
  withRequestMeta,
} from "@tenantauth/core";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import { clientIpOf, sendWebResponse } from "./convert.js";

declare global {
  namespace Express {
    interface Request {
      /** The authenticated caller, set by `requireAuth` (and `requirePermission`). */
      auth?: Principal;
    }
  }
}

/** The principal of the request's access token, carrying its ip and user agent (for audit events). */
const principalOf = async (auth: Auth, req: Request): Promise<Principal> =>
  withRequestMeta(await auth.authenticate(bearerToken(req.get("authorization"))), {
    ip: clientIpOf(auth, req),
    userAgent: req.get("user-agent"),
  });

const fail = (res: Response, next: NextFunction, error: unknown): void => {
  if (error instanceof AuthError) void sendWebResponse(res, errorResponse(error)).catch(next);
  else next(error);
};

/**
 * Requires a valid access token and sets `req.auth` to the principal, with the request's client IP (as `authRouter`
 * reads it: see `createAuth({ trustProxy })`) and user agent attached, so that `auth.*` calls made with it record them in audit events. Missing or bad tokens get
 * tenantauth's JSON 401.
 *
 * @example app.get("/api/projects", requireAuth(auth), (req, res) => res.json({ user: userIdOf(req.auth!) }));
 */
export function requireAuth(auth: Auth): RequestHandler {
  return (req, res, next) => {
    Promise.resolve()
      .then(() => principalOf(auth, req))
      .then((principal) => {
        req.auth = principal;
        next();
      })
      .catch((error: unknown) => fail(res, next, error));
  };
}

/** Options of {@link requirePermission}. */
export interface RequirePermissionOptions {
  /** Where the organization id comes from, e.g. `(req) => Number(req.params.orgId)`. */
  orgId: (req: Request) => number;
}

/**
 * Requires an access token whose user holds `permission` in the organization that `orgId(req)` names.
 * Outsiders get 404 `NOT_FOUND`, members without the permission 403 `FORBIDDEN`.
 *
 * @example
 * app.delete("/api/orgs/:orgId/projects/:id", requirePermission(auth, "org:update", { orgId: (req) => Number(req.params.orgId) }), handler);
 */
export function requirePermission(
  auth: Auth,
  permission: Permission,
  options: RequirePermissionOptions,
): RequestHandler {
  return (req, res, next) => {
    Promise.resolve()
      .then(async () => {
        const principal = req.auth ?? (await principalOf(auth, req));
        await auth.assertAuthorized(principal, options.orgId(req), permission);
        req.auth = principal;
        next();
      })
      .catch((error: unknown) => fail(res, next, error));
  };
}

/**
 * An Express error handler that answers tenantauth's `AuthError`s (thrown by `auth.*` calls in your own routes)
 * with their JSON body and status; other errors go on to the next error handler.
 *
 * @example app.use(authErrorHandler());
 */
export function authErrorHandler(): (error: unknown, req: Request, res: Response, next: NextFunction) => void {
  return (error, _req, res, next) => fail(res, next, error);
}
