import {
  type Auth,
  createHttpHandler,
  type HttpHandler,
  type HttpHandlerOptions,
  requestTarget,
} from "@tenantauth/core";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import { clientIpOf, drainBody, nodeInput, sendReply } from "./convert.js";
import { swaggerUiAssets } from "./docs-assets.js";

/** Options of {@link authRouter}. */
export interface AuthRouterOptions extends Omit<HttpHandlerOptions, "basePath" | "docs"> {
  /** Serve the API reference at `GET /docs` (from the local swagger-ui-dist). @default true */
  docs?: boolean;
}

/**
 * The whole tenantauth HTTP API as Express middleware. Mount it under any prefix (or none): it answers the paths
 * of its routes (with JSON errors for wrong methods or input) and passes every other path on with `next()`, as
 * received: a percent-encoded or dot-segment spelling of a route's path is not that route (core's `requestTarget`).
 * The client IP (sessions, audit events, per-IP rate limits) is the socket's address; `X-Forwarded-For` counts only
 * as far as `createAuth({ trustProxy })` allows (Express's own `trust proxy` setting and `req.ip` are not used).
 *
 * @example
 * const app = express();
 * app.use("/auth", authRouter(auth));
 */
export function authRouter(auth: Auth, options: AuthRouterOptions = {}): RequestHandler {
  const { docs = true, ...rest } = options;
  const assets = docs ? swaggerUiAssets() : undefined;
  const handlers = new Map<string, HttpHandler>();
  // One handler per mount path (req.baseUrl), so paths and the OpenAPI servers entry include the prefix.
  const handlerFor = (basePath: string): HttpHandler => {
    let handler = handlers.get(basePath);
    if (!handler) {
      handler = createHttpHandler(auth, { ...rest, basePath, ...(assets ? { docs: assets } : {}) });
      handlers.set(basePath, handler);
    }
    return handler;
  };
  return (req: Request, res: Response, next: NextFunction): void => {
    const handler = handlerFor(req.baseUrl);
    // The path as received, in normal form (core's one path rule, shared with the Hono adapter), or the host's.
    const target = requestTarget(req.originalUrl);
    if (!target || !handler.owns(target.pathname)) {
      next();
      return;
    }
    const url = target.search ? `${target.pathname}?${target.search}` : target.pathname;
    // No Web Request unless the route reads a body, and no Web Response for JSON answers.
    handler
      .reply(nodeInput(req, url), { ip: clientIpOf(auth, req) })
      .then(async (reply) => {
        await drainBody(req); // a body the handler did not read (wrong method, too large)
        await sendReply(res, reply);
      })
      .catch(next);
  };
}
