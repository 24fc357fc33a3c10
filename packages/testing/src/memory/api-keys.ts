import type { ApiKeyAuthentication, ApiKeyRecord, ApiKeyRotation, NewApiKey } from "@tenantauth/core";
import { deepFreeze, detach, jsonColumn, storageError } from "./copy.js";
import { checkUserExists } from "./memberships.js";
import { memberKey, type Tables } from "./state.js";

/** A row of `api_keys`: the record plus the key's SHA-256. */
export interface ApiKeyRow extends ApiKeyRecord {
  keyHash: string;
}

const toRecord = ({ keyHash: _hash, ...record }: ApiKeyRow): ApiKeyRecord => detach(record);

/** Inserts a key; the hash and id are unique. */
export function createApiKey(tables: Tables, input: NewApiKey): ApiKeyRecord {
  checkUserExists(tables, input.createdBy);
  if (!tables.organizations.has(input.orgId)) throw storageError(`no organization with id ${input.orgId}`);
  if (tables.apiKeys.has(input.id)) throw storageError("duplicate API key id");
  if (tables.apiKeyIdByHash.has(input.keyHash)) throw storageError("duplicate API key hash");
  const row: ApiKeyRow = deepFreeze({
    id: input.id,
    orgId: input.orgId,
    createdBy: input.createdBy,
    name: input.name,
    prefix: input.prefix,
    permissions: jsonColumn([...input.permissions]),
    expiresAt: input.expiresAt,
    lastUsedAt: null,
    revokedAt: null,
    createdAt: input.now,
    updatedAt: input.now,
    keyHash: input.keyHash,
  });
  tables.apiKeys.set(row.id, row);
  tables.apiKeyIdByHash.set(row.keyHash, row.id);
  return toRecord(row);
}

/** Live keys of the organization, oldest first. */
export function listApiKeys(tables: Tables, orgId: number): ApiKeyRecord[] {
  return [...tables.apiKeys.values()]
    .filter((k) => k.orgId === orgId && k.revokedAt === null)
    .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1))
    .map(toRecord);
}

/** The organization's key with this id, or null. */
export function findApiKey(tables: Tables, orgId: number, id: string): ApiKeyRecord | null {
  const row = tables.apiKeys.get(id);
  return row && row.orgId === orgId ? toRecord(row) : null;
}

/** Revokes a live key of the organization. */
export function revokeApiKey(tables: Tables, orgId: number, id: string, now: number): boolean {
  const row = tables.apiKeys.get(id);
  if (!row || row.orgId !== orgId || row.revokedAt !== null) return false;
  tables.apiKeys.set(id, deepFreeze({ ...row, revokedAt: now, updatedAt: now }));
  return true;
}

/** Revokes every live key the user created. */
export function revokeApiKeysCreatedBy(tables: Tables, userId: number, now: number): number {
  let count = 0;
  for (const row of tables.apiKeys.values()) {
    if (row.createdBy !== userId || row.revokedAt !== null) continue;
    tables.apiKeys.set(row.id, deepFreeze({ ...row, revokedAt: now, updatedAt: now }));
    count += 1;
  }
  return count;
}

/** Replaces the hash of a live key and makes the rotator its creator. */
export function rotateApiKey(tables: Tables, orgId: number, id: string, rotation: ApiKeyRotation): boolean {
  const { keyHash, createdBy, now } = rotation;
  const row = tables.apiKeys.get(id);
  if (!row || row.orgId !== orgId || row.revokedAt !== null) return false;
  checkUserExists(tables, createdBy);
  if (tables.apiKeyIdByHash.has(keyHash)) throw storageError("duplicate API key hash");
  tables.apiKeyIdByHash.delete(row.keyHash);
  tables.apiKeyIdByHash.set(keyHash, id);
  tables.apiKeys.set(id, deepFreeze({ ...row, keyHash, createdBy, updatedAt: now }));
  return true;
}

/** The key with this hash, its creator's status and membership. */
export function findApiKeyForAuthentication(tables: Tables, keyHash: string): ApiKeyAuthentication | null {
  const id = tables.apiKeyIdByHash.get(keyHash);
  const row = id === undefined ? undefined : tables.apiKeys.get(id);
  const user = row ? tables.users.get(row.createdBy) : undefined;
  const organization = row ? tables.organizations.get(row.orgId) : undefined;
  if (!row || !user || !organization) return null;
  const memberId = tables.memberIdByKey.get(memberKey(row.orgId, row.createdBy));
  const member = memberId === undefined ? undefined : tables.members.get(memberId);
  const role = member ? tables.roles.get(member.roleId) : undefined;
  return detach({
    key: toRecord(row),
    creatorStatus: user.status,
    organizationStatus: organization.status,
    creatorMembership: member && role ? { status: member.status, permissions: role.permissions } : null,
  });
}

/** Writes lastUsedAt when it is null or old enough. */
export function touchApiKey(tables: Tables, id: string, now: number, minIntervalMs: number): boolean {
  const row = tables.apiKeys.get(id);
  if (!row || (row.lastUsedAt !== null && now - row.lastUsedAt < minIntervalMs)) return false;
  tables.apiKeys.set(id, deepFreeze({ ...row, lastUsedAt: now }));
  return true;
}
