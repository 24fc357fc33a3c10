import { type Auth, createHttpHandler, type HttpHandler, type HttpHandlerOptions } from "@tenantauth/core";
import { type Context, Hono } from "hono";
import { swaggerUiAssets } from "./docs-assets.js";

/** Options of {@link authRoutes}. */
export interface AuthRoutesOptions extends Omit<HttpHandlerOptions, "basePath" | "docs"> {
  /** Serve the API reference at `GET /docs` (from the local swagger-ui-dist). @default true */
  docs?: boolean;
  /**
   * The client's IP for a request: sessions record it and the per-IP rate limits count by it (without it they are
   * skipped). On Node, e.g. `(c) => getConnInfo(c).remote.address`; behind a proxy, the address your proxy reports.
   */
  ip?: (c: Context) => string | undefined;
}

/**
 * The whole tenantauth HTTP API as a Hono app. Mount it under any prefix with `app.route()`; requests go to core's
 * Web-standard handler as they are, so Express and Hono answer alike.
 *
 * @example
 * const app = new Hono();
 * app.route("/auth", authRoutes(auth));
 */
export function authRoutes(auth: Auth, options: AuthRoutesOptions = {}): Hono {
  const { docs = true, ip, ...rest } = options;
  const handlers = new Map<string, HttpHandler>();
  const handlerFor = (basePath: string): HttpHandler => {
    let handler = handlers.get(basePath);
    if (!handler) {
      handler = createHttpHandler(auth, { ...rest, basePath, ...(docs ? { docs: swaggerUiAssets() } : {}) });
      handlers.set(basePath, handler);
    }
    return handler;
  };
  const app = new Hono();
  app.all("/*", async (c, next) => {
    // The mount prefix is what precedes the wildcard of the matched route, e.g. "/auth/*" → "/auth".
    const handler = handlerFor(c.req.routePath.replace(/\/?\*$/, ""));
    if (!handler.owns(c.req.path)) return next();
    return handler(c.req.raw, { ip: ip?.(c) });
  });
  return app;
}
