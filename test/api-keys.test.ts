import { type ApiKeyPrincipal, type Auth, AuthError, type StorageAdapter, USER_STATUS } from "@tenantauth/core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { backends } from "./support/backends.js";
import { authErrorOf, expectAuthError } from "./support/errors.js";
import { httpClient } from "./support/http-client.js";
import { type RunningServer, servers } from "./support/http-servers.js";
import { type Actor, createWorld, PASSWORD, type World } from "./support/world.js";

const asKey = (p: unknown): ApiKeyPrincipal => p as ApiKeyPrincipal;

describe.each(backends)("organization API keys on $name", (backend) => {
  let w: World;
  let ada: Actor; // Owner of Acme
  let carol: Actor; // Admin of Acme
  let bob: Actor; // Member of Acme
  let storage: StorageAdapter;

  beforeEach(async () => {
    w = await createWorld(backend);
    storage = w.storage as StorageAdapter;
    ada = await w.user("ada@example.com", "Acme");
    carol = await w.member(ada, ada.orgId, "carol@example.com", "Admin");
    bob = await w.member(ada, ada.orgId, "bob@example.com", "Member");
  });
  afterEach(async () => {
    await w.cleanup();
  });

  it("returns the key once with a readable prefix; only its SHA-256 is stored; lists never show it", async () => {
    const issued = await w.auth.apiKeys.create(carol.principal, ada.orgId, { name: "CI", permissions: ["stats:read"] });
    expect(issued.key).toMatch(/^ta_live_[a-z2-7]{16}_[a-z2-7]{32}$/);
    expect(issued.key.startsWith(issued.prefix)).toBe(true);
    expect(issued).toMatchObject({
      orgId: ada.orgId,
      name: "CI",
      permissions: ["stats:read"],
      createdBy: carol.userId,
    });
    const listed = await w.auth.apiKeys.list(ada.principal, ada.orgId);
    expect(listed).toHaveLength(1);
    expect(Object.keys(listed[0] ?? {}).sort()).toEqual(
      ["createdAt", "createdBy", "expiresAt", "id", "lastUsedAt", "name", "orgId", "permissions", "prefix"].sort(),
    );
    expect(JSON.stringify(listed)).not.toContain(issued.key.slice(issued.prefix.length + 1));
    const stored = await storage.findApiKey(ada.orgId, issued.id);
    expect(JSON.stringify(stored)).not.toContain(issued.key.slice(issued.prefix.length + 1));
  });

  it("cannot exceed its creator's permissions", async () => {
    const over = await expectAuthError(
      w.auth.apiKeys.create(carol.principal, ada.orgId, { name: "x", permissions: ["stats:read", "org:delete"] }),
      "FORBIDDEN",
    );
    expect(over.details).toEqual({ missing: ["org:delete"] });
    await expectAuthError(w.auth.apiKeys.create(bob.principal, ada.orgId, { name: "x", permissions: [] }), "FORBIDDEN");
    await expectAuthError(w.auth.apiKeys.list(bob.principal, ada.orgId), "FORBIDDEN");
    // An outsider learns nothing about the organization.
    const eve = await w.user("eve@example.com", "Evil");
    await expectAuthError(w.auth.apiKeys.create(eve.principal, ada.orgId, { name: "x", permissions: [] }), "NOT_FOUND");

    // A key stops working whole once its creator no longer holds all its permissions: demoting carol to a
    // role that keeps stats:read but not member:invite stops the key for stats:read too.
    const { key } = await w.auth.apiKeys.create(carol.principal, ada.orgId, {
      name: "ops",
      permissions: ["member:invite", "stats:read"],
    });
    const before = asKey(await w.auth.authenticate(key));
    expect(before).toMatchObject({ kind: "apiKey", orgId: ada.orgId, createdBy: carol.userId });
    expect(before.permissions.sort()).toEqual(["member:invite", "stats:read"]);
    expect(await w.auth.authorize(before, ada.orgId, "member:invite")).toBe(true);
    expect(await w.auth.authorize(before, ada.orgId, "member:remove")).toBe(false); // carol has it, the key not
    // Only its own organization.
    expect(await w.auth.authorize(before, eve.orgId, "stats:read")).toBe(false);
    await expectAuthError(w.auth.assertAuthorized(before, eve.orgId, "stats:read"), "NOT_FOUND");
    const narrow = await w.auth.apiKeys.create(carol.principal, ada.orgId, { name: "n", permissions: ["stats:read"] });
    const analyst = await w.auth.roles.create(ada.principal, ada.orgId, {
      name: "Analyst",
      permissions: ["stats:read"],
    });
    await w.auth.members.updateRole(ada.principal, ada.orgId, carol.userId, analyst.id);
    // Even the principal authenticated before the change no longer passes, for any permission.
    expect(await w.auth.authorize(before, ada.orgId, "member:invite")).toBe(false);
    expect(await w.auth.authorize(before, ada.orgId, "stats:read")).toBe(false);
    await expectAuthError(w.auth.assertAuthorized(before, ada.orgId, "member:invite"), "FORBIDDEN");
    await expectAuthError(w.auth.assertAuthorized(before, ada.orgId, "stats:read"), "FORBIDDEN");
    const after = await expectAuthError(w.auth.authenticate(key), "INVALID_TOKEN");
    expect(after.message).toContain("no longer holds its permissions");
    // Her key that her new role still covers keeps working.
    expect(await w.auth.authorize(await w.auth.authenticate(narrow.key), ada.orgId, "stats:read")).toBe(true);
  });

  it("is refused in another organization even where its creator is a member holding the permission", async () => {
    const beta = await w.auth.organizations.create(ada.principal, { name: "Beta" });
    // Ada is Owner of Beta: she holds stats:read there herself.
    expect(await w.auth.authorize(ada.principal, beta.id, "stats:read")).toBe(true);
    const issued = await w.auth.apiKeys.create(ada.principal, ada.orgId, { name: "acme", permissions: ["stats:read"] });
    const key = asKey(await w.auth.authenticate(issued.key));
    expect(await w.auth.authorize(key, ada.orgId, "stats:read")).toBe(true);
    expect(await w.auth.authorize(key, beta.id, "stats:read")).toBe(false);
    await expectAuthError(w.auth.assertAuthorized(key, beta.id, "stats:read"), "NOT_FOUND");
  });

  it("stops working the moment it is revoked, rotated, expired, or its creator is disabled or leaves", async () => {
    const make = (name: string, expiresAt?: number) =>
      w.auth.apiKeys.create(ada.principal, ada.orgId, { name, permissions: ["stats:read"], expiresAt });
    const revoked = await make("revoked");
    await expect(w.auth.authenticate(revoked.key)).resolves.toMatchObject({ keyId: revoked.id });
    await w.auth.apiKeys.revoke(ada.principal, ada.orgId, revoked.id);
    await expectAuthError(w.auth.authenticate(revoked.key), "INVALID_TOKEN");
    await expectAuthError(w.auth.apiKeys.revoke(ada.principal, ada.orgId, revoked.id), "NOT_FOUND");
    expect((await w.auth.apiKeys.list(ada.principal, ada.orgId)).map((k) => k.id)).not.toContain(revoked.id);

    const rotated = await make("rotated");
    const fresh = await w.auth.apiKeys.rotate(ada.principal, ada.orgId, rotated.id);
    expect(fresh).toMatchObject({ id: rotated.id, prefix: rotated.prefix, permissions: ["stats:read"] });
    expect(fresh.key).not.toBe(rotated.key);
    await expectAuthError(w.auth.authenticate(rotated.key), "INVALID_TOKEN");
    await expect(w.auth.authenticate(fresh.key)).resolves.toMatchObject({ keyId: rotated.id });

    const expiring = await make("expiring", w.clock.now() + 3_600_000);
    await expect(w.auth.authenticate(expiring.key)).resolves.toMatchObject({ keyId: expiring.id });
    w.clock.advance(3_600_000);
    await expectAuthError(w.auth.authenticate(expiring.key), "INVALID_TOKEN");
    await expectAuthError(make("past", w.clock.now() - 1), "INVALID_INPUT");

    // Carol's key dies the moment carol is disabled (admin.users.disable sets this status).
    const carols = await w.auth.apiKeys.create(carol.principal, ada.orgId, { name: "c", permissions: ["stats:read"] });
    await expect(w.auth.authenticate(carols.key)).resolves.toMatchObject({ createdBy: carol.userId });
    await storage.updateUserStatus(carol.userId, USER_STATUS.disabled, w.clock.now());
    const disabled = await expectAuthError(w.auth.authenticate(carols.key), "INVALID_TOKEN");
    expect(disabled.message).toContain("disabled");
    // …and, storage-wide, every key she created can be revoked at once.
    expect(await storage.revokeApiKeysCreatedBy(carol.userId, w.clock.now())).toBe(1);

    // A key whose creator left the organization dies too.
    const bobAdmin = await w.member(ada, ada.orgId, "dan@example.com", "Admin");
    const dans = await w.auth.apiKeys.create(bobAdmin.principal, ada.orgId, { name: "d", permissions: [] });
    await w.auth.members.leave(bobAdmin.principal, ada.orgId);
    await expectAuthError(w.auth.authenticate(dans.key), "INVALID_TOKEN");
  });

  it("refuses an expiry that is not in the future, to the millisecond, naming the field; null means none", async () => {
    const create = (expiresAt: number | null) =>
      w.auth.apiKeys.create(ada.principal, ada.orgId, { name: "e", permissions: [], expiresAt });
    const now = await expectAuthError(create(w.clock.now()), "INVALID_INPUT");
    expect(now.details).toEqual({ issues: [{ path: "expiresAt", message: "must be in the future" }] });
    expect((await create(w.clock.now() + 1)).expiresAt).toBe(w.clock.now() + 1);
    const forever = await create(null);
    expect(forever.expiresAt).toBeNull();
    w.clock.advance(365 * 24 * 3_600_000);
    await expect(w.auth.authenticate(forever.key)).resolves.toMatchObject({ keyId: forever.id });
  });

  it("cannot rotate a revoked key back to life, even one holding permissions the rotator lacks (NOT_FOUND)", async () => {
    const owners = await w.auth.apiKeys.create(ada.principal, ada.orgId, { name: "o", permissions: ["org:delete"] });
    await w.auth.apiKeys.revoke(ada.principal, ada.orgId, owners.id);
    // carol (Admin) may manage keys but lacks org:delete: a revoked key is not there for her to be refused.
    await expectAuthError(w.auth.apiKeys.rotate(carol.principal, ada.orgId, owners.id), "NOT_FOUND");
    await expectAuthError(w.auth.apiKeys.rotate(ada.principal, ada.orgId, owners.id), "NOT_FOUND");
    await expectAuthError(w.auth.authenticate(owners.key), "INVALID_TOKEN");
  });

  it("stops working when its organization is deleted", async () => {
    const { key } = await w.auth.apiKeys.create(ada.principal, ada.orgId, { name: "k", permissions: ["stats:read"] });
    await expect(w.auth.authenticate(key)).resolves.toMatchObject({ orgId: ada.orgId });
    await w.auth.organizations.delete(ada.principal, ada.orgId);
    await expectAuthError(w.auth.authenticate(key), "INVALID_TOKEN");
  });

  it("writes last used at most once a minute", async () => {
    const { id, key } = await w.auth.apiKeys.create(ada.principal, ada.orgId, { name: "t", permissions: [] });
    const lastUsed = async () => (await storage.findApiKey(ada.orgId, id))?.lastUsedAt;
    expect(await lastUsed()).toBeNull();
    const t0 = w.clock.now();
    await w.auth.authenticate(key);
    expect(await lastUsed()).toBe(t0);
    w.clock.advance(59_999);
    await w.auth.authenticate(key);
    expect(await lastUsed()).toBe(t0);
    w.clock.advance(1);
    await w.auth.authenticate(key);
    expect(await lastUsed()).toBe(t0 + 60_000);
    expect((await w.auth.apiKeys.list(ada.principal, ada.orgId))[0]?.lastUsedAt).toBe(t0 + 60_000);
  });

  it("an API key principal gets API_KEY_NOT_ALLOWED from user-only functions, never a TypeError", async () => {
    const { key } = await w.auth.apiKeys.create(ada.principal, ada.orgId, { name: "k", permissions: ["stats:read"] });
    const p = await w.auth.authenticate(key);
    const calls: Array<Promise<unknown>> = [
      w.auth.me(p),
      w.auth.changePassword(p, PASSWORD, "another long passphrase"),
      w.auth.signoutAll(p),
      w.auth.twoFactor.enroll(p),
      w.auth.twoFactor.status(p),
      w.auth.apiKeys.create(p, ada.orgId, { name: "child", permissions: [] }),
      w.auth.apiKeys.list(p, ada.orgId),
      w.auth.members.list(p, ada.orgId),
      w.auth.organizations.list(p),
      w.auth.invitations.create(p, ada.orgId, { email: "x@example.com", roleId: 1 }),
      w.auth.stats.organization(p, ada.orgId),
    ];
    for (const call of calls) {
      const error = await authErrorOf(call);
      expect(error.code).toBe("API_KEY_NOT_ALLOWED");
      expect(error.status).toBe(403);
    }
  });

  it("refuses bad input with stable codes", async () => {
    const create = (input: unknown) => w.auth.apiKeys.create(ada.principal, ada.orgId, input as never);
    await expectAuthError(create({ name: "", permissions: [] }), "INVALID_INPUT");
    await expectAuthError(create({ name: "x", permissions: ["root"] }), "INVALID_INPUT");
    await expectAuthError(create({ name: "x", permissions: "stats:read" }), "INVALID_INPUT");
    await expectAuthError(create(null), "INVALID_INPUT");
    await expectAuthError(w.auth.apiKeys.revoke(ada.principal, ada.orgId, "../../etc"), "INVALID_INPUT");
    await expectAuthError(w.auth.apiKeys.rotate(ada.principal, ada.orgId, "aaaaaaaaaaaaaaaa"), "NOT_FOUND");
    for (const bad of ["ta_live_", "ta_live_x", `ta_live_${"a".repeat(16)}_${"b".repeat(32)}`, "ta_live_' OR 1=1 --"]) {
      await expectAuthError(w.auth.authenticate(bad), "INVALID_TOKEN");
    }
    // A key of another organization cannot be revoked through this one.
    const eve = await w.user("eve@example.com", "Evil");
    const evil = await w.auth.apiKeys.create(eve.principal, eve.orgId, { name: "e", permissions: [] });
    await expectAuthError(w.auth.apiKeys.revoke(ada.principal, ada.orgId, evil.id), "NOT_FOUND");
    await expect(w.auth.authenticate(evil.key)).resolves.toMatchObject({ orgId: eve.orgId });
    expect(await authErrorOf(w.auth.authenticate(undefined as never))).toBeInstanceOf(AuthError);
  });
});

describe.each(backends)("API keys through both HTTP adapters on $name", (backend) => {
  let w: World;
  let ada: Actor;
  const running: Array<{ name: string; server: RunningServer }> = [];

  beforeAll(async () => {
    w = await createWorld(backend, { emailVerification: { required: false } });
    ada = await w.user("ada@example.com", "Acme");
    for (const { name, start } of servers) running.push({ name, server: await start(w.auth as Auth) });
  });
  afterAll(async () => {
    await Promise.all(running.map((r) => r.server.close()));
    await w.cleanup();
  });

  it.each(servers.map((s) => s.name))(
    "%s: Bearer <key> passes requireAuth and requirePermission, until revoked",
    async (name) => {
      const server = running.find((r) => r.name === name)?.server as RunningServer;
      const http = httpClient(server.baseUrl);
      const access = (await w.auth.signin({ email: ada.email, password: "correct horse battery staple" })).accessToken;
      const created = await http.call("create", "POST", `/auth/organizations/${ada.orgId}/api-keys`, {
        token: access,
        json: { name: `report-${name}`, permissions: ["stats:read"] },
      });
      expect(created.status).toBe(201);
      const key = created.body.key as string;
      expect(key.startsWith(created.body.prefix)).toBe(true);

      const me = await http.call("host me", "GET", "/api/me", { token: key });
      expect([me.status, me.body]).toEqual([200, { key_id: created.body.id }]);
      const report = await http.call("host report", "GET", `/api/orgs/${ada.orgId}/report`, { token: key });
      expect([report.status, report.body]).toEqual([200, { org_id: ada.orgId, key_id: created.body.id }]);
      const other = await http.call("other org", "GET", `/api/orgs/${ada.orgId + 1000}/report`, { token: key });
      expect([other.status, other.body.error.code]).toEqual([404, "NOT_FOUND"]);
      const core = await http.call("core route", "GET", `/auth/organizations/${ada.orgId}/members`, { token: key });
      expect([core.status, core.body.error.code]).toEqual([403, "API_KEY_NOT_ALLOWED"]);

      // A key without the permission is refused by requirePermission.
      const weak = await w.auth.apiKeys.create(ada.principal, ada.orgId, { name: `weak-${name}`, permissions: [] });
      const refused = await http.call("no permission", "GET", `/api/orgs/${ada.orgId}/report`, { token: weak.key });
      expect([refused.status, refused.body.error.code]).toEqual([403, "FORBIDDEN"]);

      const revoked = await http.call(
        "revoke",
        "DELETE",
        `/auth/organizations/${ada.orgId}/api-keys/${created.body.id}`,
        {
          token: access,
        },
      );
      expect(revoked.status).toBe(204);
      const after = await http.call("after revoke", "GET", `/api/orgs/${ada.orgId}/report`, { token: key });
      expect([after.status, after.body.error.code]).toEqual([401, "INVALID_TOKEN"]);
      const afterMe = await http.call("after revoke me", "GET", "/api/me", { token: key });
      expect(afterMe.status).toBe(401);
    },
  );
});

describe.each(backends)("API key rotation and its creator's standing, over both HTTP adapters, on $name", (backend) => {
  let w: World;
  let ada: Actor; // Owner of Acme
  let adaToken: string;
  let analyst: number; // a custom role of Acme with stats:read only
  const running: Array<{ name: string; server: RunningServer }> = [];
  const tokenOf = async (a: Actor) => (await w.auth.signin({ email: a.email, password: PASSWORD })).accessToken;
  const serverNamed = (name: string) => running.find((r) => r.name === name)?.server as RunningServer;

  beforeAll(async () => {
    w = await createWorld(backend, { emailVerification: { required: false } });
    ada = await w.user("ada@example.com", "Acme");
    adaToken = await tokenOf(ada);
    analyst = (await w.auth.roles.create(ada.principal, ada.orgId, { name: "Analyst", permissions: ["stats:read"] }))
      .id;
    for (const { name, start } of servers) running.push({ name, server: await start(w.auth as Auth) });
  });
  afterAll(async () => {
    await Promise.all(running.map((r) => r.server.close()));
    await w.cleanup();
  });

  it.each(servers.map((s) => s.name))(
    "%s: an Admin who rotates the Owner's key owns it, and loses it with their membership",
    async (name) => {
      const http = httpClient(serverNamed(name).baseUrl);
      const carol = await w.member(ada, ada.orgId, `carol-${name}@example.com`, "Admin");
      const carolToken = await tokenOf(carol);
      const report = (key: string) => http.call("report", "GET", `/api/orgs/${ada.orgId}/report`, { token: key });

      const created = await http.call("ada creates", "POST", `/auth/organizations/${ada.orgId}/api-keys`, {
        token: adaToken,
        json: { name: `ada-${name}`, permissions: ["stats:read"] },
      });
      expect([created.status, created.body.created_by]).toEqual([201, ada.userId]);
      // The attack: the Admin rotates the Owner's key and keeps the new secret.
      const rotated = await http.call(
        "carol rotates",
        "POST",
        `/auth/organizations/${ada.orgId}/api-keys/${created.body.id}/rotate`,
        { token: carolToken },
      );
      expect(rotated.status).toBe(200);
      const stolen = rotated.body.key as string;
      // The rotated key is recorded as the rotator's, in the answer and in the list.
      expect(rotated.body).toMatchObject({
        id: created.body.id,
        created_by: carol.userId,
        permissions: ["stats:read"],
      });
      const listed = await http.call("list", "GET", `/auth/organizations/${ada.orgId}/api-keys`, { token: adaToken });
      expect(listed.body.find((k: { id: string }) => k.id === created.body.id)?.created_by).toBe(carol.userId);
      expect((await report(created.body.key)).status).toBe(401);
      expect([(await report(stolen)).status, (await report(stolen)).body.key_id]).toEqual([200, created.body.id]);

      // The Owner removes the Admin: the key she rotated dies with her membership, at once.
      const removed = await http.call(
        "remove carol",
        "DELETE",
        `/auth/organizations/${ada.orgId}/members/${carol.userId}`,
        {
          token: adaToken,
        },
      );
      expect(removed.status).toBe(204);
      const after = await report(stolen);
      expect([after.status, after.body.error?.code]).toEqual([401, "INVALID_TOKEN"]);
      const me = await http.call("me", "GET", "/api/me", { token: stolen });
      expect(me.status).toBe(401);
    },
  );

  it.each(servers.map((s) => s.name))(
    "%s: a key is refused on another organization's route where its creator holds the permission",
    async (name) => {
      const http = httpClient(serverNamed(name).baseUrl);
      const beta = await w.auth.organizations.create(ada.principal, { name: `Beta ${name}` });
      const created = await http.call("ada creates", "POST", `/auth/organizations/${ada.orgId}/api-keys`, {
        token: adaToken,
        json: { name: `acme-${name}`, permissions: ["stats:read"] },
      });
      const key = created.body.key as string;
      const own = await http.call("own org", "GET", `/api/orgs/${ada.orgId}/report`, { token: key });
      expect(own.status).toBe(200);
      // Ada herself may read Beta's report …
      const asAda = await http.call("ada on beta", "GET", `/api/orgs/${beta.id}/report`, { token: adaToken });
      expect([asAda.status, asAda.body.user_id]).toEqual([200, ada.userId]);
      // … but her Acme key may not.
      const other = await http.call("key on beta", "GET", `/api/orgs/${beta.id}/report`, { token: key });
      expect([other.status, other.body.error?.code]).toEqual([404, "NOT_FOUND"]);
    },
  );

  it.each(servers.map((s) => s.name))(
    "%s: a key stops working entirely when its creator is demoted below its permissions",
    async (name) => {
      const http = httpClient(serverNamed(name).baseUrl);
      const dan = await w.member(ada, ada.orgId, `dan-${name}@example.com`, "Admin");
      const created = await http.call("dan creates", "POST", `/auth/organizations/${ada.orgId}/api-keys`, {
        token: await tokenOf(dan),
        json: { name: `dan-${name}`, permissions: ["stats:read", "member:invite"] },
      });
      expect(created.status).toBe(201);
      const key = created.body.key as string;
      const report = () => http.call("report", "GET", `/api/orgs/${ada.orgId}/report`, { token: key });
      expect((await report()).status).toBe(200);
      // Dan keeps stats:read (Analyst) but loses member:invite: the key is refused for stats:read too.
      const demoted = await http.call("demote dan", "PATCH", `/auth/organizations/${ada.orgId}/members/${dan.userId}`, {
        token: adaToken,
        json: { role_id: analyst },
      });
      expect(demoted.status).toBe(204);
      const after = await report();
      expect([after.status, after.body.error?.code]).toEqual([401, "INVALID_TOKEN"]);
      // Given the permission back, the key works again: it was never revoked, only out of its creator's reach.
      await w.auth.members.updateRole(ada.principal, ada.orgId, dan.userId, await w.roleId(ada, ada.orgId, "Admin"));
      expect((await report()).status).toBe(200);
    },
  );
});
