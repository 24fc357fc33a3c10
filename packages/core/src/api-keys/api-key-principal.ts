import type { RequestMeta } from "../sessions/sessions.js";

/**
 * A machine client authenticated with an organization API key. It acts in one organization only, with the
 * key's permissions, and only while its creator (the user who created or last rotated it) is an active member
 * whose role grants all of them; it is no user, so user-only functions (`me`, `changePassword`, managing keys …)
 * refuse it with `API_KEY_NOT_ALLOWED`.
 */
export interface ApiKeyPrincipal {
  kind: "apiKey";
  /** The key's id (also in its readable prefix). */
  keyId: string;
  /** The one organization the key acts in. */
  orgId: number;
  /** The user who created the key, or last rotated it. */
  createdBy: number;
  /** The key's permissions (all held by its creator when it was authenticated). */
  permissions: string[];
  /** The request's IP address and user agent, when the HTTP layer (or `withRequestMeta`) attached them. */
  meta?: RequestMeta;
}
