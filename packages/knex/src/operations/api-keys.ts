import type { ApiKeyAuthentication, ApiKeyRecord, ApiKeyRotation, NewApiKey } from "@tenantauth/core";
import type { Db } from "../db.js";
import { num, numOrNull, type Row, stringArray, toJson } from "../rows.js";

const COLUMNS = [
  "id",
  "org_id",
  "created_by",
  "name",
  "prefix",
  "permissions",
  "expires_at",
  "last_used_at",
  "revoked_at",
  "created_at",
  "updated_at",
] as const;

const toApiKey = (row: Row, p = ""): ApiKeyRecord => ({
  id: String(row[`${p}id`]),
  orgId: num(row[`${p}org_id`]),
  createdBy: num(row[`${p}created_by`]),
  name: String(row[`${p}name`]),
  prefix: String(row[`${p}prefix`]),
  permissions: stringArray(row[`${p}permissions`]),
  expiresAt: numOrNull(row[`${p}expires_at`]),
  lastUsedAt: numOrNull(row[`${p}last_used_at`]),
  revokedAt: numOrNull(row[`${p}revoked_at`]),
  createdAt: num(row[`${p}created_at`]),
  updatedAt: num(row[`${p}updated_at`]),
});

/** See ApiKeyStorage.createApiKey. */
export async function createApiKey(db: Db, input: NewApiKey): Promise<ApiKeyRecord> {
  const row = {
    id: input.id,
    org_id: input.orgId,
    created_by: input.createdBy,
    name: input.name,
    prefix: input.prefix,
    key_hash: input.keyHash,
    permissions: toJson(input.permissions),
    expires_at: input.expiresAt,
    last_used_at: null,
    revoked_at: null,
    created_at: input.now,
    updated_at: input.now,
  };
  await db.q(db.t.apiKeys).insert(row);
  return toApiKey({ ...row, permissions: input.permissions });
}

/** See ApiKeyStorage.listApiKeys: on api_keys(org_id, created_at). */
export async function listApiKeys(db: Db, orgId: number): Promise<ApiKeyRecord[]> {
  const rows = (await db
    .q(db.t.apiKeys)
    .where({ org_id: orgId })
    .whereNull("revoked_at")
    .orderBy([{ column: "created_at" }, { column: "id" }])
    .select(COLUMNS)) as Row[];
  return rows.map((r) => toApiKey(r));
}

/** See ApiKeyStorage.findApiKey: by primary key. */
export async function findApiKey(db: Db, orgId: number, id: string): Promise<ApiKeyRecord | null> {
  const row = (await db.q(db.t.apiKeys).where({ id, org_id: orgId }).first(COLUMNS)) as Row | undefined;
  return row ? toApiKey(row) : null;
}

/** See ApiKeyStorage.revokeApiKey: one conditional update. */
export async function revokeApiKey(db: Db, orgId: number, id: string, now: number): Promise<boolean> {
  const n = await db
    .q(db.t.apiKeys)
    .where({ id, org_id: orgId })
    .whereNull("revoked_at")
    .update({ revoked_at: now, updated_at: now });
  return n === 1;
}

/** See ApiKeyStorage.revokeApiKeysCreatedBy: on api_keys(created_by). */
export async function revokeApiKeysCreatedBy(db: Db, userId: number, now: number): Promise<number> {
  return db
    .q(db.t.apiKeys)
    .where({ created_by: userId })
    .whereNull("revoked_at")
    .update({ revoked_at: now, updated_at: now });
}

/** See ApiKeyStorage.rotateApiKey: one conditional update. */
export async function rotateApiKey(db: Db, orgId: number, id: string, rotation: ApiKeyRotation): Promise<boolean> {
  const n = await db
    .q(db.t.apiKeys)
    .where({ id, org_id: orgId })
    .whereNull("revoked_at")
    .update({ key_hash: rotation.keyHash, created_by: rotation.createdBy, updated_at: rotation.now });
  return n === 1;
}

/**
 * See ApiKeyStorage.findApiKeyForAuthentication: one statement on the unique api_keys(key_hash), joined by
 * primary keys to the creator and the organization and by members(org_id, user_id) to the creator's role.
 */
export async function findApiKeyForAuthentication(db: Db, keyHash: string): Promise<ApiKeyAuthentication | null> {
  const row = (await db
    .q({ k: db.t.apiKeys })
    .join({ u: db.t.users }, "u.id", "k.created_by")
    .join({ o: db.t.organizations }, "o.id", "k.org_id")
    .leftJoin({ m: db.t.members }, (j) => j.on("m.org_id", "=", "k.org_id").andOn("m.user_id", "=", "k.created_by"))
    .leftJoin({ r: db.t.roles }, "r.id", "m.role_id")
    .where("k.key_hash", keyHash)
    .first({
      ...Object.fromEntries(COLUMNS.map((c) => [`k_${c}`, `k.${c}`])),
      u_status: "u.status",
      o_status: "o.status",
      m_status: "m.status",
      r_permissions: "r.permissions",
    })) as Row | undefined;
  if (!row) return null;
  const memberStatus = numOrNull(row.m_status);
  return {
    key: toApiKey(row, "k_"),
    creatorStatus: num(row.u_status),
    organizationStatus: num(row.o_status),
    creatorMembership:
      memberStatus === null ? null : { status: memberStatus, permissions: stringArray(row.r_permissions) },
  };
}

/** See ApiKeyStorage.touchApiKey: one conditional update, so concurrent requests write it once. */
export async function touchApiKey(db: Db, id: string, now: number, minIntervalMs: number): Promise<boolean> {
  const n = await db
    .q(db.t.apiKeys)
    .where({ id })
    .andWhere((w) => w.whereNull("last_used_at").orWhere("last_used_at", "<=", now - minIntervalMs))
    .update({ last_used_at: now });
  return n === 1;
}
