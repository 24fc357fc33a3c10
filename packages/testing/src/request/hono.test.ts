import { type AuthEnv, authErrorHandler, authRoutes, requirePermission } from "@tenantauth/hono";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { createTestAuth, type TestAuth } from "../kit/create-test-auth.js";
import { givenMember, givenOrganization, signedIn } from "../kit/fixtures.js";
import { agent } from "./hono.js";

function appFor(t: TestAuth): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  app.route("/auth", authRoutes(t.auth));
  app.onError(authErrorHandler());
  app.post(
    "/api/orgs/:orgId/echo",
    requirePermission(t.auth, "member:invite", { orgId: (c) => Number(c.req.param("orgId")) }),
    async (c) => c.json({ userId: (c.get("auth") as { userId?: number }).userId, body: await c.req.json() }, 201),
  );
  return app;
}

describe("agent (Hono)", () => {
  it("sends the bearer token and JSON body through app.request", async () => {
    const t = createTestAuth();
    const acme = await givenOrganization(t);
    const admin = await signedIn(t, await givenMember(t, acme, "Admin"));
    const res = await agent(appFor(t)).post(`/api/orgs/${acme.id}/echo`, { name: "Apollo" }).auth(admin);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ userId: admin.user.id, body: { name: "Apollo" } });
  });

  it("gives tenantauth's errors to a plain member and to an outsider", async () => {
    const t = createTestAuth();
    const acme = await givenOrganization(t);
    const member = await signedIn(t, await givenMember(t, acme));
    const outsider = await signedIn(t, (await givenOrganization(t)).owner);
    const app = agent(appFor(t));
    expect((await app.auth(member).post(`/api/orgs/${acme.id}/echo`, {})).status).toBe(403);
    const hidden = await app.auth(outsider).post(`/api/orgs/${acme.id}/echo`, {});
    expect(hidden.status).toBe(404);
    expect(hidden.body).toMatchObject({ error: { code: "NOT_FOUND" } });
  });

  it("signs in over HTTP: the seed's body shapes come back parsed", async () => {
    const t = createTestAuth();
    const acme = await givenOrganization(t);
    const res = await agent(appFor(t)).post("/auth/signin", { email: acme.owner.email, password: t.password });
    expect(res.status).toBe(200);
    expect(typeof res.body.access_token).toBe("string");
    const me = await agent(appFor(t)).get("/auth/me").auth(res.body.access_token);
    expect(me.body).toMatchObject({ user: { id: acme.owner.id } });
  });
});
