import { createAuth } from "@tenantauth/core";
import { memoryStorage } from "@tenantauth/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, servers } from "./support/http-servers.js";

/**
 * The seed service's four requests, sent as its README shows them, must get its response shapes back
 * (tenantauth may add fields to /signin only).
 */
describe.each(servers)("seed service compatibility on $name", ({ start }) => {
  let server: RunningServer;
  const storage = memoryStorage();
  const post = (path: string, body: unknown, token?: string) =>
    fetch(`${server.baseUrl}/auth${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    const auth = createAuth({
      secret: "seed-compat-secret-at-least-32-bytes!",
      storage,
      platformAdmins: ["user@example.com"],
      // The seed service signed users in right after signup: its flow, unchanged, needs verification off.
      emailVerification: { required: false },
      // The seed's README signs up with the password "password", which the default blocklist refuses
      // (PASSWORD_TOO_COMMON, tested below). A host that must accept such old requests turns the blocklist off.
      password: { rejectCommon: false },
    });
    server = await start(auth);
  });
  afterAll(async () => {
    await server.close();
  });

  it("POST /signup, /signin, /organizations and GET /stats/org-role-wise-users answer with the seed's shapes", async () => {
    const signup = await post("/signup", {
      email: "user@example.com",
      password: "password",
      organization_name: "OrgName",
    });
    expect(signup.status).toBe(200);
    expect(await signup.json()).toEqual({ message: "User signed up successfully", user_id: 1, org_id: 1 });
    // A platform admin is a verified account: the operator marks the admin's address verified (as when migrating
    // the seed's users, docs/migrating-from-seed.md); the seed's requests themselves are unchanged.
    await storage.markEmailVerified(1, Date.now());

    const signin = await post("/signin", { email: "user@example.com", password: "password" });
    expect(signin.status).toBe(200);
    const tokens = (await signin.json()) as Record<string, unknown>;
    expect(tokens).toEqual(
      expect.objectContaining({ access_token: expect.any(String), refresh_token: expect.any(String) }),
    );

    const org = await post(
      "/organizations",
      { name: "Second Org", details: "Some details about the organization" },
      tokens.access_token as string,
    );
    expect(org.status).toBe(200);
    expect(await org.json()).toEqual({ message: "Organization created successfully", org_id: 2 });

    const stats = await fetch(`${server.baseUrl}/auth/stats/org-role-wise-users`, {
      headers: { Authorization: `Bearer ${tokens.access_token}` },
    });
    expect(stats.status).toBe(200);
    expect(await stats.json()).toEqual([
      { organization: "OrgName", role: "Owner", user_count: 1 },
      { organization: "Second Org", role: "Owner", user_count: 1 },
    ]);
  });

  it("with default options, refuses the seed README's password as PASSWORD_TOO_COMMON", async () => {
    const strict = await start(
      createAuth({ secret: "seed-compat-secret-at-least-32-bytes!", storage: memoryStorage() }),
    );
    try {
      const response = await fetch(`${strict.baseUrl}/auth/signup`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ email: "user@example.com", password: "password", organization_name: "OrgName" }),
      });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("PASSWORD_TOO_COMMON");
    } finally {
      await strict.close();
    }
  });
});
