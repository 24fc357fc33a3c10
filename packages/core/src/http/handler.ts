import type * as z from "zod";
import type { Auth } from "../auth.js";
import { AuthError } from "../errors.js";
import { toIssues } from "../internal/validate.js";
import { withRequestMeta } from "../sessions/principal.js";
import { readJsonBody } from "./body.js";
import { type DocsAssets, serveDocs } from "./docs.js";
import { buildOpenApiDocument } from "./openapi.js";
import type { Route } from "./route.js";
import { routes } from "./routes.js";

/** Options of {@link createHttpHandler}. */
export interface HttpHandlerOptions {
  /** Path prefix the routes are mounted under, e.g. `/auth`. @default "" */
  basePath?: string;
  /** Largest accepted request body, in bytes. @default 65536 */
  maxBodyBytes?: number;
  /** Swagger UI's files, to serve the API reference at `GET /docs` (the adapters pass swagger-ui-dist). */
  docs?: DocsAssets;
  /** Called with every unexpected (500) error; use it to log. Never called for AuthErrors. @default console.error */
  onError?: (error: unknown, request: Request) => void;
}

/** Per-request facts an adapter knows and a `Request` does not carry. */
export interface HandlerContext {
  /** The client's IP address, as the adapter determined it (trust-proxy rules are the host's). */
  ip?: string | undefined;
}

/** A Web-standard request handler: the whole tenantauth HTTP API. */
export interface HttpHandler {
  (request: Request, context?: HandlerContext): Promise<Response>;
  /**
   * True when a URL path (with the base path) is one of tenantauth's: a route (any method), `/openapi.json` or
   * the docs. Adapters mounted at a shared prefix pass other paths on to the host app.
   */
  owns(pathname: string): boolean;
}

interface CompiledRoute {
  route: Route;
  segments: string[];
}

const compile = (route: Route): CompiledRoute => ({ route, segments: route.path.split("/").filter(Boolean) });

function match(compiled: CompiledRoute, parts: string[]): Record<string, string> | null {
  if (compiled.segments.length !== parts.length) return null;
  const params: Record<string, string> = {};
  for (const [i, segment] of compiled.segments.entries()) {
    const part = parts[i] ?? "";
    if (segment.startsWith("{")) params[segment.slice(1, -1)] = part;
    else if (segment !== part) return null;
  }
  return params;
}

const JSON_HEADERS = { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" };

/** A JSON response. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { ...JSON_HEADERS, ...headers },
  });
}

/** The response for an error: AuthErrors keep their code and status; anything else is a generic 500. */
export function errorResponse(error: unknown): Response {
  if (error instanceof AuthError) {
    const headers: Record<string, string> = {};
    if (error.status === 401) headers["www-authenticate"] = 'Bearer realm="tenantauth"';
    const retryAfter = error.details?.retryAfterSeconds;
    if (typeof retryAfter === "number") headers["retry-after"] = String(Math.ceil(retryAfter));
    return json(error.status, error.toJSON(), headers);
  }
  return json(500, { error: { code: "INTERNAL_ERROR", message: "Internal error" } });
}

function validate<T>(schema: z.ZodType<T> | undefined, value: unknown, where: string): T {
  if (!schema) return undefined as T;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = toIssues(result.error).map((i) => ({ ...i, path: i.path ? `${where}.${i.path}` : where }));
  throw new AuthError("INVALID_INPUT", `Invalid ${where}: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`, {
    details: { issues },
  });
}

/**
 * The access token of an `Authorization: Bearer <token>` header value. A missing header is `UNAUTHENTICATED`;
 * any other scheme or shape is `INVALID_TOKEN`. Shared by core's handler and the framework middleware.
 */
export function bearerToken(header: string | null | undefined): string {
  if (!header) throw new AuthError("UNAUTHENTICATED", "Send an access token: Authorization: Bearer <token>");
  const [scheme, token, extra] = header.trim().split(/\s+/);
  if (scheme?.toLowerCase() !== "bearer" || !token || extra !== undefined) {
    throw new AuthError("INVALID_TOKEN", "The Authorization header must be: Bearer <token>");
  }
  return token;
}

/** Duck-typed: adapters (e.g. @hono/node-server) may pass their own Request implementation. */
const isRequest = (value: unknown): value is Request =>
  typeof value === "object" &&
  value !== null &&
  typeof (value as Request).url === "string" &&
  typeof (value as Request).method === "string" &&
  typeof (value as Request).headers?.get === "function";

/**
 * Builds the Web-standard handler for the route table: `(Request) => Promise<Response>`. Both HTTP adapters
 * mount this one function, so their status codes and bodies cannot drift. It also serves `GET /openapi.json`.
 *
 * @example
 * const handler = createHttpHandler(auth, { basePath: "/auth" });
 * const response = await handler(new Request("http://localhost/auth/signin", { method: "POST", ... }));
 */
export function createHttpHandler(auth: Auth, options: HttpHandlerOptions = {}): HttpHandler {
  const basePath = (options.basePath ?? "").replace(/\/+$/, "");
  const maxBodyBytes = options.maxBodyBytes ?? 65_536;
  const onError = options.onError ?? ((error: unknown) => console.error("[tenantauth] unexpected error", error));
  const table = routes.map(compile);
  let openapi: string | undefined;

  const dispatch = async (request: Request, context: HandlerContext): Promise<Response> => {
    const url = new URL(request.url);
    if (basePath && url.pathname !== basePath && !url.pathname.startsWith(`${basePath}/`)) {
      throw new AuthError("ROUTE_NOT_FOUND", "No such route");
    }
    const path = url.pathname.slice(basePath.length) || "/";
    if (request.method === "GET" && path === "/openapi.json") {
      openapi ??= JSON.stringify(buildOpenApiDocument({ serverUrl: basePath || "/" }));
      return new Response(openapi, { status: 200, headers: { "content-type": "application/json; charset=utf-8" } });
    }
    if (request.method === "GET" && options.docs && (path === "/docs" || path.startsWith("/docs/"))) {
      const page = await serveDocs(path, options.docs);
      if (page) return page;
    }
    let parts: string[];
    try {
      parts = path.split("/").filter(Boolean).map(decodeURIComponent);
    } catch {
      throw new AuthError("ROUTE_NOT_FOUND", "No such route");
    }
    const candidates = table.flatMap((c) => {
      const params = match(c, parts);
      return params ? [{ route: c.route, params }] : [];
    });
    if (candidates.length === 0) throw new AuthError("ROUTE_NOT_FOUND", "No such route");
    const found = candidates.find((c) => c.route.method === request.method);
    if (!found) {
      const allow = candidates.map((c) => c.route.method).join(", ");
      return json(405, new AuthError("METHOD_NOT_ALLOWED", `Use ${allow}`).toJSON(), { allow });
    }
    const { route } = found;
    const meta = { ip: context.ip, userAgent: request.headers.get("user-agent") ?? undefined };
    // The principal carries the request's ip and user agent, so that the audit events of what it does record them.
    const principal = route.auth
      ? withRequestMeta(await auth.authenticate(bearerToken(request.headers.get("authorization"))), meta)
      : null;
    const params = validate(route.params, found.params, "params");
    const query = validate(route.query, Object.fromEntries(url.searchParams), "query");
    const body = route.body ? validate(route.body, await readJsonBody(request, maxBodyBytes), "body") : undefined;
    const result = await route.handle({ auth, principal, params, query, body, meta });
    return json(route.response.status, result);
  };

  const answer = async (request: Request, context: HandlerContext): Promise<Response> => {
    try {
      return await dispatch(request, context);
    } catch (error) {
      if (!(error instanceof AuthError) || error.status >= 500) onError(error, request);
      return errorResponse(error);
    }
  };
  const handler = async (request: Request, context: HandlerContext = {}): Promise<Response> => {
    if (!isRequest(request)) throw new AuthError("INVALID_INPUT", "handler() takes a Web-standard Request");
    if (typeof context !== "object" || context === null) context = {};
    if (request.method !== "HEAD") return answer(request, context);
    // HEAD is GET without the body (RFC 9110), with the same status and headers.
    const response = await answer(new Request(request, { method: "GET" }), context);
    return new Response(null, { status: response.status, headers: response.headers });
  };
  const owns = (pathname: string): boolean => {
    if (basePath && pathname !== basePath && !pathname.startsWith(`${basePath}/`)) return false;
    const path = pathname.slice(basePath.length) || "/";
    if (path === "/openapi.json" || (options.docs && (path === "/docs" || path.startsWith("/docs/")))) return true;
    const parts = path.split("/").filter(Boolean);
    return table.some((c) => match(c, parts) !== null);
  };
  return Object.assign(handler, { owns });
}
