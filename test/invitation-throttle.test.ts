import { createTestAuth, givenMember, givenUser, signedIn, type TestAuth } from "@tenantauth/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { callFrom } from "./support/from-ip.js";
import { type RunningServer, servers } from "./support/http-servers.js";

// Issue 13, item 10: invitations were an open mail relay (30 invitations to outside addresses in 0.7 s; 20 resends
// put 21 mails in one inbox). Invitations are now throttled per organization and per inviter, resends per
// invitation: RATE_LIMITED with Retry-After. Tokens are read from the mailbox, never from a response.
describe.each(servers.filter((s) => s.name !== "express4"))("invitation throttling over HTTP ($name)", (server) => {
  let t: TestAuth;
  let http: RunningServer;

  beforeEach(async () => {
    t = createTestAuth();
    http = await server.start(t.auth);
  });
  afterEach(async () => {
    await t.auth.mail.idle();
    await http.close();
  });

  const invite = (token: string, orgId: number, email: string, roleId: number) =>
    callFrom(http.baseUrl, "POST", `/auth/organizations/${orgId}/invitations`, {
      token,
      json: { email, role_id: roleId },
    });

  it("invitations to outside addresses: 10 per inviter, then 20 per organization per hour, then 429 with Retry-After", async () => {
    const owner = await givenUser(t, { email: "owner@acme.test", organizationName: "Acme" });
    const org = { id: owner.organizationId, name: "Acme", owner };
    // Two admins, invited by the owner (2 of the owner's 10, 2 of the organization's 20).
    const admins = [await givenMember(t, org, "Admin"), await givenMember(t, org, "Admin")];
    const ownerSession = await signedIn(t, owner);
    const memberRole = (await t.auth.roles.list(ownerSession.principal, org.id)).find((r) => r.name === "Member");
    const roleId = memberRole?.id as number;
    for (let i = 0; i < 8; i++) {
      expect((await invite(ownerSession.accessToken, org.id, `o${i}@elsewhere.test`, roleId)).status).toBe(201);
    }
    const perInviter = await invite(ownerSession.accessToken, org.id, "o8@elsewhere.test", roleId);
    expect(perInviter.status).toBe(429);
    expect(perInviter.body.error.code).toBe("RATE_LIMITED");
    expect(Number(perInviter.headers["retry-after"])).toBe(3600);

    const first = await signedIn(t, admins[0] as NonNullable<(typeof admins)[0]>);
    for (let i = 0; i < 10; i++) {
      expect((await invite(first.accessToken, org.id, `a${i}@elsewhere.test`, roleId)).status).toBe(201);
    }
    const second = await signedIn(t, admins[1] as NonNullable<(typeof admins)[1]>);
    const perOrganization = await invite(second.accessToken, org.id, "b0@elsewhere.test", roleId);
    expect(perOrganization.status).toBe(429);
    expect(Number(perOrganization.headers["retry-after"])).toBeGreaterThan(0);

    await t.auth.mail.idle();
    expect(t.mailbox.all(undefined, "invitation").filter((m) => m.to.endsWith("@elsewhere.test"))).toHaveLength(18);
    // An hour later the organization may invite again.
    t.clock.advance(3600 * 1000);
    const later = await signedIn(t, admins[1] as NonNullable<(typeof admins)[1]>);
    expect((await invite(later.accessToken, org.id, "b0@elsewhere.test", roleId)).status).toBe(201);
  });

  it("resends: 3 per invitation per hour, then 429; one inbox gets at most 4 mails an hour", async () => {
    const owner = await givenUser(t, { email: "owner@acme.test", organizationName: "Acme" });
    const session = await signedIn(t, owner);
    const roleId = (await t.auth.roles.list(session.principal, owner.organizationId)).find((r) => r.name === "Member")
      ?.id as number;
    expect((await invite(session.accessToken, owner.organizationId, "victim@elsewhere.test", roleId)).status).toBe(201);
    const [pending] = await t.auth.invitations.list(session.principal, owner.organizationId);
    const resend = () =>
      callFrom(http.baseUrl, "POST", `/auth/organizations/${owner.organizationId}/invitations/${pending?.id}/resend`, {
        token: session.accessToken,
      });
    const statuses = [];
    for (let i = 0; i < 20; i++) statuses.push((await resend()).status);
    expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
    expect(new Set(statuses.slice(3))).toEqual(new Set([429]));
    const refused = await resend();
    expect(refused.body.error.code).toBe("RATE_LIMITED");
    expect(Number(refused.headers["retry-after"])).toBe(3600);
    await t.auth.mail.idle();
    expect(t.mailbox.all("victim@elsewhere.test", "invitation")).toHaveLength(4);
    // The last mail's link is the one that works.
    const token = t.mailbox.tokenIn(t.mailbox.last("victim@elsewhere.test", "invitation"));
    expect(token.length).toBeGreaterThan(20);
  });

  it("the limits are configurable under rateLimit.invitations", async () => {
    await t.auth.mail.idle();
    await http.close();
    t = createTestAuth({ rateLimit: { invitations: { perInviter: { limit: 2, windowSeconds: 60 } } } });
    http = await server.start(t.auth);
    const owner = await givenUser(t, { email: "owner@acme.test", organizationName: "Acme" });
    const session = await signedIn(t, owner);
    const roleId = (await t.auth.roles.list(session.principal, owner.organizationId)).find((r) => r.name === "Member")
      ?.id as number;
    expect((await invite(session.accessToken, owner.organizationId, "x1@elsewhere.test", roleId)).status).toBe(201);
    expect((await invite(session.accessToken, owner.organizationId, "x2@elsewhere.test", roleId)).status).toBe(201);
    const refused = await invite(session.accessToken, owner.organizationId, "x3@elsewhere.test", roleId);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers["retry-after"])).toBe(60);
  });
});
