import {
  type Auth,
  createHttpHandler,
  type HttpHandler,
  type HttpHandlerOptions,
  type HttpInput,
  nodeHeaderReader,
} from "@tenantauth/core";
import { type Context, Hono } from "hono";
import { swaggerUiAssets } from "./docs-assets.js";
import { clientIpOf, nodeIncomingOf } from "./node-request.js";

/** Options of {@link authRoutes}. */
export interface AuthRoutesOptions extends Omit<HttpHandlerOptions, "basePath" | "docs"> {
  /** Serve the API reference at `GET /docs` (from the local swagger-ui-dist). @default true */
  docs?: boolean;
}

/**
 * The whole tenantauth HTTP API as a Hono app. Mount it under any prefix with `app.route()`; requests go to core's
 * Web-standard handler as they are, so Express and Hono answer alike. On Node (@hono/node-server) the client IP is
 * the socket's address, with `X-Forwarded-For` counted only as far as `createAuth({ trustProxy })` allows.
 *
 * @example
 * const app = new Hono();
 * app.route("/auth", authRoutes(auth));
 */
export function authRoutes(auth: Auth, options: AuthRoutesOptions = {}): Hono {
  const { docs = true, ...rest } = options;
  // One handler per mount: by the matched route's path, e.g. "/auth/*", whose prefix ("/auth") is the base path.
  const handlers = new Map<string, HttpHandler>();
  const handlerFor = (routePath: string): HttpHandler => {
    let handler = handlers.get(routePath);
    if (!handler) {
      const basePath = routePath.replace(/\/?\*$/, "");
      handler = createHttpHandler(auth, { ...rest, basePath, ...(docs ? { docs: swaggerUiAssets() } : {}) });
      handlers.set(routePath, handler);
    }
    return handler;
  };
  const app = new Hono();
  app.all("/*", async (c, next) => {
    const handler = handlerFor(c.req.routePath);
    if (!handler.owns(c.req.path)) return next();
    const answer = await handler.reply(honoInput(c), { ip: clientIpOf(auth, c) });
    if (answer instanceof Response) return answer;
    return new Response(answer.body, { status: answer.status, headers: answer.headers });
  });
  return app;
}

/**
 * Core's view of a Hono request. On Node (@hono/node-server) headers are read from Node's request as the Express
 * adapter reads them, so no Web `Headers` is built for a request without a body; elsewhere from the Web `Request`.
 */
function honoInput(c: Context): HttpInput {
  const nodeHeaders = nodeIncomingOf(c)?.headers;
  return {
    method: c.req.method,
    url: c.req.url,
    header: nodeHeaders ? nodeHeaderReader(nodeHeaders) : (name) => c.req.raw.headers.get(name),
    request: () => c.req.raw,
  };
}
