import * as z from "zod";
import { ERROR_CODES } from "../errors.js";
import type { Route } from "./route.js";
import { routes } from "./routes.js";
import { errorWire } from "./wire.js";

type JsonSchema = Record<string, unknown>;

const schemaOf = (schema: z.ZodType, io: "input" | "output"): JsonSchema => {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as JsonSchema;
  return rest;
};

function parameters(route: Route): JsonSchema[] {
  const list: JsonSchema[] = [];
  for (const [where, schema] of [
    ["path", route.params],
    ["query", route.query],
  ] as const) {
    if (!schema) continue;
    const json = schemaOf(schema, "input") as { properties?: Record<string, JsonSchema>; required?: string[] };
    for (const [name, property] of Object.entries(json.properties ?? {})) {
      list.push({
        name,
        in: where,
        required: where === "path" || (json.required ?? []).includes(name),
        schema: property,
      });
    }
  }
  return list;
}

function responses(route: Route): JsonSchema {
  const out: JsonSchema = {};
  out[String(route.response.status)] = route.response.schema
    ? {
        description: route.response.description,
        content: { "application/json": { schema: schemaOf(route.response.schema, "output") } },
      }
    : { description: route.response.description };
  const codes = new Set<string>(["INVALID_INPUT", ...route.errors]);
  if (route.auth) {
    codes.add("UNAUTHENTICATED");
    codes.add("INVALID_TOKEN");
    codes.add("TOKEN_EXPIRED");
  }
  if (route.body) for (const c of ["MALFORMED_JSON", "UNSUPPORTED_MEDIA_TYPE", "PAYLOAD_TOO_LARGE"]) codes.add(c);
  const byStatus = new Map<number, string[]>();
  for (const code of codes) {
    const status = ERROR_CODES[code as keyof typeof ERROR_CODES];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  for (const [status, list] of [...byStatus].sort(([a], [b]) => a - b)) {
    out[String(status)] = {
      description: `Error: ${list.join(", ")}`,
      content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
    };
  }
  return out;
}

/**
 * The OpenAPI 3.1 document of the route table, generated from the same zod schemas that validate requests.
 * Served at `GET /openapi.json`.
 */
export function buildOpenApiDocument(
  options: { serverUrl?: string; title?: string; version?: string } = {},
): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routes) {
    const operation: JsonSchema = {
      operationId: route.operationId,
      summary: route.summary,
      tags: [route.tag],
      parameters: parameters(route),
      responses: responses(route),
      ...(route.auth ? { security: [{ bearer: [] }] } : {}),
      ...(route.permission ? { "x-permission": route.permission } : {}),
    };
    if (route.body) {
      operation.requestBody = {
        required: true,
        content: { "application/json": { schema: schemaOf(route.body, "input") } },
      };
    }
    paths[route.path] ??= {};
    (paths[route.path] as Record<string, JsonSchema>)[route.method.toLowerCase()] = operation;
  }
  return {
    openapi: "3.1.0",
    info: {
      title: options.title ?? "tenantauth",
      version: options.version ?? "0.1.0",
      description: "Authentication, organizations, roles and invitations for multi-tenant SaaS.",
    },
    servers: [{ url: options.serverUrl ?? "/" }],
    paths,
    components: {
      schemas: { Error: schemaOf(errorWire, "output") },
      securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
    },
  };
}
