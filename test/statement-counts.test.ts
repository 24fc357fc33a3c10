import { createAuth } from "@tenantauth/core";
import type { KnexStorage } from "@tenantauth/knex";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Backend, sqlBackends } from "./support/backends.js";
import { statements } from "./support/sql-statements.js";
import { type Actor, createWorld, SECRET, type World } from "./support/world.js";

describe.each(sqlBackends)("SQL statements per operation on $name", (backend: Backend) => {
  let w: World;
  let owner: Actor;
  let admin: Actor;
  let knexStorage: KnexStorage;

  beforeAll(async () => {
    w = await createWorld(backend, { platformAdmins: ["root@platform.test"] });
    knexStorage = w.storage as unknown as KnexStorage;
    admin = await w.user("root@platform.test", "Platform");
    owner = await w.user("owner@acme.test", "Acme");
    await w.member(owner, owner.orgId, "m@acme.test");
  }, 60_000);
  afterAll(async () => {
    await w.cleanup();
  });

  it("authorize: 1", async () => {
    const sql = await statements(knexStorage, () => w.auth.authorize(owner.principal, owner.orgId, "member:invite"));
    expect(sql).toHaveLength(1);
  });

  it("authenticate with an API key: 1 query (+1 write of last-used, at most once a minute); authorize: 1", async () => {
    const { key } = await w.auth.apiKeys.create(owner.principal, owner.orgId, { name: "n", permissions: [] });
    const first = await statements(knexStorage, () => w.auth.authenticate(key));
    expect(first).toHaveLength(2);
    expect(first[1]).toMatch(/^update/i);
    const principal = await w.auth.authenticate(key);
    w.clock.advance(30_000);
    expect(await statements(knexStorage, () => w.auth.authenticate(key))).toHaveLength(1);
    expect(await statements(knexStorage, () => w.auth.authorize(principal, owner.orgId, "stats:read"))).toHaveLength(1);
  });

  /** The platform-admin check: the caller's stored user, one primary-key read (never the token's claims). */
  const adminCheck = /^select .* from [`"]?users[`"]? where [`"]?id[`"]? = /i;

  it("stats.orgRoleWiseUsers: 1 (one GROUP BY) + 1 for the admin check", async () => {
    const sql = await statements(knexStorage, () => w.auth.stats.orgRoleWiseUsers(admin.principal));
    expect(sql).toHaveLength(2);
    expect(sql[0]).toMatch(adminCheck);
    expect(sql[1]).toMatch(/group by/i);
  });

  it("stats.usersByStatus and stats.signupsPerDay: 1 each + 1 for the admin check", async () => {
    const byStatus = await statements(knexStorage, () => w.auth.stats.usersByStatus(admin.principal));
    expect(byStatus).toHaveLength(2);
    expect(byStatus[0]).toMatch(adminCheck);
    const range = { from: "2030-01-01", to: "2030-01-31" };
    const perDay = await statements(knexStorage, () => w.auth.stats.signupsPerDay(admin.principal, range));
    expect(perDay).toHaveLength(2);
    expect(perDay[0]).toMatch(adminCheck);
  });

  it("stats.organization: 1 for the permission check + 1 for the statistics", async () => {
    const sql = await statements(knexStorage, () => w.auth.stats.organization(owner.principal, owner.orgId));
    expect(sql).toHaveLength(2);
  });

  it("authorize with authorization.cacheTtlSeconds: 0 statements while cached, 1 after the TTL", async () => {
    const cached = createAuth({
      secret: SECRET,
      storage: w.storage,
      clock: w.clock,
      authorization: { cacheTtlSeconds: 30 },
    });
    const check = () => cached.authorize(owner.principal, owner.orgId, "member:invite");
    expect(await statements(knexStorage, check)).toHaveLength(1);
    expect(await statements(knexStorage, check)).toHaveLength(0);
    w.clock.advance(30_000);
    expect(await statements(knexStorage, check)).toHaveLength(1);
    w.clock.advance(-30_000);
  });

  it("authorize for the token's active organization: 0 from the claims, 1 with strictAuthorization", async () => {
    const { refreshToken } = await w.auth.signin({
      email: "owner@acme.test",
      password: "correct horse battery staple",
    });
    const principal = await w.auth.authenticate(
      (await w.auth.switchOrganization(refreshToken, owner.orgId)).accessToken,
    );
    const check = (a: typeof w.auth) => () => a.authorize(principal, owner.orgId, "member:invite");
    const sql = await statements(knexStorage, check(w.auth));
    expect(sql).toHaveLength(0);
    expect(await w.auth.authorize(principal, owner.orgId, "member:invite")).toBe(true);
    const strict = createAuth({ secret: SECRET, storage: w.storage, clock: w.clock, strictAuthorization: true });
    expect(await statements(knexStorage, check(strict))).toHaveLength(1);
  });

  it("admin.organizations.list: 1 (member counts in the same statement) + 1 for the admin check", async () => {
    const sql = await statements(knexStorage, () => w.auth.admin.organizations.list(admin.principal));
    expect(sql).toHaveLength(2);
    expect(sql[0]).toMatch(adminCheck);
  });

  it("signin: 8, the session and its audit event committed together (one commit, no savepoint)", async () => {
    const sql = await statements(knexStorage, () =>
      w.auth.signin({ email: "owner@acme.test", password: "correct horse battery staple" }),
    );
    expect(sql).toHaveLength(8);
    const at = (pattern: RegExp) => sql.findIndex((s) => pattern.test(s));
    const commits = sql.filter((s) => /^commit/i.test(s));
    expect(commits).toHaveLength(1);
    expect(sql.filter((s) => /savepoint/i.test(s))).toEqual([]);
    const [begin, session, audit, commit] = [
      /^begin/i,
      /insert into \W*sessions/i,
      /insert into \W*audit_events/i,
      /^commit/i,
    ].map(at);
    expect(begin).toBeGreaterThanOrEqual(0);
    expect(begin).toBeLessThan(session as number);
    expect(session).toBeLessThan(audit as number);
    expect(audit).toBeLessThan(commit as number);
  });

  it("authenticate with a malformed API key: refused without a statement", async () => {
    for (const bad of ["ta_live_", "ta_live_x", `ta_live_${"a".repeat(16)}_${"b".repeat(31)}`, "ta_live_' OR 1=1 --"]) {
      const sql = await statements(knexStorage, () => w.auth.authenticate(bad).catch(() => undefined));
      expect(sql, bad).toEqual([]);
    }
  });

  it("refresh of a session without an active organization reads no membership", async () => {
    const { refreshToken } = await w.auth.signin({
      email: "owner@acme.test",
      password: "correct horse battery staple",
    });
    let next = "";
    const sql = await statements(knexStorage, async () => {
      next = (await w.auth.refresh(refreshToken)).refreshToken;
    });
    const membershipReads = (sql: string[]) => sql.filter((statement) => /\bfrom\W+members\W/i.test(statement));
    expect(membershipReads(sql)).toEqual([]);
    // The control: with an active organization, the refresh reads the membership for the token's org claim.
    const switched = await w.auth.switchOrganization(next, owner.orgId);
    const withOrg = await statements(knexStorage, () => w.auth.refresh(switched.refreshToken));
    expect(membershipReads(withOrg)).toHaveLength(1);
  });

  it("authenticate: 0", async () => {
    const { accessToken } = await w.auth.signin({ email: "owner@acme.test", password: "correct horse battery staple" });
    expect(await statements(knexStorage, () => w.auth.authenticate(accessToken))).toHaveLength(0);
  });

  it("authenticate reads the revocation log once per revocation.refreshSeconds per node: 1 statement, then 0", async () => {
    const node = createAuth({ secret: SECRET, storage: w.storage, clock: w.clock, revocation: { refreshSeconds: 2 } });
    const { accessToken } = await w.auth.signin({ email: "owner@acme.test", password: "correct horse battery staple" });
    const first = await statements(knexStorage, () => node.authenticate(accessToken));
    expect(first).toHaveLength(1);
    expect(first[0]).toMatch(/^select .* from \W*revocations\W* where \W*id\W* > /i);
    for (let i = 0; i < 5; i++) expect(await statements(knexStorage, () => node.authenticate(accessToken))).toEqual([]);
    w.clock.advance(2_000);
    expect(await statements(knexStorage, () => node.authenticate(accessToken))).toHaveLength(1);
    expect(await statements(knexStorage, () => node.authenticate(accessToken))).toEqual([]);
    w.clock.advance(-2_000);
  });

  it("the invitation mail intent is queued with the token sealed, never in clear", async () => {
    const { invitation } = await w.auth.invitations.create(owner.principal, owner.orgId, {
      email: "new@acme.test",
      roleId: (await w.auth.roles.list(owner.principal, owner.orgId)).find((r) => r.name === "Member")!.id,
    });
    const rows = await knexStorage.knex("mail_outbox").where({ recipient: "new@acme.test" });
    const token = await w.invitationToken("new@acme.test");
    expect(rows).toHaveLength(1);
    expect(rows[0].template).toBe("invitation");
    const dump =
      JSON.stringify(rows) + JSON.stringify(await knexStorage.knex("invitations").where({ id: invitation.id }));
    expect(dump).not.toContain(token);
    expect(JSON.stringify(rows[0].payload)).toMatch(/sealedToken/);
  });
});
