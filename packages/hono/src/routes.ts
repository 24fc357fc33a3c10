import {
  type Auth,
  createHttpHandler,
  drainNodeBody,
  type HttpHandler,
  type HttpHandlerOptions,
  type HttpInput,
  nodeBodyStream,
  nodeHeaderReader,
  requestTarget,
} from "@tenantauth/core";
import { type Context, Hono } from "hono";
import { swaggerUiAssets } from "./docs-assets.js";
import { clientIpOf, type NodeIncoming, nodeIncomingOf } from "./node-request.js";

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
    const incoming = nodeIncomingOf(c);
    // The path as received (Node's request target; Hono's router decoded it), in normal form: core's one path rule,
    // shared with the Express adapter. Anything else goes on to the host app.
    const target = requestTarget(incoming?.url ?? c.req.url);
    if (!target || !handler.owns(target.pathname)) return next();
    const url = target.search ? `${target.pathname}?${target.search}` : target.pathname;
    // On Node, read the body from Node's request ourselves (unless the host app already did), so that what the
    // handler leaves unread can be drained before answering, as the Express adapter does. @hono/node-server would
    // drain it after the answer for only 500 ms and then close the connection: a reset for a client still sending.
    const body = incoming && incoming.readableFlowing === null && !incoming.readableEnded ? incoming : undefined;
    const answer = await handler.reply(honoInput(c, url, body), { ip: clientIpOf(auth, c) });
    if (body) await drainNodeBody(body);
    if (answer instanceof Response) return answer;
    return new Response(answer.body, { status: answer.status, headers: answer.headers });
  });
  return app;
}

/**
 * Core's view of a Hono request. On Node (@hono/node-server) headers are read from Node's request as the Express
 * adapter reads them, so no Web `Headers` is built for a request without a body, and the body comes from Node's
 * request when `body` is given; elsewhere both come from the Web `Request`.
 */
function honoInput(c: Context, url: string, body: NodeIncoming | undefined): HttpInput {
  const nodeHeaders = nodeIncomingOf(c)?.headers;
  return {
    method: c.req.method,
    url,
    header: nodeHeaders ? nodeHeaderReader(nodeHeaders) : (name) => c.req.raw.headers.get(name),
    request: () =>
      body
        ? new Request(c.req.url, {
            method: c.req.method,
            headers: c.req.raw.headers,
            body: nodeBodyStream(body),
            duplex: "half",
          } as RequestInit)
        : c.req.raw,
  };
}
