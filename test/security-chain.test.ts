import { createAuth } from "@tenantauth/core";
import { memoryStorage } from "@tenantauth/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CaptureMailer, captureMailer } from "./support/capture-mailer.js";
import { manualClock } from "./support/clock.js";
import { httpClient } from "./support/http-client.js";
import { type RunningServer, servers } from "./support/http-servers.js";

const SECRET = "test-secret-that-is-at-least-32-bytes-long";
const PW = "correct horse battery staple";
const ADMIN = "root@platform.test";

/**
 * Issue 13, item 1: the attack chain "invite the platform admin's address, sign up with the invitation token,
 * become platform admin, impersonate a victim, mint an API key in the victim's organization", over HTTP. It must
 * stop at its first step, and each later defence must hold on its own.
 */
describe.each(servers)("the invitation → platform admin → impersonation chain on $name", ({ start }) => {
  let server: RunningServer;
  let http: ReturnType<typeof httpClient>;
  let mailbox: CaptureMailer;
  /** A host app that does not require email verification before sign-in. */
  let lax: RunningServer;
  let laxHttp: ReturnType<typeof httpClient>;
  let idle: () => Promise<void>;

  beforeAll(async () => {
    mailbox = captureMailer();
    const auth = createAuth({
      secret: SECRET,
      storage: memoryStorage(),
      clock: manualClock(),
      mailer: mailbox,
      platformAdmins: [ADMIN],
    });
    idle = () => auth.mail.idle();
    server = await start(auth);
    http = httpClient(server.baseUrl);
    lax = await start(
      createAuth({
        secret: SECRET,
        storage: memoryStorage(),
        clock: manualClock(),
        platformAdmins: [ADMIN],
        emailVerification: { required: false },
      }),
    );
    laxHttp = httpClient(lax.baseUrl);
  });
  afterAll(async () => {
    await Promise.all([server.close(), lax.close()]);
  });

  /** Signs up, clicks the verification link of the mail (the user reads their own mailbox) and signs in. */
  async function verifiedUser(email: string, organization: string): Promise<{ token: string; orgId: number }> {
    const signup = await http.call(`signup ${email}`, "POST", "/auth/signup", {
      json: { email, password: PW, organization_name: organization },
    });
    expect(signup.status).toBe(200);
    await idle();
    const verify = await http.call(`verify ${email}`, "POST", "/auth/verify-email", {
      json: { token: mailbox.tokenFor(email, "verify-email") },
    });
    expect(verify.status).toBe(200);
    const signin = await http.call(`signin ${email}`, "POST", "/auth/signin", { json: { email, password: PW } });
    expect(signin.status).toBe(200);
    return { token: signin.body.access_token as string, orgId: signup.body.org_id as number };
  }

  it("stops at its first step: the invitation answer carries no token, only the invitee's mail does", async () => {
    const victim = await verifiedUser("victim@example.com", "Victim Inc");
    // 1. The attacker signs up and owns an organization of their own.
    const attacker = await verifiedUser("attacker@evil.test", "Evil");
    const roles = await http.call("roles", "GET", `/auth/organizations/${attacker.orgId}/roles`, {
      token: attacker.token,
    });
    const owner = (roles.body as Array<{ id: number; name: string }>).find((r) => r.name === "Owner")!.id;
    // 2. They invite the platform admin's address, not yet registered, and look for the token in the answer.
    const invite = await http.call(
      "invite the admin address",
      "POST",
      `/auth/organizations/${attacker.orgId}/invitations`,
      {
        token: attacker.token,
        json: { email: ADMIN, role_id: owner },
      },
    );
    expect(invite.status).toBe(201);
    const resend = await http.call(
      "resend",
      "POST",
      `/auth/organizations/${attacker.orgId}/invitations/${invite.body.invitation.id}/resend`,
      { token: attacker.token },
    );
    expect(resend.status).toBe(200);
    await idle();
    const mailed = mailbox.all(ADMIN, "invitation").map((mail) => mailbox.tokenIn(mail));
    expect(mailed).toHaveLength(2);
    for (const answer of [invite, resend]) {
      expect(answer.body).not.toHaveProperty("token");
      expect(Object.keys(answer.body)).toEqual(["invitation"]);
      for (const token of mailed) expect(answer.text).not.toContain(token);
    }
    // Without a token the attacker cannot go on: a guessed one is refused, and the admin address has no account.
    const guessed = await http.call("signup with a guessed token", "POST", "/auth/signup", {
      json: { email: ADMIN, password: PW, invitation_token: "A".repeat(43) },
    });
    expect(guessed.body.error.code).toBe("INVITATION_NOT_FOUND");
    // The victim is untouched: still no API key in their organization.
    const keys = await http.call("victim's keys", "GET", `/auth/organizations/${victim.orgId}/api-keys`, {
      token: victim.token,
    });
    expect(keys.body).toEqual([]);
  });

  it("even signed in as the admin address, an unverified account is no platform admin", async () => {
    // A host without required verification lets anyone sign up and sign in as any address.
    await laxHttp.call("signup as the admin address", "POST", "/auth/signup", { json: { email: ADMIN, password: PW } });
    const signin = await laxHttp.call("signin", "POST", "/auth/signin", { json: { email: ADMIN, password: PW } });
    expect(signin.status).toBe(200);
    const token = signin.body.access_token as string;
    for (const path of ["/auth/admin/users", "/auth/admin/organizations", "/auth/stats/org-role-wise-users"]) {
      const r = await laxHttp.call(`admin ${path}`, "GET", path, { token });
      expect({ path, status: r.status, code: r.body.error?.code }).toEqual({ path, status: 403, code: "FORBIDDEN" });
    }
    const impersonate = await laxHttp.call("impersonate", "POST", "/auth/admin/users/1/impersonate", { token });
    expect(impersonate.body.error.code).toBe("FORBIDDEN");
  });

  it("a real platform admin's impersonation token can neither mint an API key nor enrol TOTP nor invite", async () => {
    const victim = await verifiedUser("victim2@example.com", "Victim Two");
    // The admin address signs up for real and verifies it from its own mailbox.
    const root = await verifiedUser(ADMIN, "Platform");
    const users = await http.call("admin lists users", "GET", "/auth/admin/users?query=victim2", { token: root.token });
    expect(users.status).toBe(200);
    const victimId = users.body.users[0].id as number;
    const issued = await http.call("impersonate", "POST", `/auth/admin/users/${victimId}/impersonate`, {
      token: root.token,
    });
    expect(issued.status).toBe(200);
    const acting = issued.body.access_token as string;
    // Ordinary reading works as the victim.
    expect((await http.call("me", "GET", "/auth/me", { token: acting })).status).toBe(200);
    const roles = await http.call("roles", "GET", `/auth/organizations/${victim.orgId}/roles`, { token: acting });
    expect(roles.status).toBe(200);
    const owner = (roles.body as Array<{ id: number; name: string }>).find((r) => r.name === "Owner")!.id;
    const refused: Array<[string, string, unknown?]> = [
      ["POST", `/auth/organizations/${victim.orgId}/api-keys`, { name: "backdoor", permissions: ["stats:read"] }],
      ["POST", "/auth/two-factor/enroll"],
      ["POST", `/auth/organizations/${victim.orgId}/invitations`, { email: "attacker@evil.test", role_id: owner }],
      ["POST", "/auth/signout-all"],
    ];
    for (const [method, path, json] of refused) {
      const r = await http.call(`impersonated ${path}`, method, path, { token: acting, json });
      expect({ path, status: r.status, code: r.body.error?.code }).toEqual({
        path,
        status: 403,
        code: "IMPERSONATION_NOT_ALLOWED",
      });
    }
    // Nor does it carry the admin's power.
    const admin = await http.call("impersonated admin", "GET", "/auth/admin/users", { token: acting });
    expect(admin.body.error.code).toBe("FORBIDDEN");
    const keys = await http.call("victim's keys", "GET", `/auth/organizations/${victim.orgId}/api-keys`, {
      token: victim.token,
    });
    expect(keys.body).toEqual([]);
    expect(mailbox.all("attacker@evil.test", "invitation")).toEqual([]);
  });
});
