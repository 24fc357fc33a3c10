import { AuthError } from "../errors.js";
import type { AuthContext } from "../internal/context.js";
import { hashToken } from "../internal/crypto.js";
import { MEMBER_STATUS, ORGANIZATION_STATUS, USER_STATUS } from "../ports/records.js";
import type { ApiKeyPrincipal } from "./api-key-principal.js";
import { apiKeyPattern } from "./api-keys.js";

/** `lastUsedAt` is written at most this often per key. */
export const LAST_USED_INTERVAL_MS = 60_000;

const invalid = (why: string): AuthError => new AuthError("INVALID_TOKEN", `Invalid API key: ${why}`);

/** True when the token has the shape of this instance's API keys (not of an access token). */
export const looksLikeApiKey = (ctx: AuthContext, token: string): boolean =>
  token.startsWith(ctx.options.apiKeys.prefix);

/**
 * Authenticates an API key with one indexed query (by its SHA-256): it must be neither revoked nor expired, its
 * creator active and still an active member of the key's (active) organization whose role grants every one of
 * the key's permissions. A creator demoted below the key stops it whole, not only the permissions they lost: a
 * key that quietly shrinks would keep working on some calls and fail on others. Writes `lastUsedAt` at most
 * once a minute. @throws AuthError `INVALID_TOKEN`
 */
export async function authenticateApiKey(ctx: AuthContext, key: string): Promise<ApiKeyPrincipal> {
  if (!apiKeyPattern(ctx.options.apiKeys.prefix).test(key)) throw invalid("malformed");
  const found = await ctx.storage.findApiKeyForAuthentication(hashToken(key));
  if (!found) throw invalid("unknown");
  const now = ctx.clock.now();
  const { key: record, creatorMembership: membership } = found;
  if (record.revokedAt !== null) throw invalid("revoked");
  if (record.expiresAt !== null && now >= record.expiresAt) throw invalid("expired");
  if (found.creatorStatus !== USER_STATUS.active) throw invalid("its creator is disabled");
  if (found.organizationStatus !== ORGANIZATION_STATUS.active) throw invalid("its organization is gone");
  if (!membership || membership.status !== MEMBER_STATUS.active) {
    throw invalid("its creator is no longer a member of the organization");
  }
  if (!record.permissions.every((p) => membership.permissions.includes(p))) {
    throw invalid("its creator no longer holds its permissions");
  }
  if (record.lastUsedAt === null || now - record.lastUsedAt >= LAST_USED_INTERVAL_MS) {
    await ctx.storage.touchApiKey(record.id, now, LAST_USED_INTERVAL_MS);
  }
  return {
    kind: "apiKey",
    keyId: record.id,
    orgId: record.orgId,
    createdBy: record.createdBy,
    permissions: [...record.permissions],
  };
}
