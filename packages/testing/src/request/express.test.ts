import { authErrorHandler, authRouter, requirePermission } from "@tenantauth/express";
import express from "express";
import { describe, expect, it } from "vitest";
import { createTestAuth } from "../kit/create-test-auth.js";
import { givenMember, givenOrganization, signedIn } from "../kit/fixtures.js";
import { agent } from "./express.js";

function appFor(t: ReturnType<typeof createTestAuth>) {
  const app = express();
  app.use("/auth", authRouter(t.auth));
  app.use(express.json());
  app.post(
    "/api/orgs/:orgId/echo",
    requirePermission(t.auth, "member:invite", { orgId: (req) => Number(req.params.orgId) }),
    (req, res) => {
      res.status(201).json({
        userId: req.auth?.kind === "user" ? req.auth.userId : null,
        body: req.body,
        header: req.get("x-trace") ?? null,
      });
    },
  );
  app.get("/plain", (_req, res) => {
    res.type("text/plain").send("just text");
  });
  app.use(authErrorHandler());
  return app;
}

describe("agent (Express)", () => {
  it("sends the bearer token of a session, a JSON body and headers, and parses the answer", async () => {
    const t = createTestAuth();
    const acme = await givenOrganization(t);
    const admin = await signedIn(t, await givenMember(t, acme, "Admin"));
    const res = await agent(appFor(t))
      .post(`/api/orgs/${acme.id}/echo`, { name: "Apollo" })
      .auth(admin)
      .set("x-trace", "abc");
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ userId: admin.user.id, body: { name: "Apollo" }, header: "abc" });
  });

  it("answers without a token, with a plain member's token, and with a raw token string as the app does", async () => {
    const t = createTestAuth();
    const acme = await givenOrganization(t);
    const member = await signedIn(t, await givenMember(t, acme));
    const app = agent(appFor(t));
    expect((await app.post(`/api/orgs/${acme.id}/echo`, {})).body).toMatchObject({
      error: { code: "UNAUTHENTICATED" },
    });
    const forbidden = await app.auth(member.accessToken).post(`/api/orgs/${acme.id}/echo`, {});
    expect(forbidden.status).toBe(403);
    expect(forbidden.body).toMatchObject({ error: { code: "FORBIDDEN" } });
  });

  it("reaches tenantauth's own routes, and returns non-JSON bodies as text", async () => {
    const t = createTestAuth();
    const acme = await givenOrganization(t);
    const owner = await signedIn(t, acme.owner);
    const me = await agent(appFor(t), { auth: owner }).get("/auth/me");
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ user: { email: acme.owner.email } });
    const plain = await agent(appFor(t)).get("/plain");
    expect(plain.body).toBe("just text");
    expect(plain.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(() => agent(appFor(t)).get("plain")).toThrow(TypeError);
  });
});
