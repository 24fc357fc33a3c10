import {
  createTestAuth,
  givenMember,
  givenOrganization,
  givenUser,
  signedIn,
  type TestAuth,
} from "@tenantauth/testing";
import { agent } from "@tenantauth/testing/hono";
import { beforeEach, describe, expect, it } from "vitest";
import { createApp } from "./app.js";

let t: TestAuth;
let app: ReturnType<typeof createApp>;

beforeEach(() => {
  t = createTestAuth(); // memory storage, a mailbox, a test clock and a fast hasher: fresh for every test
  app = createApp(t.auth);
});

describe("notes", () => {
  it("an admin writes a note and a plain member reads it", async () => {
    const acme = await givenOrganization(t, undefined, { name: "Acme" });
    const admin = await signedIn(t, await givenMember(t, acme, "Admin"));
    const member = await signedIn(t, await givenMember(t, acme, "Member"));

    const created = await agent(app).post(`/api/orgs/${acme.id}/notes`, { text: "Ship it" }).auth(admin);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ text: "Ship it", authorId: admin.user.id });

    const list = await agent(app).get(`/api/orgs/${acme.id}/notes`).auth(member);
    expect(list.body).toEqual([created.body]);
  });

  it("a plain member may not write: 403 FORBIDDEN from requirePermission", async () => {
    const acme = await givenOrganization(t);
    const member = await signedIn(t, await givenMember(t, acme));
    const res = await agent(app, { auth: member }).post(`/api/orgs/${acme.id}/notes`, { text: "Hi" });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("FORBIDDEN");
  });

  it("another tenant's owner sees nothing: 404 NOT_FOUND, not 403", async () => {
    const acme = await givenOrganization(t);
    const rival = await signedIn(t, (await givenOrganization(t)).owner);
    expect((await agent(app).get(`/api/orgs/${acme.id}/notes`).auth(rival)).status).toBe(404);
    expect((await agent(app).post(`/api/orgs/${acme.id}/notes`, { text: "x" }).auth(rival)).status).toBe(404);
  });

  it("no token or an expired one: 401", async () => {
    const acme = await givenOrganization(t);
    const owner = await signedIn(t, acme.owner);
    expect((await agent(app).get(`/api/orgs/${acme.id}/notes`)).body.error.code).toBe("UNAUTHENTICATED");
    t.clock.tick({ minutes: 16 }); // access tokens live 15 minutes
    expect((await agent(app).get(`/api/orgs/${acme.id}/notes`).auth(owner)).body.error.code).toBe("TOKEN_EXPIRED");
  });
});

describe("signing up through the app", () => {
  it("the verification mail's link lets the new user in", async () => {
    const signup = await agent(app).post("/auth/signup", {
      email: "ada@example.com",
      password: t.password,
      organization_name: "Ada's",
    });
    expect(signup.body.message).toBe("User signed up successfully");

    await t.auth.mail.idle(); // mail goes out right after the change, in the background
    const mail = t.mailbox.last("ada@example.com", "verify-email");
    expect(t.mailbox.linkIn(mail)).toMatch(/\/verify-email\?token=/);

    const signin = { email: "ada@example.com", password: t.password };
    expect((await agent(app).post("/auth/signin", signin)).body.error.code).toBe("EMAIL_NOT_VERIFIED");
    await agent(app).post("/auth/verify-email", { token: t.mailbox.tokenIn(mail) });
    expect((await agent(app).post("/auth/signin", signin)).status).toBe(200);
  });

  it("an invited user joins with the role they were invited with", async () => {
    const acme = await givenOrganization(t);
    const owner = await signedIn(t, acme.owner);
    const bob = await givenUser(t, { email: "bob@example.com" });
    const roles = await t.auth.roles.list(owner.principal, acme.id);
    const admin = roles.find((r) => r.name === "Admin");
    await agent(app)
      .post(`/auth/organizations/${acme.id}/invitations`, { email: bob.email, role_id: admin?.id })
      .auth(owner);
    await t.auth.mail.idle();
    const token = t.mailbox.tokenIn(t.mailbox.last(bob.email, "invitation"));
    const bobSession = await signedIn(t, bob);
    expect((await agent(app).post("/auth/invitations/accept", { token }).auth(bobSession)).status).toBe(200);
    expect((await agent(app).post(`/api/orgs/${acme.id}/notes`, { text: "Hi" }).auth(bobSession)).status).toBe(201);
  });
});
