/** A row of `api_keys` without its hash: an organization's key for a machine client. */
export interface ApiKeyRecord {
  /** Random, lower-case base32; part of the key's readable prefix. */
  id: string;
  orgId: number;
  /** The user who created the key; the key never holds more than this user's current permissions. */
  createdBy: number;
  name: string;
  /** The readable start of the key (e.g. `ta_live_abcd…`), shown in lists. */
  prefix: string;
  /** Permissions granted to the key. */
  permissions: string[];
  expiresAt: number | null;
  lastUsedAt: number | null;
  revokedAt: number | null;
  createdAt: number;
  updatedAt: number;
}

/** Input of {@link ApiKeyStorage.createApiKey}. */
export interface NewApiKey {
  id: string;
  orgId: number;
  createdBy: number;
  name: string;
  prefix: string;
  /** SHA-256 (hex) of the whole key; the key itself is never stored. */
  keyHash: string;
  permissions: string[];
  expiresAt: number | null;
  now: number;
}

/** Input of {@link ApiKeyStorage.rotateApiKey}: the new secret's hash and the key's new holder. */
export interface ApiKeyRotation {
  /** SHA-256 (hex) of the new key. */
  keyHash: string;
  /** The user who rotated the key: from now on its creator, whose permissions cap it. */
  createdBy: number;
  now: number;
}

/** What authenticating a key needs, read in one query: the key, its creator's status and membership. */
export interface ApiKeyAuthentication {
  key: ApiKeyRecord;
  /** `users.status` of the creator. */
  creatorStatus: number;
  /** `organizations.status` of the key's organization. */
  organizationStatus: number;
  /** The creator's membership of the key's organization with its role's permissions, or null. */
  creatorMembership: { status: number; permissions: string[] } | null;
}

/** Organization API keys. Rules of StorageAdapter hold. */
export interface ApiKeyStorage {
  /** Inserts a key. A key referencing a missing organization or user is a storage error. */
  createApiKey(input: NewApiKey): Promise<ApiKeyRecord>;

  /** The organization's keys that are not revoked, oldest first. */
  listApiKeys(orgId: number): Promise<ApiKeyRecord[]>;

  /** The organization's key with this id (revoked or not), or null. */
  findApiKey(orgId: number, id: string): Promise<ApiKeyRecord | null>;

  /** Revokes the key. False when there is no such live key in the organization. */
  revokeApiKey(orgId: number, id: string, now: number): Promise<boolean>;

  /** Revokes every live key the user created, in any organization. Returns how many. */
  revokeApiKeysCreatedBy(userId: number, now: number): Promise<number>;

  /**
   * Replaces the hash of a live key (new secret, same id) and makes `createdBy` its creator, in one statement:
   * the old key stops working at once. False when there is no such live key in the organization.
   */
  rotateApiKey(orgId: number, id: string, rotation: ApiKeyRotation): Promise<boolean>;

  /** The key with this hash (revoked or not), with its creator's status and membership: one indexed query. */
  findApiKeyForAuthentication(keyHash: string): Promise<ApiKeyAuthentication | null>;

  /**
   * Sets `lastUsedAt = now` when it is null or at least `minIntervalMs` old (so it is written at most once per
   * interval). Returns whether it wrote.
   */
  touchApiKey(id: string, now: number, minIntervalMs: number): Promise<boolean>;
}
