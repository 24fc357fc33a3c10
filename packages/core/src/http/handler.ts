import type * as z from "zod";
import type { Auth } from "../auth.js";
import { AuthError } from "../errors.js";
import { isStorageUnavailable, safeErrorFields } from "../internal/safe-error.js";
import { toIssues } from "../internal/validate.js";
import { withRequestMeta } from "../sessions/principal.js";
import { readJsonBody } from "./body.js";
import { type DocsAssets, serveDocs } from "./docs.js";
import { buildOpenApiDocument } from "./openapi.js";
import type { Route } from "./route.js";
import { routes } from "./routes.js";
import { splitUrl } from "./url.js";

/** Options of {@link createHttpHandler}. */
export interface HttpHandlerOptions {
  /** Path prefix the routes are mounted under, e.g. `/auth`. @default "" */
  basePath?: string;
  /** Largest accepted request body, in bytes. @default 65536 */
  maxBodyBytes?: number;
  /** Swagger UI's files, to serve the API reference at `GET /docs` (the adapters pass swagger-ui-dist). */
  docs?: DocsAssets;
  /**
   * Called with every unexpected (5xx) error and the request's method and URL; use it to log. Never called for
   * 4xx AuthErrors. A storage error arrives as an AuthError whose `cause` is a `SafeError` (operation, driver code,
   * table: never SQL or values), so it may be printed whole; `safeErrorFields(error)` gives the same for any error.
   * Mind the URL: log its path, not its query. @default logs `safeErrorFields(error)`, the method and the path with
   *   console.error, except `STORAGE_UNAVAILABLE` (the outage log reports an outage once: when it starts, a count while
   *   it lasts, and when it ends)
   */
  onError?: (error: unknown, request: { method: string; url: string }) => void;
}

/** Per-request facts an adapter knows and a `Request` does not carry. */
export interface HandlerContext {
  /** The client's IP address, as the adapter determined it (trust-proxy rules are the host's). */
  ip?: string | undefined;
}

/**
 * A request as the dispatcher reads it. The Web handler builds one from a `Request`; the Express adapter builds one
 * straight from Node's request, so a route without a body needs no Web `Request` at all.
 */
export interface HttpInput {
  method: string;
  /** The full URL, or the path with its query (e.g. `/auth/me?x=1`), as received. */
  url: string;
  /** A header's value by lower-case name, or null. */
  header(name: string): string | null;
  /** The request as a Web `Request`, to read its body; only called for routes that take one. */
  request(): Request;
}

/** Node's request headers (`IncomingMessage.headers`): lower-case names, repeated ones as arrays. */
export type NodeRequestHeaders = Record<string, string | string[] | undefined>;

/**
 * {@link HttpInput.header} over Node's request headers, answering as `Headers.get` would: a repeated header's values
 * joined with ", ", a missing one null. For adapters on Node, which need no Web `Headers` to read a header.
 */
export function nodeHeaderReader(headers: NodeRequestHeaders): (name: string) => string | null {
  return (name) => {
    const value = headers[name];
    return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
  };
}

/** A plain JSON (or empty) answer: adapters write it directly, the Web handler wraps it in a `Response`. */
export interface HttpReply {
  status: number;
  headers: Record<string, string>;
  /** The body text, or null for none. */
  body: string | null;
}

/** A Web-standard request handler: the whole tenantauth HTTP API. */
export interface HttpHandler {
  (request: Request, context?: HandlerContext): Promise<Response>;
  /**
   * The same dispatch without Web `Request`/`Response` objects, for adapters that can skip building them. Answers
   * with an {@link HttpReply}, or a `Response` for the OpenAPI document and the docs assets. `HEAD` is answered as
   * `GET` without a body.
   */
  reply(input: HttpInput, context?: HandlerContext): Promise<HttpReply | Response>;
  /**
   * True when a URL path (with the base path) is one of tenantauth's: a route (any method), `/openapi.json` or
   * the docs. Adapters mounted at a shared prefix pass other paths on to the host app.
   */
  owns(pathname: string): boolean;
}

interface Candidate {
  route: Route;
  params: Record<string, string>;
}

interface CompiledRoute {
  route: Route;
  segments: string[];
}

const compile = (route: Route): CompiledRoute => ({ route, segments: route.path.split("/").filter(Boolean) });

/**
 * The params of a path against a route of the same segment count (routes are grouped by it), or null. Literal
 * segments are compared as received, never percent-decoded (`%61dmin` is not `admin`); param values are raw here.
 */
function match(compiled: CompiledRoute, parts: string[]): Record<string, string> | null {
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const segment = compiled.segments[i] as string;
    const part = parts[i] as string;
    if (segment.charCodeAt(0) === 123 /* { */) params[segment.slice(1, -1)] = part;
    else if (segment !== part) return null;
  }
  return params;
}

/** Sent with every answer, errors included: browsers must not read a JSON body as HTML or script. */
const NOSNIFF = "nosniff";

/** A JSON reply (a fresh headers object each time: adapters may add to it). */
function jsonReply(status: number, body: unknown, headers?: Record<string, string>): HttpReply {
  const all: Record<string, string> = {
    "content-type": "application/json; charset=utf-8",
    "cache-control": "no-store",
    "x-content-type-options": NOSNIFF,
  };
  if (headers) Object.assign(all, headers);
  return { status, headers: all, body: status === 204 ? null : JSON.stringify(body) };
}

/** `Retry-After` of a 503 (a database or store outage): outages seen here end in well under a second or last long. */
const UNAVAILABLE_RETRY_AFTER_SECONDS = 2;

/** The reply for an error: AuthErrors keep their code and status; anything else is a generic 500. */
function errorReply(error: unknown): HttpReply {
  if (error instanceof AuthError) {
    const headers: Record<string, string> = {};
    if (error.status === 401) headers["www-authenticate"] = 'Bearer realm="tenantauth"';
    const retryAfter = error.details?.retryAfterSeconds;
    if (typeof retryAfter === "number") headers["retry-after"] = String(Math.ceil(retryAfter));
    else if (error.status === 503) headers["retry-after"] = String(UNAVAILABLE_RETRY_AFTER_SECONDS);
    return jsonReply(error.status, error.toJSON(), headers);
  }
  return jsonReply(500, { error: { code: "INTERNAL_ERROR", message: "Internal error" } });
}

/** A Web `Response` of a reply. */
export function toResponse(reply: HttpReply | Response): Response {
  return reply instanceof Response ? reply : new Response(reply.body, { status: reply.status, headers: reply.headers });
}

/** A JSON response. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return toResponse(jsonReply(status, body, headers));
}

/** The response for an error: AuthErrors keep their code and status; anything else is a generic 500. */
export function errorResponse(error: unknown): Response {
  return toResponse(errorReply(error));
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

const ONE_WORD = /^\S+$/;

/**
 * The access token of an `Authorization: Bearer <token>` header value. A missing header is `UNAUTHENTICATED`;
 * any other scheme or shape is `INVALID_TOKEN`. Shared by core's handler and the framework middleware.
 */
export function bearerToken(header: string | null | undefined): string {
  if (!header) throw new AuthError("UNAUTHENTICATED", "Send an access token: Authorization: Bearer <token>");
  // The usual shape, read without splitting; anything else takes the general path below.
  const usual = header.startsWith("Bearer ") ? header.slice(7) : "";
  if (ONE_WORD.test(usual)) return usual;
  const [scheme, token, extra] = header.trim().split(/\s+/);
  if (scheme?.toLowerCase() !== "bearer" || !token || extra !== undefined) {
    throw new AuthError("INVALID_TOKEN", "The Authorization header must be: Bearer <token>");
  }
  return token;
}

/**
 * The default `onError`: the error's safe fields, the method and the path (never the query: it may hold a token).
 * `STORAGE_UNAVAILABLE` is left out: the outage log of `createAuth` reports outages once, not per request.
 */
function logUnexpected(error: unknown, request: { method: string; url: string }): void {
  if (isStorageUnavailable(error)) return;
  const path = splitUrl(request.url)?.pathname ?? "?";
  console.error("[tenantauth] unexpected error", { method: request.method, path, error: safeErrorFields(error) });
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
  const onError = options.onError ?? logUnexpected;
  // Routes grouped by their number of path segments, in table order: a path is only matched against its group.
  const bySegments = new Map<number, CompiledRoute[]>();
  for (const compiled of routes.map(compile)) {
    const group = bySegments.get(compiled.segments.length) ?? [];
    group.push(compiled);
    bySegments.set(compiled.segments.length, group);
  }
  const candidatesOf = (parts: string[]): Candidate[] => {
    const found: Candidate[] = [];
    for (const compiled of bySegments.get(parts.length) ?? []) {
      const params = match(compiled, parts);
      if (params) found.push({ route: compiled.route, params });
    }
    return found;
  };
  // The candidates of each parameter-less route's own path, found once: the common requests skip matching.
  const known = new Map<string, readonly Candidate[]>();
  for (const route of routes) {
    if (!route.path.includes("{")) known.set(route.path, candidatesOf(route.path.split("/").filter(Boolean)));
  }
  /**
   * The routes (any method) a path below the base path matches, with their param values percent-decoded; empty for
   * none or an undecodable param.
   */
  const candidatesFor = (path: string): readonly Candidate[] => {
    const cached = known.get(path);
    if (cached) return cached;
    try {
      return candidatesOf(path.split("/").filter(Boolean)).map(({ route, params }) => ({
        route,
        params: Object.fromEntries(Object.entries(params).map(([k, v]) => [k, decodeURIComponent(v)])),
      }));
    } catch {
      return [];
    }
  };
  /** The path below the base path, or null for a path outside it. */
  const below = (pathname: string): string | null => {
    if (basePath && pathname !== basePath && !pathname.startsWith(`${basePath}/`)) return null;
    return pathname.slice(basePath.length) || "/";
  };
  let openapi: string | undefined;

  const dispatch = async (input: HttpInput, method: string, context: HandlerContext): Promise<HttpReply | Response> => {
    const url = splitUrl(input.url);
    const path = url && below(url.pathname);
    if (!url || path === null) throw new AuthError("ROUTE_NOT_FOUND", "No such route");
    if (method === "GET" && path === "/openapi.json") {
      openapi ??= JSON.stringify(buildOpenApiDocument({ serverUrl: basePath || "/" }));
      return new Response(openapi, {
        status: 200,
        headers: { "content-type": "application/json; charset=utf-8", "x-content-type-options": NOSNIFF },
      });
    }
    if (method === "GET" && options.docs && (path === "/docs" || path.startsWith("/docs/"))) {
      const page = await serveDocs(path, options.docs);
      if (page) return page;
    }
    const candidates = candidatesFor(path);
    if (candidates.length === 0) throw new AuthError("ROUTE_NOT_FOUND", "No such route");
    const found = candidates.find((c) => c.route.method === method);
    if (!found) {
      const allow = candidates.map((c) => c.route.method).join(", ");
      return jsonReply(405, new AuthError("METHOD_NOT_ALLOWED", `Use ${allow}`).toJSON(), { allow });
    }
    const { route } = found;
    const meta = { ip: context.ip, userAgent: input.header("user-agent") ?? undefined };
    // The principal carries the request's ip and user agent, so that the audit events of what it does record them.
    const principal = route.auth
      ? withRequestMeta(await auth.authenticate(bearerToken(input.header("authorization"))), meta)
      : null;
    const params = validate(route.params, found.params, "params");
    const query = route.query
      ? validate(route.query, Object.fromEntries(new URLSearchParams(url.search)), "query")
      : undefined;
    const body = route.body
      ? validate(route.body, await readJsonBody(input.request(), maxBodyBytes), "body")
      : undefined;
    const result = await route.handle({ auth, principal, params, query, body, meta });
    return jsonReply(route.response.status, result);
  };

  const reply = async (input: HttpInput, context: HandlerContext = {}): Promise<HttpReply | Response> => {
    const head = input.method === "HEAD";
    let answer: HttpReply | Response;
    try {
      answer = await dispatch(input, head ? "GET" : input.method, context);
    } catch (error) {
      if (!(error instanceof AuthError) || error.status >= 500) onError(error, input);
      answer = errorReply(error);
    }
    if (!head) return answer;
    // HEAD is GET without the body (RFC 9110), with the same status and headers.
    return answer instanceof Response
      ? new Response(null, { status: answer.status, headers: answer.headers })
      : { ...answer, body: null };
  };
  const handler = async (request: Request, context: HandlerContext = {}): Promise<Response> => {
    if (!isRequest(request)) throw new AuthError("INVALID_INPUT", "handler() takes a Web-standard Request");
    if (typeof context !== "object" || context === null) context = {};
    return toResponse(await reply(webInput(request), context));
  };
  const owns = (pathname: string): boolean => {
    const path = below(pathname);
    if (path === null) return false;
    if (known.has(path)) return true;
    if (path === "/openapi.json" || (options.docs && (path === "/docs" || path.startsWith("/docs/")))) return true;
    const parts = path.split("/").filter(Boolean);
    return (bySegments.get(parts.length) ?? []).some((c) => match(c, parts) !== null);
  };
  return Object.assign(handler, { reply, owns });
}

/** The dispatcher's view of a Web `Request`. */
function webInput(request: Request): HttpInput {
  return {
    method: request.method,
    url: request.url,
    header: (name) => request.headers.get(name),
    request: () => request,
  };
}
