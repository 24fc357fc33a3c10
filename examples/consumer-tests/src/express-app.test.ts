import { createTestAuth, givenMember, givenOrganization, signedIn, type TestAuth } from "@tenantauth/testing";
import { agent } from "@tenantauth/testing/express";
import { beforeEach, describe, expect, it } from "vitest";
import { createExpressApp } from "./express-app.js";

let t: TestAuth;
let app: ReturnType<typeof createExpressApp>;

beforeEach(() => {
  t = createTestAuth();
  app = createExpressApp(t.auth);
});

describe("notes on Express", () => {
  it("an admin writes, a member reads, a member may not write, an outsider sees nothing", async () => {
    const acme = await givenOrganization(t);
    const admin = await signedIn(t, await givenMember(t, acme, "Admin"));
    const member = await signedIn(t, await givenMember(t, acme));
    const outsider = await signedIn(t, (await givenOrganization(t)).owner);
    const notes = `/api/orgs/${acme.id}/notes`;

    const created = await agent(app).post(notes, { text: "Ship it" }).auth(admin);
    expect(created.status).toBe(201);
    expect((await agent(app).get(notes).auth(member)).body).toEqual([created.body]);
    expect((await agent(app).post(notes, { text: "Hi" }).auth(member)).body.error.code).toBe("FORBIDDEN");
    expect((await agent(app).get(notes).auth(outsider)).status).toBe(404);
  });

  it("tenantauth's own routes answer under /auth", async () => {
    const acme = await givenOrganization(t);
    const res = await agent(app)
      .get("/auth/me")
      .auth(await signedIn(t, acme.owner));
    expect(res.status).toBe(200);
    expect(res.body.user.email).toBe(acme.owner.email);
  });
});
