import type * as z from "zod";
import type { Auth } from "../auth.js";
import type { AuthErrorCode } from "../errors.js";
import type { Principal } from "../sessions/access-token.js";
import type { RequestMeta } from "../sessions/sessions.js";

/** HTTP methods the route table uses. */
export type HttpMethod = "GET" | "POST" | "PATCH" | "DELETE";

/** What a route handler receives: validated params, query and body, and the caller. */
export interface RouteContext<P, Q, B, A extends boolean> {
  auth: Auth;
  /** The caller, when the route requires authentication. */
  principal: A extends true ? Principal : null;
  params: P;
  query: Q;
  body: B;
  meta: RequestMeta;
}

/** One row of the route table. Schemas are zod: they validate input and generate the OpenAPI document. */
export interface RouteDefinition<P, Q, B, O, A extends boolean> {
  method: HttpMethod;
  /** OpenAPI-style path, e.g. `/organizations/{org_id}/members`. */
  path: string;
  /** Stable OpenAPI operation id. */
  operationId: string;
  summary: string;
  tag: string;
  /** Whether a `Authorization: Bearer <access token>` is required. */
  auth: A;
  /** The permission the operation checks, for the documentation (core enforces it). */
  permission?: string;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  /** Success status and body schema (`null` schema for 204 No Content). */
  response: { status: 200 | 201 | 202 | 204; schema: z.ZodType<O> | null; description: string };
  /** Error codes this route documents beside the generic ones. */
  errors: AuthErrorCode[];
  handle(ctx: RouteContext<P, Q, B, A>): Promise<O>;
}

/** A route with its types erased, as the table stores it. */
// biome-ignore lint/suspicious/noExplicitAny: the table holds routes of many shapes; defineRoute keeps each typed.
export type Route = RouteDefinition<any, any, any, any, boolean>;

/** Declares a route, inferring its types from the schemas. */
export function defineRoute<P = undefined, Q = undefined, B = undefined, O = unknown, A extends boolean = boolean>(
  definition: RouteDefinition<P, Q, B, O, A>,
): Route {
  return definition as Route;
}
