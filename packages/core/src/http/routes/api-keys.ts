import * as z from "zod";
import type { ApiKey, IssuedApiKey } from "../../api-keys/api-keys.js";
import type { Permission } from "../../tenancy/built-in-roles.js";
import { defineRoute, type Route } from "../route.js";
import { idParam } from "../wire.js";

const orgParams = z.strictObject({ org_id: idParam });
const keyParams = z.strictObject({ org_id: idParam, key_id: z.string() });
const epochMs = z.number().int().describe("epoch milliseconds");

const apiKeyWire = z.object({
  id: z.string(),
  org_id: z.number().int(),
  name: z.string(),
  prefix: z.string().describe("the readable start of the key"),
  permissions: z.array(z.string()),
  created_by: z.number().int(),
  created_at: epochMs,
  last_used_at: epochMs.nullable().describe("written at most once a minute"),
  expires_at: epochMs.nullable(),
});
const issuedWire = apiKeyWire.extend({ key: z.string().describe("shown this once; only its SHA-256 is stored") });

const toApiKeyWire = (k: ApiKey): z.infer<typeof apiKeyWire> => ({
  id: k.id,
  org_id: k.orgId,
  name: k.name,
  prefix: k.prefix,
  permissions: k.permissions,
  created_by: k.createdBy,
  created_at: k.createdAt,
  last_used_at: k.lastUsedAt,
  expires_at: k.expiresAt,
});
const toIssuedWire = (k: IssuedApiKey): z.infer<typeof issuedWire> => ({ ...toApiKeyWire(k), key: k.key });

/** Organization API keys. The keys themselves authenticate with `Authorization: Bearer <key>` on any route. */
export const apiKeyRoutes: Route[] = [
  defineRoute({
    method: "POST",
    path: "/organizations/{org_id}/api-keys",
    operationId: "createApiKey",
    summary: "Create an API key with some of your permissions",
    tag: "api-keys",
    auth: true,
    permission: "api_key:manage",
    params: orgParams,
    body: z.strictObject({
      name: z.string(),
      permissions: z.array(z.string()).describe("a subset of your permissions in the organization"),
      expires_at: epochMs.nullable().optional(),
    }),
    response: { status: 201, description: "The key, shown this once", schema: issuedWire },
    errors: ["NOT_FOUND", "FORBIDDEN", "API_KEY_NOT_ALLOWED", "IMPERSONATION_NOT_ALLOWED"],
    async handle({ auth, principal, params, body }) {
      const issued = await auth.apiKeys.create(principal, params.org_id, {
        name: body.name,
        permissions: body.permissions as Permission[],
        expiresAt: body.expires_at,
      });
      return toIssuedWire(issued);
    },
  }),
  defineRoute({
    method: "GET",
    path: "/organizations/{org_id}/api-keys",
    operationId: "listApiKeys",
    summary: "The organization's API keys that are not revoked (never their secrets)",
    tag: "api-keys",
    auth: true,
    permission: "api_key:manage",
    params: orgParams,
    response: { status: 200, description: "Keys, oldest first", schema: z.array(apiKeyWire) },
    errors: ["NOT_FOUND", "FORBIDDEN"],
    handle: async ({ auth, principal, params }) =>
      (await auth.apiKeys.list(principal, params.org_id)).map(toApiKeyWire),
  }),
  defineRoute({
    method: "DELETE",
    path: "/organizations/{org_id}/api-keys/{key_id}",
    operationId: "revokeApiKey",
    summary: "Revoke an API key; it stops working at once",
    tag: "api-keys",
    auth: true,
    permission: "api_key:manage",
    params: keyParams,
    response: { status: 204, description: "Revoked", schema: null },
    errors: ["NOT_FOUND", "FORBIDDEN"],
    async handle({ auth, principal, params }) {
      await auth.apiKeys.revoke(principal, params.org_id, params.key_id);
    },
  }),
  defineRoute({
    method: "POST",
    path: "/organizations/{org_id}/api-keys/{key_id}/rotate",
    operationId: "rotateApiKey",
    summary: "Give an API key a new secret (the key becomes yours); the old one stops working at once",
    tag: "api-keys",
    auth: true,
    permission: "api_key:manage",
    params: keyParams,
    response: { status: 200, description: "The key with its new secret, shown this once", schema: issuedWire },
    errors: ["NOT_FOUND", "FORBIDDEN", "IMPERSONATION_NOT_ALLOWED"],
    handle: async ({ auth, principal, params }) =>
      toIssuedWire(await auth.apiKeys.rotate(principal, params.org_id, params.key_id)),
  }),
];
