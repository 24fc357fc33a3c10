import * as z from "zod";
import { auditedTransaction, byCallerIn, recordEvent } from "../audit/record.js";
import { AuthError } from "../errors.js";
import type { AuthContext } from "../internal/context.js";
import { hashToken, randomId } from "../internal/crypto.js";
import { parseInput } from "../internal/validate.js";
import type { ApiKeyRecord } from "../ports/api-key-storage.js";
import type { Principal } from "../sessions/access-token.js";
import { assertNotImpersonating } from "../sessions/principal.js";
import type { Permission } from "../tenancy/built-in-roles.js";
import { assertNoEscalation, permissionSchema, requireMembership } from "../tenancy/permissions.js";

/** Bits in a key's id (its readable part) and in its secret part. */
const ID_BITS = 80;
const SECRET_BITS = 160;

/** Input of `apiKeys.create()`. */
export interface CreateApiKeyInput {
  /** A label for people, 1..100 characters. */
  name: string;
  /** What the key may do: a subset of the creator's permissions in the organization. */
  permissions: Permission[];
  /** When the key stops working (epoch ms), or never. */
  expiresAt?: number | null | undefined;
}

/** An API key as listed: never its secret or hash. */
export interface ApiKey {
  id: string;
  orgId: number;
  name: string;
  /** The readable start of the key, e.g. `ta_live_k3jd…`: enough to recognise it. */
  prefix: string;
  permissions: string[];
  createdBy: number;
  createdAt: number;
  lastUsedAt: number | null;
  expiresAt: number | null;
}

/** A key just created or rotated: `key` is shown this once; only its SHA-256 is stored. */
export interface IssuedApiKey extends ApiKey {
  key: string;
}

const createSchema = z.strictObject({
  name: z.string({ error: "must be a string" }).trim().min(1, { error: "must not be empty" }).max(100),
  permissions: z
    .array(permissionSchema, { error: "must be a list of permissions" })
    .max(50)
    .transform((list) => [...new Set(list)]),
  expiresAt: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).nullable().optional(),
});
const keyIdSchema = z.string({ error: "must be a string" }).regex(/^[a-z2-7]{16}$/, { error: "is not a key id" });

const toApiKey = (r: ApiKeyRecord): ApiKey => ({
  id: r.id,
  orgId: r.orgId,
  name: r.name,
  prefix: r.prefix,
  permissions: [...r.permissions],
  createdBy: r.createdBy,
  createdAt: r.createdAt,
  lastUsedAt: r.lastUsedAt,
  expiresAt: r.expiresAt,
});

const notFound = (): AuthError => new AuthError("NOT_FOUND", "API key not found");

/** A fresh key for `id`: `<prefix><id>_<secret>`. */
const newKey = (ctx: AuthContext, id: string): string =>
  `${ctx.options.apiKeys.prefix}${id}_${randomId(ctx.random, SECRET_BITS)}`;

/** The shape of a key with this adapter's prefix; `authenticate` tells keys from access tokens with it. */
export function apiKeyPattern(prefix: string): RegExp {
  return new RegExp(`^${prefix}([a-z2-7]{16})_[a-z2-7]{32}$`);
}

/**
 * Creates a key for the organization. Needs `api_key:manage`; the key's permissions must be ones the caller
 * holds there (`FORBIDDEN` otherwise, with `details.missing`).
 */
export async function createApiKey(
  ctx: AuthContext,
  principal: Principal,
  orgId: unknown,
  input: CreateApiKeyInput,
): Promise<IssuedApiKey> {
  const membership = await requireMembership(ctx, principal, orgId, "api_key:manage");
  assertNotImpersonating(principal, "create an API key");
  const { name, permissions, expiresAt } = parseInput(createSchema, input);
  const now = ctx.clock.now();
  if (expiresAt != null && expiresAt <= now) {
    throw new AuthError("INVALID_INPUT", "Invalid input: expiresAt: must be in the future", {
      details: { issues: [{ path: "expiresAt", message: "must be in the future" }] },
    });
  }
  assertNoEscalation(membership.role, permissions, "create this API key");
  const id = randomId(ctx.random, ID_BITS);
  const key = newKey(ctx, id);
  const record = await auditedTransaction(ctx, async (tx) => {
    const created = await tx.storage.createApiKey({
      id,
      orgId: membership.organization.id,
      createdBy: membership.member.userId,
      name,
      prefix: `${ctx.options.apiKeys.prefix}${id}`,
      keyHash: hashToken(key),
      permissions,
      expiresAt: expiresAt ?? null,
      now,
    });
    const data = { id, name, permissions: [...permissions] };
    await recordEvent(ctx, { type: "api_key.create", ...byCallerIn(principal, membership.organization.id), data }, tx);
    return created;
  });
  return { ...toApiKey(record), key };
}

/** The organization's keys that are not revoked (expired ones included). Needs `api_key:manage`. */
export async function listApiKeys(ctx: AuthContext, principal: Principal, orgId: unknown): Promise<ApiKey[]> {
  const membership = await requireMembership(ctx, principal, orgId, "api_key:manage");
  return (await ctx.storage.listApiKeys(membership.organization.id)).map(toApiKey);
}

/** Revokes a key at once. Needs `api_key:manage`. @throws AuthError `NOT_FOUND` */
export async function revokeApiKey(
  ctx: AuthContext,
  principal: Principal,
  orgId: unknown,
  keyId: unknown,
): Promise<void> {
  const membership = await requireMembership(ctx, principal, orgId, "api_key:manage");
  const id = parseInput(keyIdSchema, keyId);
  await auditedTransaction(ctx, async (tx) => {
    if (!(await tx.storage.revokeApiKey(membership.organization.id, id, ctx.clock.now()))) throw notFound();
    const by = byCallerIn(principal, membership.organization.id);
    await recordEvent(ctx, { type: "api_key.revoke", ...by, data: { id } }, tx);
  });
}

/**
 * Gives a key a new secret (same id, name and permissions); the old secret stops working at once. Needs
 * `api_key:manage` and every permission of the key. The key then belongs to the caller: its `createdBy` becomes
 * the caller, so it is capped by the caller's permissions and dies with the caller's membership, as if the caller
 * had created it (whoever holds a secret answers for it). @throws AuthError `NOT_FOUND`, `FORBIDDEN`
 */
export async function rotateApiKey(
  ctx: AuthContext,
  principal: Principal,
  orgId: unknown,
  keyId: unknown,
): Promise<IssuedApiKey> {
  const membership = await requireMembership(ctx, principal, orgId, "api_key:manage");
  assertNotImpersonating(principal, "rotate an API key");
  const id = parseInput(keyIdSchema, keyId);
  const existing = await ctx.storage.findApiKey(membership.organization.id, id);
  if (!existing || existing.revokedAt !== null) throw notFound();
  assertNoEscalation(membership.role, existing.permissions, "rotate this API key");
  const key = newKey(ctx, id);
  const createdBy = membership.member.userId;
  await auditedTransaction(ctx, async (tx) => {
    const rotation = { keyHash: hashToken(key), createdBy, now: ctx.clock.now() };
    if (!(await tx.storage.rotateApiKey(membership.organization.id, id, rotation))) throw notFound();
    const by = byCallerIn(principal, membership.organization.id);
    await recordEvent(ctx, { type: "api_key.rotate", ...by, data: { id, previousCreatedBy: existing.createdBy } }, tx);
  });
  return { ...toApiKey(existing), createdBy, key };
}
