import { MEMBER_STATUS, type NewApiKey, USER_STATUS } from "@tenantauth/core";
import { expect, it } from "vitest";
import { type Harness, MINUTE, signup, T0, tokenHash, unique } from "./fixtures.js";

const newKey = (orgId: number, createdBy: number, overrides: Partial<NewApiKey> = {}): NewApiKey => ({
  id: unique().padEnd(16, "a").slice(0, 16),
  orgId,
  createdBy,
  name: "CI",
  prefix: "ta_live_x",
  keyHash: tokenHash(),
  permissions: ["stats:read"],
  expiresAt: null,
  now: T0,
  ...overrides,
});

/** Tests of API key storage. */
export function registerApiKeyTests(h: Harness): void {
  it("createApiKey round-trips; find, list and authentication read it; never the hash", async () => {
    const storage = h.storage();
    const { userId, orgId } = await signup(storage);
    const input = newKey(orgId, userId, { expiresAt: T0 + MINUTE });
    const created = await storage.createApiKey(input);
    const expected = {
      id: input.id,
      orgId,
      createdBy: userId,
      name: "CI",
      prefix: "ta_live_x",
      permissions: ["stats:read"],
      expiresAt: T0 + MINUTE,
      lastUsedAt: null,
      revokedAt: null,
      createdAt: T0,
      updatedAt: T0,
    };
    expect(created).toStrictEqual(expected);
    expect(await storage.findApiKey(orgId, input.id)).toStrictEqual(expected);
    expect(await storage.listApiKeys(orgId)).toStrictEqual([expected]);
    const owner = (await storage.listBuiltInRoles()).find((r) => r.name === "Owner");
    expect(await storage.findApiKeyForAuthentication(input.keyHash)).toStrictEqual({
      key: expected,
      creatorStatus: USER_STATUS.active,
      organizationStatus: 1,
      creatorMembership: { status: MEMBER_STATUS.active, permissions: owner?.permissions },
    });
    expect(await storage.findApiKeyForAuthentication(tokenHash())).toBeNull();
    const other = await signup(storage);
    expect(await storage.findApiKey(other.orgId, input.id)).toBeNull();
    expect(await storage.listApiKeys(other.orgId)).toEqual([]);
  });

  it("revoke and rotate act on live keys of the organization only", async () => {
    const storage = h.storage();
    const { userId, orgId } = await signup(storage);
    const other = await signup(storage);
    const input = newKey(orgId, userId);
    await storage.createApiKey(input);
    expect(await storage.revokeApiKey(other.orgId, input.id, T0 + 1)).toBe(false);
    const next = tokenHash();
    expect(await storage.rotateApiKey(other.orgId, input.id, { keyHash: next, createdBy: userId, now: T0 + 1 })).toBe(
      false,
    );
    expect(await storage.rotateApiKey(orgId, input.id, { keyHash: next, createdBy: userId, now: T0 + 1 })).toBe(true);
    expect(await storage.findApiKeyForAuthentication(input.keyHash)).toBeNull();
    expect((await storage.findApiKeyForAuthentication(next))?.key.id).toBe(input.id);
    expect(await storage.revokeApiKey(orgId, input.id, T0 + 2)).toBe(true);
    expect(await storage.revokeApiKey(orgId, input.id, T0 + 3)).toBe(false);
    const late = { keyHash: tokenHash(), createdBy: userId, now: T0 + 3 };
    expect(await storage.rotateApiKey(orgId, input.id, late)).toBe(false);
    expect((await storage.findApiKeyForAuthentication(next))?.key.revokedAt).toBe(T0 + 2);
    expect(await storage.listApiKeys(orgId)).toEqual([]);
  });

  it("rotateApiKey makes the rotator the key's creator: find, list and authentication show them", async () => {
    const storage = h.storage();
    const { userId, orgId } = await signup(storage);
    const rotator = await signup(storage);
    const input = newKey(orgId, userId);
    await storage.createApiKey(input);
    const next = tokenHash();
    expect(await storage.rotateApiKey(orgId, input.id, { keyHash: next, createdBy: rotator.userId, now: T0 + 1 })).toBe(
      true,
    );
    const found = await storage.findApiKey(orgId, input.id);
    expect(found).toMatchObject({ createdBy: rotator.userId, permissions: ["stats:read"], updatedAt: T0 + 1 });
    expect((await storage.listApiKeys(orgId))[0]?.createdBy).toBe(rotator.userId);
    const authentication = await storage.findApiKeyForAuthentication(next);
    expect(authentication?.key.createdBy).toBe(rotator.userId);
    // The rotator is no member of the key's organization: authentication sees no membership.
    expect(authentication?.creatorMembership).toBeNull();
  });

  it("authentication sees the creator's status and membership; revokeApiKeysCreatedBy revokes theirs", async () => {
    const storage = h.storage();
    const { userId, orgId } = await signup(storage);
    const input = newKey(orgId, userId);
    await storage.createApiKey(input);
    await storage.createApiKey(newKey(orgId, userId));
    await storage.updateUserStatus(userId, USER_STATUS.disabled, T0 + 1);
    expect((await storage.findApiKeyForAuthentication(input.keyHash))?.creatorStatus).toBe(USER_STATUS.disabled);
    expect(await storage.revokeApiKeysCreatedBy(userId, T0 + 2)).toBe(2);
    expect(await storage.revokeApiKeysCreatedBy(userId, T0 + 3)).toBe(0);
    const stranger = await signup(storage);
    const foreign = newKey(orgId, stranger.userId);
    await storage.createApiKey(foreign);
    expect((await storage.findApiKeyForAuthentication(foreign.keyHash))?.creatorMembership).toBeNull();
  });

  it("touchApiKey writes at most once per interval, even when called concurrently", async () => {
    const storage = h.storage();
    const { userId, orgId } = await signup(storage);
    const input = newKey(orgId, userId);
    await storage.createApiKey(input);
    const first = await Promise.all(Array.from({ length: 5 }, () => storage.touchApiKey(input.id, T0, MINUTE)));
    expect(first.filter(Boolean)).toHaveLength(1);
    expect(await storage.touchApiKey(input.id, T0 + MINUTE - 1, MINUTE)).toBe(false);
    expect(await storage.touchApiKey(input.id, T0 + MINUTE, MINUTE)).toBe(true);
    expect((await storage.findApiKey(orgId, input.id))?.lastUsedAt).toBe(T0 + MINUTE);
  });
}
