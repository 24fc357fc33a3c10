import * as z from "zod";
import { defineRoute, type Route } from "../route.js";
import { idParam, tokensWire, toTokensWire } from "../wire.js";

/** Switching the organization that access tokens carry. */
export const activeOrganizationRoutes: Route[] = [
  defineRoute({
    method: "POST",
    path: "/switch-organization",
    operationId: "switchOrganization",
    summary: "Rotate a refresh token for tokens whose claims carry this organization and the caller's role in it",
    tag: "accounts",
    auth: false,
    body: z.strictObject({ refresh_token: z.string(), org_id: idParam }),
    response: { status: 200, description: "A new token pair; the old refresh token is spent", schema: tokensWire },
    errors: ["NOT_FOUND", "INVALID_REFRESH_TOKEN", "REFRESH_TOKEN_REUSED"],
    handle: async ({ auth, body }) => toTokensWire(await auth.switchOrganization(body.refresh_token, body.org_id)),
  }),
];
