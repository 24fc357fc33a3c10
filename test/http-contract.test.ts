import { type Auth, createAuth, routes, type StorageAdapter, USER_STATUS } from "@tenantauth/core";
import { memoryStorage } from "@tenantauth/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CaptureMailer, captureMailer } from "./support/capture-mailer.js";
import { manualClock } from "./support/clock.js";
import { type Exchange, httpClient } from "./support/http-client.js";
import { type RunningServer, servers } from "./support/http-servers.js";
import { totpAt, wrongTotpAt } from "./support/otp.js";

const SECRET = "test-secret-that-is-at-least-32-bytes-long";
const PW = "correct horse battery staple";
const transcripts = new Map<string, Exchange[]>();

describe.each(servers)("HTTP contract on $name", ({ name, start }) => {
  let server: RunningServer;
  let storage: StorageAdapter;
  let http: ReturnType<typeof httpClient>;
  const clock = manualClock();
  /** A second host app with email verification required, short-lived links and a mailbox. */
  let strict: RunningServer;
  let strictHttp: ReturnType<typeof httpClient>;
  let strictAuth: Auth;
  const mailer = captureMailer();
  const strictClock = manualClock();
  /** A third host app with every limit at 1. */
  let limited: RunningServer;
  let limitedHttp: ReturnType<typeof httpClient>;
  const limitedStorage = memoryStorage();
  const limitedClock = manualClock();
  /** The mailboxes of the first and third apps: invitation tokens leave only by mail, so tests read them there. */
  const mainMail = captureMailer();
  const limitedMail = captureMailer();
  let mainAuth: Auth;
  let limitedAuth: Auth;
  /** The token of the newest invitation mail to `email`, once delivery has finished. */
  const invitationToken = async (auth: Auth, mailbox: CaptureMailer, email: string): Promise<string> => {
    await auth.mail.idle();
    return mailbox.tokenFor(email, "invitation");
  };

  beforeAll(async () => {
    storage = memoryStorage();
    const auth = createAuth({
      secret: SECRET,
      storage,
      clock,
      mailer: mainMail,
      platformAdmins: ["root@platform.test"],
      invitations: { ttlSeconds: 3600 },
      // Outlives the invitation expiry the script jumps over, so one sign-in per user lasts the whole script.
      accessToken: { ttlSeconds: 7200 },
      // Verification itself is covered below through /verify-email; most steps sign in right after signup.
      emailVerification: { required: false },
    });
    mainAuth = auth;
    server = await start(auth);
    http = httpClient(server.baseUrl);
    strictAuth = createAuth({
      secret: SECRET,
      storage: memoryStorage(),
      clock: strictClock,
      mailer,
      emailVerification: { ttlSeconds: 60 },
      passwordReset: { ttlSeconds: 60 },
    });
    strict = await start(strictAuth);
    strictHttp = httpClient(strict.baseUrl);
    limitedAuth = createAuth({
      secret: SECRET,
      storage: limitedStorage,
      clock: limitedClock,
      mailer: limitedMail,
      emailVerification: { required: false },
      organizationLimit: 1,
      membershipLimit: () => 2,
      invitationLimit: 1,
    });
    limited = await start(limitedAuth);
    limitedHttp = httpClient(limited.baseUrl);
  });
  afterAll(async () => {
    transcripts.set(name, [...http.transcript, ...strictHttp.transcript, ...limitedHttp.transcript]);
    await Promise.all([server.close(), strict.close(), limited.close()]);
  });

  /** Asserts an error answer: status and body `{ error: { code, message } }`. */
  async function fails(step: string, method: string, path: string, code: string, status: number, options = {}) {
    const r = await http.call(step, method, path, options);
    expect({ step, status: r.status, code: r.body?.error?.code }).toEqual({ step, status, code });
    expect(typeof r.body.error.message).toBe("string");
    expect(r.text).not.toMatch(/at .*\.(ts|js):\d+|SELECT|sqlite|TypeError/);
    return r;
  }
  const signin = async (email: string) =>
    (await http.call(`signin ${email}`, "POST", "/auth/signin", { json: { email, password: PW } })).body
      .access_token as string;

  it("runs every route: success, documented errors, missing and invalid auth, missing permission", async () => {
    // --- accounts (seed routes, body for body) ---
    const signup = await http.call("signup", "POST", "/auth/signup", {
      json: { email: "ada@example.com", password: PW, organization_name: "Acme" },
    });
    expect(signup.status).toBe(200);
    expect(signup.body).toEqual({ message: "User signed up successfully", user_id: 1, org_id: 1 });
    await fails("email taken", "POST", "/auth/signup", "EMAIL_TAKEN", 409, {
      json: { email: "ADA@example.com", password: PW, organization_name: "Other" },
    });
    await fails("common password", "POST", "/auth/signup", "PASSWORD_TOO_COMMON", 400, {
      json: { email: "common@example.com", password: "Password1" },
    });
    await fails("org taken", "POST", "/auth/signup", "ORG_NAME_TAKEN", 409, {
      json: { email: "x@example.com", password: PW, organization_name: "Acme" },
    });
    const bad = await fails("bad email", "POST", "/auth/signup", "INVALID_INPUT", 400, {
      json: { email: "nope", password: "short" },
    });
    expect(bad.body.error.details.issues.map((i: { path: string }) => i.path)).toEqual(["email", "password"]);
    await fails("unknown field", "POST", "/auth/signup", "INVALID_INPUT", 400, {
      json: { email: "a@example.com", password: PW, admin: true },
    });
    await fails("wrong types", "POST", "/auth/signup", "INVALID_INPUT", 400, { json: { email: 5, password: [] } });
    await fails("json array", "POST", "/auth/signup", "INVALID_INPUT", 400, { json: [1, 2] });
    await fails("malformed json", "POST", "/auth/signup", "MALFORMED_JSON", 400, {
      raw: { body: '{"email": ', type: "application/json" },
    });
    await fails("text body", "POST", "/auth/signup", "UNSUPPORTED_MEDIA_TYPE", 415, {
      raw: { body: "email=a", type: "application/x-www-form-urlencoded" },
    });
    await fails("no body", "POST", "/auth/signup", "INVALID_INPUT", 400);
    await fails("huge body", "POST", "/auth/signup", "PAYLOAD_TOO_LARGE", 413, {
      json: { email: "a@example.com", password: PW, profile: { blob: "x".repeat(70_000) } },
    });
    await fails("unknown invitation", "POST", "/auth/signup", "INVITATION_NOT_FOUND", 404, {
      json: { email: "n@example.com", password: PW, invitation_token: "no-such-token" },
    });

    const first = await http.call("signin", "POST", "/auth/signin", {
      json: { email: "ada@example.com", password: PW },
    });
    expect(first.status).toBe(200);
    expect(Object.keys(first.body)).toEqual(["access_token", "refresh_token", "token_type", "expires_in", "user"]);
    expect(first.body).toMatchObject({
      token_type: "Bearer",
      expires_in: 7200,
      user: { id: 1, email: "ada@example.com" },
    });
    const wrong = await fails("wrong password", "POST", "/auth/signin", "INVALID_CREDENTIALS", 401, {
      json: { email: "ada@example.com", password: "wrong password" },
    });
    const unknown = await fails("unknown email", "POST", "/auth/signin", "INVALID_CREDENTIALS", 401, {
      json: { email: "nobody@example.com", password: "wrong password" },
    });
    expect(unknown.text).toBe(wrong.text);

    const rotated = await http.call("refresh", "POST", "/auth/refresh", {
      json: { refresh_token: first.body.refresh_token },
    });
    expect(rotated.status).toBe(200);
    expect(Object.keys(rotated.body)).toEqual(["access_token", "refresh_token", "token_type", "expires_in"]);
    clock.advance(5_001); // past the refresh reuse grace: a replay now is reuse
    await fails("refresh reuse", "POST", "/auth/refresh", "REFRESH_TOKEN_REUSED", 401, {
      json: { refresh_token: first.body.refresh_token },
    });
    await fails("refresh unknown", "POST", "/auth/refresh", "INVALID_REFRESH_TOKEN", 401, {
      json: { refresh_token: "garbage" },
    });

    const ada = await signin("ada@example.com");
    await fails("me without auth", "GET", "/auth/me", "UNAUTHENTICATED", 401);
    await fails("me bad token", "GET", "/auth/me", "INVALID_TOKEN", 401, { token: "garbage" });
    await fails("me basic auth", "GET", "/auth/me", "INVALID_TOKEN", 401, { headers: { authorization: "Basic YTpi" } });
    const me = await http.call("me", "GET", "/auth/me", { token: ada });
    expect(me.status).toBe(200);
    expect(me.body.user.email).toBe("ada@example.com");
    expect(me.body.organizations[0].role.name).toBe("Owner");

    // --- organizations ---
    const created = await http.call("create org", "POST", "/auth/organizations", {
      token: ada,
      json: { name: "Widgets", details: "Some details" },
    });
    expect(created.body).toEqual({ message: "Organization created successfully", org_id: 2 });
    await fails("org name taken", "POST", "/auth/organizations", "ORG_NAME_TAKEN", 409, {
      token: ada,
      json: { name: "Widgets" },
    });
    expect((await http.call("list orgs", "GET", "/auth/organizations", { token: ada })).body).toHaveLength(2);
    expect((await http.call("get org", "GET", "/auth/organizations/1", { token: ada })).body.organization.name).toBe(
      "Acme",
    );
    await fails("bad org id", "GET", "/auth/organizations/abc", "INVALID_INPUT", 400, { token: ada });

    const roles = (await http.call("list roles", "GET", "/auth/organizations/1/roles", { token: ada })).body as Array<{
      id: number;
      name: string;
    }>;
    const roleId = (n: string) => roles.find((r) => r.name === n)!.id;
    /** Invites `email`; the answer has no token, the invitee's mail has (read from the mailbox as `token`). */
    const invite = async (email: string, role = "Member") => {
      const answer = await http.call(`invite ${email}`, "POST", "/auth/organizations/1/invitations", {
        token: ada,
        json: { email, role_id: roleId(role) },
      });
      expect(answer.body).not.toHaveProperty("token");
      return { ...answer, token: answer.status === 201 ? await invitationToken(mainAuth, mainMail, email) : "" };
    };

    const bobInvite = await invite("bob@example.com");
    expect(bobInvite.status).toBe(201);
    expect(bobInvite.body.invitation).toMatchObject({ email: "bob@example.com", status: "pending", org_id: 1 });
    const bobJoined = await http.call("signup bob", "POST", "/auth/signup", {
      json: { email: "bob@example.com", password: PW, invitation_token: bobInvite.token },
    });
    expect(bobJoined.body).toMatchObject({ org_id: 1 });
    const bob = await signin("bob@example.com");
    await http.call("signup eve", "POST", "/auth/signup", {
      json: { email: "eve@example.com", password: PW, organization_name: "Evil" },
    });
    const eve = await signin("eve@example.com");
    const carolInvite = await invite("carol@example.com");
    const inv = carolInvite.body.invitation.id as number;

    // --- every organization-scoped route: outsider → 404, member without permission → 403 ---
    const scoped: Array<[string, string, unknown?, boolean?]> = [
      ["GET", "/auth/organizations/1", undefined, true],
      ["PATCH", "/auth/organizations/1", { details: "x" }],
      ["DELETE", "/auth/organizations/1"],
      ["POST", "/auth/organizations/1/transfer-ownership", { user_id: 2 }],
      ["GET", "/auth/organizations/1/members", undefined, true],
      ["PATCH", "/auth/organizations/1/members/1", { role_id: roleId("Member") }],
      ["DELETE", "/auth/organizations/1/members/1"],
      ["GET", "/auth/organizations/1/roles", undefined, true],
      ["POST", "/auth/organizations/1/roles", { name: "X", permissions: [] }],
      ["PATCH", "/auth/organizations/1/roles/1", { name: "Y" }],
      ["DELETE", "/auth/organizations/1/roles/1"],
      ["POST", "/auth/organizations/1/invitations", { email: "z@example.com", role_id: roleId("Member") }],
      ["GET", "/auth/organizations/1/invitations"],
      ["DELETE", `/auth/organizations/1/invitations/${inv}`],
      ["POST", `/auth/organizations/1/invitations/${inv}/resend`],
      ["GET", "/auth/organizations/1/stats"],
      ["GET", "/auth/organizations/1/audit-events"],
    ];
    for (const [method, path, json, membersMay] of scoped) {
      await fails(`outsider ${method} ${path}`, method, path, "NOT_FOUND", 404, { token: eve, json });
      if (!membersMay) await fails(`member ${method} ${path}`, method, path, "FORBIDDEN", 403, { token: bob, json });
    }
    await fails("outsider leave", "POST", "/auth/organizations/1/leave", "NOT_FOUND", 404, { token: eve });
    for (const path of [
      "/auth/stats/org-role-wise-users",
      "/auth/stats/users-by-status",
      "/auth/stats/signups-per-day?from=2030-01-01&to=2030-01-02",
    ]) {
      await fails(`not admin ${path}`, "GET", path, "FORBIDDEN", 403, { token: ada });
    }

    // --- successes and their specific errors ---
    expect(
      (await http.call("update org", "PATCH", "/auth/organizations/1", { token: ada, json: { details: "Rockets" } }))
        .body,
    ).toMatchObject({ details: "Rockets" });
    await fails("rename to taken", "PATCH", "/auth/organizations/1", "ORG_NAME_TAKEN", 409, {
      token: ada,
      json: { name: "Evil" },
    });
    const billing = await http.call("create role", "POST", "/auth/organizations/1/roles", {
      token: ada,
      json: { name: "Billing", permissions: ["stats:read"] },
    });
    expect(billing.status).toBe(201);
    await fails("role taken", "POST", "/auth/organizations/1/roles", "ROLE_NAME_TAKEN", 409, {
      token: ada,
      json: { name: "Billing", permissions: [] },
    });
    const other = await http.call("create role 2", "POST", "/auth/organizations/1/roles", {
      token: ada,
      json: { name: "Other", permissions: [] },
    });
    await fails(
      "rename role to taken",
      "PATCH",
      `/auth/organizations/1/roles/${other.body.id}`,
      "ROLE_NAME_TAKEN",
      409,
      {
        token: ada,
        json: { name: "Billing" },
      },
    );
    expect(
      (
        await http.call("update role", "PATCH", `/auth/organizations/1/roles/${other.body.id}`, {
          token: ada,
          json: { description: "d" },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await http.call("bob to billing", "PATCH", "/auth/organizations/1/members/2", {
          token: ada,
          json: { role_id: billing.body.id },
        })
      ).status,
    ).toBe(204);
    await fails("role in use", "DELETE", `/auth/organizations/1/roles/${billing.body.id}`, "ROLE_IN_USE", 409, {
      token: ada,
    });
    expect(
      (
        await http.call(
          "delete role",
          "DELETE",
          `/auth/organizations/1/roles/${billing.body.id}?replacement_role_id=${roleId("Member")}`,
          { token: ada },
        )
      ).status,
    ).toBe(204);
    await fails("no such role", "PATCH", `/auth/organizations/1/roles/${billing.body.id}`, "NOT_FOUND", 404, {
      token: ada,
      json: { name: "Z" },
    });
    const members = await http.call("list members", "GET", "/auth/organizations/1/members?limit=1", { token: ada });
    expect(members.body.items).toHaveLength(1);
    expect(members.body.next_cursor).toEqual(expect.any(String));
    await fails("demote last owner", "PATCH", "/auth/organizations/1/members/1", "LAST_OWNER", 409, {
      token: ada,
      json: { role_id: roleId("Member") },
    });
    await fails("remove last owner", "DELETE", "/auth/organizations/1/members/1", "LAST_OWNER", 409, { token: ada });
    await fails("last owner leaves", "POST", "/auth/organizations/1/leave", "LAST_OWNER", 409, { token: ada });
    await fails("remove non-member", "DELETE", "/auth/organizations/1/members/3", "NOT_FOUND", 404, { token: ada });
    await fails("transfer to non-member", "POST", "/auth/organizations/1/transfer-ownership", "NOT_FOUND", 404, {
      token: ada,
      json: { user_id: 3 },
    });

    expect(
      (await http.call("list invitations", "GET", "/auth/organizations/1/invitations", { token: ada })).body,
    ).toHaveLength(1);
    expect(
      (await http.call("resend", "POST", `/auth/organizations/1/invitations/${inv}/resend`, { token: ada })).status,
    ).toBe(200);
    expect(
      (await http.call("revoke", "DELETE", `/auth/organizations/1/invitations/${inv}`, { token: ada })).status,
    ).toBe(204);
    await fails("revoke again", "DELETE", `/auth/organizations/1/invitations/${inv}`, "INVITATION_NOT_FOUND", 404, {
      token: ada,
    });
    await fails(
      "resend revoked",
      "POST",
      `/auth/organizations/1/invitations/${inv}/resend`,
      "INVITATION_NOT_FOUND",
      404,
      { token: ada },
    );
    await fails("invite member", "POST", "/auth/organizations/1/invitations", "ALREADY_MEMBER", 409, {
      token: ada,
      json: { email: "bob@example.com", role_id: roleId("Member") },
    });

    // Invitation outcomes, at signup and at accept.
    const revoked = await invite("rex@example.com");
    await http.call("revoke rex", "DELETE", `/auth/organizations/1/invitations/${revoked.body.invitation.id}`, {
      token: ada,
    });
    await fails("signup revoked", "POST", "/auth/signup", "INVITATION_REVOKED", 410, {
      json: { email: "rex@example.com", password: PW, invitation_token: revoked.token },
    });
    const frankExpired = await invite("frank@example.com");
    const graceInvite = await invite("grace@example.com");
    const expiring = await invite("exp@example.com");
    clock.advance(3_600_000);
    await fails("signup expired", "POST", "/auth/signup", "INVITATION_EXPIRED", 410, {
      json: { email: "exp@example.com", password: PW, invitation_token: expiring.token },
    });
    await http.call("signup frank", "POST", "/auth/signup", {
      json: { email: "frank@example.com", password: PW, organization_name: "Franks" },
    });
    const frank = await signin("frank@example.com");
    await fails("accept unverified", "POST", "/auth/invitations/accept", "EMAIL_NOT_VERIFIED", 403, {
      token: frank,
      json: { token: frankExpired.token },
    });
    const frankId = (await storage.findUserByEmail("frank@example.com"))!.id;
    await storage.markEmailVerified(frankId, clock.now());
    await fails("accept mismatch", "POST", "/auth/invitations/accept", "INVITATION_EMAIL_MISMATCH", 403, {
      token: frank,
      json: { token: graceInvite.token },
    });
    await fails("accept unknown", "POST", "/auth/invitations/accept", "INVITATION_NOT_FOUND", 404, {
      token: frank,
      json: { token: "nope" },
    });
    await fails("accept expired", "POST", "/auth/invitations/accept", "INVITATION_EXPIRED", 410, {
      token: frank,
      json: { token: frankExpired.token },
    });
    await http.call(
      "revoke frank's",
      "DELETE",
      `/auth/organizations/1/invitations/${frankExpired.body.invitation.id}`,
      {
        token: ada,
      },
    );
    await fails("accept revoked", "POST", "/auth/invitations/accept", "INVITATION_REVOKED", 410, {
      token: frank,
      json: { token: frankExpired.token },
    });
    const frankInvite2 = await invite("frank@example.com");
    const accepted = await http.call("accept", "POST", "/auth/invitations/accept", {
      token: frank,
      json: { token: frankInvite2.token },
    });
    expect(accepted.body).toEqual({ org_id: 1, role_id: roleId("Member") });
    await fails("accept used", "POST", "/auth/invitations/accept", "INVITATION_USED", 409, {
      token: frank,
      json: { token: frankInvite2.token },
    });
    await fails("signup used", "POST", "/auth/signup", "INVITATION_USED", 409, {
      json: { email: "frank@example.com", password: PW, invitation_token: frankInvite2.token },
    });

    expect(
      (await http.call("remove frank", "DELETE", `/auth/organizations/1/members/${frankId}`, { token: ada })).status,
    ).toBe(204);
    expect((await http.call("bob leaves", "POST", "/auth/organizations/1/leave", { token: bob })).status).toBe(204);
    await http.call("re-invite bob", "POST", "/auth/organizations/1/invitations", {
      token: ada,
      json: { email: "bob@example.com", role_id: roleId("Admin") },
    });

    // --- statistics ---
    const rootSignup = await http.call("signup root", "POST", "/auth/signup", {
      json: { email: "root@platform.test", password: PW },
    });
    const root = await signin("root@platform.test");
    // A platform admin is a verified account: listed but unverified is no admin. Then the verification link's
    // effect: the same access token is an admin's, since the check reads the stored user.
    await fails("unverified admin", "GET", "/auth/stats/org-role-wise-users", "FORBIDDEN", 403, { token: root });
    await storage.markEmailVerified(rootSignup.body.user_id, clock.now());
    const seed = await http.call("seed stats", "GET", "/auth/stats/org-role-wise-users", { token: root });
    expect(seed.status).toBe(200);
    expect(seed.body[0]).toEqual({ organization: "Acme", role: "Owner", user_count: 1 });
    expect((await http.call("users by status", "GET", "/auth/stats/users-by-status", { token: root })).body).toEqual([
      { status: "active", count: 5 },
    ]);
    const perDay = await http.call(
      "signups per day",
      "GET",
      "/auth/stats/signups-per-day?from=2030-01-01&to=2030-01-02",
      { token: root },
    );
    expect(perDay.body).toEqual([
      { date: "2030-01-01", count: 5 },
      { date: "2030-01-02", count: 0 },
    ]);
    await fails("bad range", "GET", "/auth/stats/signups-per-day?from=x&to=y", "INVALID_INPUT", 400, { token: root });
    expect((await http.call("org stats", "GET", "/auth/organizations/1/stats", { token: ada })).body).toMatchObject({
      pending_invitations: 1,
    });

    // --- platform admin ---
    const listed = await http.call("admin list users", "GET", "/auth/admin/users?query=EXAMPLE.com&limit=2", {
      token: root,
    });
    expect(listed.status).toBe(200);
    expect(listed.body.users).toHaveLength(2);
    expect(listed.body.total).toBeGreaterThan(2);
    expect(typeof listed.body.next_cursor).toBe("string");
    await fails("admin list users, not admin", "GET", "/auth/admin/users", "FORBIDDEN", 403, { token: ada });
    await fails("admin list users, bad status", "GET", "/auth/admin/users?status=gone", "INVALID_INPUT", 400, {
      token: root,
    });
    const bobId = (await storage.findUserByEmail("bob@example.com"))!.id;
    const rootId = (await storage.findUserByEmail("root@platform.test"))!.id;
    const imp = await http.call("impersonate", "POST", `/auth/admin/users/${bobId}/impersonate`, { token: root });
    expect(imp.body).toMatchObject({ token_type: "Bearer", expires_in: 3600 });
    expect((await http.call("me as bob", "GET", "/auth/me", { token: imp.body.access_token })).body.user.id).toBe(
      bobId,
    );
    await fails("impersonate admin", "POST", `/auth/admin/users/${rootId}/impersonate`, "FORBIDDEN", 403, {
      token: root,
    });
    // An impersonation token acts as the user in ordinary ways, but cannot take over the account or leave a
    // credential behind (and carries no admin power).
    const adaId = (await storage.findUserByEmail("ada@example.com"))!.id;
    const asAda = (
      await http.call("impersonate ada", "POST", `/auth/admin/users/${adaId}/impersonate`, { token: root })
    ).body.access_token as string;
    expect((await http.call("ada's org as ada", "GET", "/auth/organizations/1", { token: asAda })).status).toBe(200);
    await fails("impersonated admin route", "GET", "/auth/admin/users", "FORBIDDEN", 403, { token: asAda });
    const refusedToImpersonation: Array<[string, string, unknown?]> = [
      ["POST", "/auth/organizations/1/api-keys", { name: "backdoor", permissions: ["stats:read"] }],
      ["POST", "/auth/organizations/1/api-keys/aaaaaaaaaaaaaaaa/rotate"],
      ["POST", "/auth/two-factor/enroll"],
      ["POST", "/auth/two-factor/confirm", { code: "123456" }],
      ["POST", "/auth/two-factor/disable", { password: PW }],
      ["POST", "/auth/password/change", { current_password: PW, new_password: "a brand new passphrase" }],
      ["POST", "/auth/organizations/1/invitations", { email: "mallory@example.com", role_id: roleId("Owner") }],
      ["POST", `/auth/organizations/1/invitations/${inv}/resend`],
      ["POST", "/auth/organizations/1/transfer-ownership", { user_id: bobId }],
      ["DELETE", "/auth/organizations/1"],
      ["POST", "/auth/signout-all"],
      ["POST", "/auth/sessions/revoke-others"],
    ];
    for (const [method, path, json] of refusedToImpersonation) {
      await fails(`impersonated ${method} ${path}`, method, path, "IMPERSONATION_NOT_ALLOWED", 403, {
        token: asAda,
        json,
      });
    }
    await fails("impersonate unknown", "POST", "/auth/admin/users/999999/impersonate", "NOT_FOUND", 404, {
      token: root,
    });
    const bobSession = await http.call("bob signin", "POST", "/auth/signin", {
      json: { email: "bob@example.com", password: PW },
    });
    const disabled = await http.call("disable", "POST", `/auth/admin/users/${bobId}/disable`, { token: root });
    expect(disabled.body).toMatchObject({ id: bobId, status: "disabled" });
    await fails("refresh disabled", "POST", "/auth/refresh", "INVALID_REFRESH_TOKEN", 401, {
      json: { refresh_token: bobSession.body.refresh_token },
    });
    await fails("impersonate disabled", "POST", `/auth/admin/users/${bobId}/impersonate`, "USER_DISABLED", 403, {
      token: root,
    });
    await fails("disable unknown", "POST", "/auth/admin/users/999999/disable", "NOT_FOUND", 404, { token: root });
    await fails("disable, not admin", "POST", `/auth/admin/users/${bobId}/disable`, "FORBIDDEN", 403, { token: ada });
    const enabled = await http.call("enable", "POST", `/auth/admin/users/${bobId}/enable`, { token: root });
    expect(enabled.body).toMatchObject({ id: bobId, status: "active" });
    await fails("enable unknown", "POST", "/auth/admin/users/999999/enable", "NOT_FOUND", 404, { token: root });
    await fails("enable, not admin", "POST", `/auth/admin/users/${bobId}/enable`, "FORBIDDEN", 403, { token: ada });
    const orgs = await http.call("admin list orgs", "GET", "/auth/admin/organizations?query=acme", { token: root });
    expect(orgs.body.organizations[0]).toMatchObject({ organization: { id: 1, name: "Acme" } });
    expect(orgs.body.organizations[0].member_count).toBe(await storage.countMembers(1));
    await fails("admin list orgs, not admin", "GET", "/auth/admin/organizations", "FORBIDDEN", 403, { token: ada });

    // --- active organization ---
    const adaSession = await http.call("ada signin to switch", "POST", "/auth/signin", {
      json: { email: "ada@example.com", password: PW },
    });
    const switched = await http.call("switch organization", "POST", "/auth/switch-organization", {
      json: { refresh_token: adaSession.body.refresh_token, org_id: 1 },
    });
    expect(switched.status).toBe(200);
    expect(Object.keys(switched.body)).toEqual(["access_token", "refresh_token", "token_type", "expires_in"]);
    await fails("switch to a foreign org", "POST", "/auth/switch-organization", "NOT_FOUND", 404, {
      json: { refresh_token: switched.body.refresh_token, org_id: 999999 },
    });
    await fails("switch with a spent token", "POST", "/auth/switch-organization", "REFRESH_TOKEN_REUSED", 401, {
      json: { refresh_token: adaSession.body.refresh_token, org_id: 1 },
    });
    await fails("switch with an unknown token", "POST", "/auth/switch-organization", "INVALID_REFRESH_TOKEN", 401, {
      json: { refresh_token: "garbage", org_id: 1 },
    });

    // --- ownership, deletion, sessions ---
    await http.call("signup gus", "POST", "/auth/signup", {
      json: { email: "gus@example.com", password: PW, organization_name: "Gus" },
    });
    const gusInvite = await invite("gus@example.com", "Admin");
    const gusId = (await storage.findUserByEmail("gus@example.com"))!.id;
    await storage.markEmailVerified(gusId, clock.now());
    const gus = await signin("gus@example.com");
    await http.call("gus accepts", "POST", "/auth/invitations/accept", {
      token: gus,
      json: { token: gusInvite.token },
    });
    expect(
      (
        await http.call("transfer", "POST", "/auth/organizations/1/transfer-ownership", {
          token: ada,
          json: { user_id: gusId },
        })
      ).status,
    ).toBe(204);
    await fails("admin deletes", "DELETE", "/auth/organizations/1", "FORBIDDEN", 403, { token: ada });
    const solo = await http.call("signup solo", "POST", "/auth/signup", {
      json: { email: "solo@example.com", password: PW },
    });
    await fails(
      "delete personal",
      "DELETE",
      `/auth/organizations/${solo.body.org_id}`,
      "PERSONAL_ORG_UNDELETABLE",
      409,
      { token: await signin("solo@example.com") },
    );
    // --- audit events: the organization's (audit:read) and the caller's own, with cursor paging ---
    const events = await http.call("org audit events", "GET", "/auth/organizations/1/audit-events?limit=2", {
      token: ada,
    });
    expect(events.status).toBe(200);
    expect(events.body.items).toHaveLength(2);
    expect(events.body.items[0]).toMatchObject({ org_id: 1, type: expect.stringMatching(/^[a-z_]+\.[a-z_]+$/) });
    expect(Object.keys(events.body.items[0])).toEqual([
      "id",
      "type",
      "at",
      "actor_user_id",
      "org_id",
      "target_user_id",
      "ip",
      "user_agent",
      "data",
    ]);
    const olderEvents = await http.call(
      "org audit events page 2",
      "GET",
      `/auth/organizations/1/audit-events?limit=2&cursor=${events.body.next_cursor}`,
      { token: ada },
    );
    expect(olderEvents.body.items[0].id).toBeLessThan(events.body.items[1].id);
    await fails("audit bad cursor", "GET", "/auth/organizations/1/audit-events?cursor=%21%21", "INVALID_INPUT", 400, {
      token: ada,
    });
    // Bob's first token was refused once he was disabled (above): he signs in anew.
    const bobAgain = await signin("bob@example.com");
    const mine = await http.call("my audit events", "GET", "/auth/me/audit-events", { token: bobAgain });
    expect(mine.status).toBe(200);
    expect(mine.body.items.length).toBeGreaterThan(0);
    for (const e of mine.body.items) expect([e.actor_user_id, e.target_user_id]).toContain(2);
    expect(mine.body.items.find((e: { type: string }) => e.type === "signin.success")).toMatchObject({
      ip: "127.0.0.1",
      user_agent: expect.any(String),
    });

    // --- sessions: list (device, ip, last use), revoke one, revoke all others ---
    const bobCreds = { email: "bob@example.com", password: PW };
    clock.advance(1000);
    await http.call("signin bob phone", "POST", "/auth/signin", {
      json: bobCreds,
      headers: {
        "user-agent":
          "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
      },
    });
    clock.advance(1000);
    const laptop = await http.call("signin bob laptop", "POST", "/auth/signin", {
      json: bobCreds,
      headers: { "user-agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0.0.0 Safari/537.36" },
    });
    const bobLaptop = laptop.body.access_token as string;
    const sessions = await http.call("list sessions", "GET", "/auth/sessions", { token: bobLaptop });
    expect(sessions.status).toBe(200);
    expect(sessions.body.slice(0, 2)).toMatchObject([
      { device: "Chrome on Linux", ip: "127.0.0.1", current: true, last_used_at: clock.now() },
      { device: "Safari on iOS", ip: "127.0.0.1", current: false, last_used_at: clock.now() - 1000 },
    ]);
    const phoneId = sessions.body[1].id as string;
    await fails("revoke session of another user", "DELETE", `/auth/sessions/${phoneId}`, "NOT_FOUND", 404, {
      token: ada,
    });
    expect(
      (await http.call("revoke session", "DELETE", `/auth/sessions/${phoneId}`, { token: bobLaptop })).status,
    ).toBe(204);
    await fails("revoke session again", "DELETE", `/auth/sessions/${phoneId}`, "NOT_FOUND", 404, { token: bobLaptop });
    const left = (await http.call("list sessions after revoke", "GET", "/auth/sessions", { token: bobLaptop })).body;
    expect(left.map((x: { id: string }) => x.id)).not.toContain(phoneId);
    const others = await http.call("revoke other sessions", "POST", "/auth/sessions/revoke-others", {
      token: bobLaptop,
    });
    expect(others.body).toEqual({ revoked: left.length - 1 });
    expect(
      (await http.call("list sessions after revoke-others", "GET", "/auth/sessions", { token: bobLaptop })).body,
    ).toMatchObject([{ device: "Chrome on Linux", current: true }]);

    expect((await http.call("delete org", "DELETE", "/auth/organizations/1", { token: gus })).status).toBe(204);
    await fails("deleted org", "GET", "/auth/organizations/1", "NOT_FOUND", 404, { token: gus });

    const session = await http.call("signin for signout", "POST", "/auth/signin", {
      json: { email: "eve@example.com", password: PW },
    });
    expect(
      (await http.call("signout", "POST", "/auth/signout", { json: { refresh_token: session.body.refresh_token } }))
        .status,
    ).toBe(204);
    await fails("refresh after signout", "POST", "/auth/refresh", "INVALID_REFRESH_TOKEN", 401, {
      json: { refresh_token: session.body.refresh_token },
    });
    expect((await http.call("signout all", "POST", "/auth/signout-all", { token: eve })).body).toEqual({ revoked: 1 });
    await storage.updateUserStatus(
      (await storage.findUserByEmail("eve@example.com"))!.id,
      USER_STATUS.disabled,
      clock.now(),
    );
    await fails("disabled", "POST", "/auth/signin", "USER_DISABLED", 403, {
      json: { email: "eve@example.com", password: PW },
    });

    // --- protocol edges ---
    const head = await http.call("head openapi", "HEAD", "/auth/openapi.json");
    expect([head.status, head.text, head.headers.get("content-type")]).toEqual([
      200,
      "",
      "application/json; charset=utf-8",
    ]);
    const headMe = await http.call("head me without token", "HEAD", "/auth/me");
    expect([headMe.status, headMe.text]).toEqual([401, ""]);
    const wrongMethod = await fails("wrong method", "DELETE", "/auth/signin", "METHOD_NOT_ALLOWED", 405);
    expect(wrongMethod.headers.get("allow")).toBe("POST");
    const notOurs = await http.call("host 404", "GET", "/auth/nope");
    expect([notOurs.status, notOurs.body]).toEqual([404, { host: "not found" }]);
    const openapi = await http.call("openapi", "GET", "/auth/openapi.json");
    expect(openapi.body.openapi).toBe("3.1.0");
    expect(Object.keys(openapi.body.paths)).toContain("/stats/org-role-wise-users");
    const docs = await http.call("docs", "GET", "/auth/docs");
    expect(docs.status).toBe(200);
    expect(docs.text).toContain("docs/swagger-ui-bundle.js");
    expect(docs.text).not.toMatch(/https?:\/\//);
    expect((await http.call("docs asset", "GET", "/auth/docs/swagger-ui.css")).status).toBe(200);
    expect((await http.call("docs bad asset", "GET", "/auth/docs/../../package.json")).status).toBe(404);

    // --- the host's own routes behind requireAuth / requirePermission ---
    await fails("host no auth", "GET", "/api/me", "UNAUTHENTICATED", 401);
    await fails("host bad token", "GET", "/api/me", "INVALID_TOKEN", 401, { token: "x.y.z" });
    expect(
      (await http.call("host me", "GET", "/api/me", { token: ada, headers: { "user-agent": "host-app-test/1.0" } }))
        .body,
    ).toEqual({ user_id: 1, user_agent: "host-app-test/1.0" });
    // Eve signed out everywhere above (her token is refused since): Solo is the outsider here.
    await fails("host outsider", "GET", "/api/orgs/2/report", "NOT_FOUND", 404, {
      token: await signin("solo@example.com"),
    });
    await fails("host no permission", "GET", `/api/orgs/${solo.body.org_id}/report`, "NOT_FOUND", 404, { token: ada });
    expect((await http.call("host report", "GET", "/api/orgs/2/report", { token: ada })).body).toEqual({
      org_id: 2,
      user_id: 1,
    });
  }, 60_000);

  it("runs two-factor sign-in and API keys over HTTP", async () => {
    const tinaCreds = { email: "tina@example.com", password: PW };
    const tinaUp = await http.call("tina signup", "POST", "/auth/signup", {
      json: { ...tinaCreds, organization_name: "Tina" },
    });
    const orgId = tinaUp.body.org_id as number;
    const tina = await signin("tina@example.com");

    // --- two-factor sign-in ---
    const off = await http.call("2fa status", "GET", "/auth/two-factor", { token: tina });
    expect(off.body).toEqual({ enabled: false, backup_codes_left: 0 });
    await fails("2fa confirm unenrolled", "POST", "/auth/two-factor/confirm", "TWO_FACTOR_NOT_ENABLED", 409, {
      token: tina,
      json: { code: "123456" },
    });
    await fails("2fa disable when off", "POST", "/auth/two-factor/disable", "TWO_FACTOR_NOT_ENABLED", 409, {
      token: tina,
      json: { password: PW },
    });
    const enrolled = await http.call("2fa enroll", "POST", "/auth/two-factor/enroll", { token: tina });
    expect(enrolled.status).toBe(200);
    const secret = enrolled.body.secret as string;
    expect(enrolled.body.uri).toMatch(/^otpauth:\/\/totp\/tenantauth:tina%40example\.com\?/);
    // Wrong codes on confirm (and wrong proofs on disable) count per user: the 6th try is refused, even a right one.
    for (let i = 0; i < 5; i++) {
      await fails(`2fa confirm wrong ${i}`, "POST", "/auth/two-factor/confirm", "TWO_FACTOR_CODE_INVALID", 401, {
        token: tina,
        json: { code: wrongTotpAt(secret, clock.now()) },
      });
    }
    const confirmLimited = await fails("2fa confirm limited", "POST", "/auth/two-factor/confirm", "RATE_LIMITED", 429, {
      token: tina,
      json: { code: totpAt(secret, clock.now()) },
    });
    expect(confirmLimited.headers.get("retry-after")).toBe("900");
    clock.advance(900_000);
    const confirmed = await http.call("2fa confirm", "POST", "/auth/two-factor/confirm", {
      token: tina,
      json: { code: totpAt(secret, clock.now()) },
    });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.backup_codes).toHaveLength(10);
    await fails("2fa confirm twice", "POST", "/auth/two-factor/confirm", "TWO_FACTOR_ALREADY_ENABLED", 409, {
      token: tina,
      json: { code: totpAt(secret, clock.now()) },
    });
    await fails("2fa enroll twice", "POST", "/auth/two-factor/enroll", "TWO_FACTOR_ALREADY_ENABLED", 409, {
      token: tina,
    });
    const required = await fails("signin 2fa", "POST", "/auth/signin", "TWO_FACTOR_REQUIRED", 401, { json: tinaCreds });
    const challenge = required.body.error.details.challenge as string;
    expect(required.body.error.details.expiresInSeconds).toBe(300);
    clock.advance(30_000);
    const wrong = await fails("totp wrong", "POST", "/auth/signin/totp", "TWO_FACTOR_CODE_INVALID", 401, {
      json: { challenge, code: wrongTotpAt(secret, clock.now()) },
    });
    expect(wrong.body.error.details).toEqual({ attemptsLeft: 4 });
    const verified = await http.call("totp", "POST", "/auth/signin/totp", {
      json: { challenge, code: totpAt(secret, clock.now()) },
    });
    expect(verified.status).toBe(200);
    expect(Object.keys(verified.body)).toEqual(["access_token", "refresh_token", "token_type", "expires_in", "user"]);
    await fails("totp spent challenge", "POST", "/auth/signin/totp", "TWO_FACTOR_CHALLENGE_INVALID", 401, {
      json: { challenge, code: confirmed.body.backup_codes[0] },
    });
    const second = (
      await fails("signin 2fa again", "POST", "/auth/signin", "TWO_FACTOR_REQUIRED", 401, {
        json: tinaCreds,
      })
    ).body.error.details.challenge as string;
    for (let i = 0; i < 5; i++) {
      await fails(`totp wrong ${i}`, "POST", "/auth/signin/totp", "TWO_FACTOR_CODE_INVALID", 401, {
        json: { challenge: second, code: wrongTotpAt(secret, clock.now()) },
      });
    }
    await fails("totp locked", "POST", "/auth/signin/totp", "TWO_FACTOR_LOCKED", 403, {
      json: { challenge: second, code: confirmed.body.backup_codes[1] },
    });
    // Codes count per user across challenges too (rateLimit.twoFactorSignin, 10 per 15 min): 7 tries so far.
    const third = (
      await fails("signin 2fa third", "POST", "/auth/signin", "TWO_FACTOR_REQUIRED", 401, { json: tinaCreds })
    ).body.error.details.challenge as string;
    for (let i = 0; i < 3; i++) {
      await fails(`totp wrong again ${i}`, "POST", "/auth/signin/totp", "TWO_FACTOR_CODE_INVALID", 401, {
        json: { challenge: third, code: wrongTotpAt(secret, clock.now()) },
      });
    }
    const totpLimited = await fails("totp limited", "POST", "/auth/signin/totp", "RATE_LIMITED", 429, {
      json: { challenge: third, code: confirmed.body.backup_codes[1] },
    });
    expect(Number(totpLimited.headers.get("retry-after"))).toBeGreaterThan(0);
    const on = await http.call("2fa status on", "GET", "/auth/two-factor", { token: tina });
    expect(on.body).toEqual({ enabled: true, backup_codes_left: 10 });
    await fails("2fa disable wrong password", "POST", "/auth/two-factor/disable", "INVALID_CREDENTIALS", 401, {
      token: tina,
      json: { password: "wrong password" },
    });
    for (let i = 0; i < 4; i++) {
      await fails(`2fa disable wrong code ${i}`, "POST", "/auth/two-factor/disable", "TWO_FACTOR_CODE_INVALID", 401, {
        token: tina,
        json: { code: wrongTotpAt(secret, clock.now()) },
      });
    }
    await fails("2fa disable limited", "POST", "/auth/two-factor/disable", "RATE_LIMITED", 429, {
      token: tina,
      json: { password: PW },
    });
    clock.advance(900_000);
    const disabled = await http.call("2fa disable", "POST", "/auth/two-factor/disable", {
      token: tina,
      json: { password: PW },
    });
    expect(disabled.status).toBe(204);
    expect((await http.call("signin after 2fa off", "POST", "/auth/signin", { json: tinaCreds })).status).toBe(200);

    // --- API keys ---
    const keys = `/auth/organizations/${orgId}/api-keys`;
    const roles = await http.call("tina roles", "GET", `/auth/organizations/${orgId}/roles`, { token: tina });
    const memberRole = roles.body.find((r: { name: string }) => r.name === "Member").id as number;
    const miaInvite = await http.call("invite mia", "POST", `/auth/organizations/${orgId}/invitations`, {
      token: tina,
      json: { email: "mia@example.com", role_id: memberRole },
    });
    expect(miaInvite.status).toBe(201);
    await http.call("mia signup", "POST", "/auth/signup", {
      json: {
        email: "mia@example.com",
        password: PW,
        invitation_token: await invitationToken(mainAuth, mainMail, "mia@example.com"),
      },
    });
    const mia = await signin("mia@example.com");
    const created = await http.call("create key", "POST", keys, {
      token: tina,
      json: { name: "CI", permissions: ["stats:read"], expires_at: clock.now() + 86_400_000 },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ org_id: orgId, name: "CI", permissions: ["stats:read"], last_used_at: null });
    const key = created.body.key as string;
    const keyId = created.body.id as string;
    await fails("create key member", "POST", keys, "FORBIDDEN", 403, {
      token: mia,
      json: { name: "x", permissions: [] },
    });
    await fails("create key outsider", "POST", "/auth/organizations/1/api-keys", "NOT_FOUND", 404, {
      token: tina,
      json: { name: "x", permissions: [] },
    });
    await fails("create key with key", "POST", keys, "API_KEY_NOT_ALLOWED", 403, {
      token: key,
      json: { name: "x", permissions: [] },
    });
    await fails("create key bad permission", "POST", keys, "INVALID_INPUT", 400, {
      token: tina,
      json: { name: "x", permissions: ["root"] },
    });
    const used = await http.call("key on another org", "GET", "/api/orgs/1/report", { token: key });
    expect([used.status, used.body.error.code]).toEqual([404, "NOT_FOUND"]);
    const listed = await http.call("list keys", "GET", keys, { token: tina });
    expect(listed.status).toBe(200);
    expect(listed.body).toHaveLength(1);
    expect(listed.body[0].last_used_at).toBe(clock.now());
    expect(listed.body[0]).not.toHaveProperty("key");
    await fails("list keys member", "GET", keys, "FORBIDDEN", 403, { token: mia });
    await fails("list keys outsider", "GET", "/auth/organizations/1/api-keys", "NOT_FOUND", 404, { token: tina });
    const rotated = await http.call("rotate key", "POST", `${keys}/${keyId}/rotate`, { token: tina });
    expect(rotated.status).toBe(200);
    expect(rotated.body.id).toBe(keyId);
    await fails("old key after rotate", "GET", "/auth/me", "INVALID_TOKEN", 401, { token: key });
    await fails("rotate key member", "POST", `${keys}/${keyId}/rotate`, "FORBIDDEN", 403, { token: mia });
    await fails("rotate unknown key", "POST", `${keys}/aaaaaaaaaaaaaaaa/rotate`, "NOT_FOUND", 404, { token: tina });
    await fails("revoke key member", "DELETE", `${keys}/${keyId}`, "FORBIDDEN", 403, { token: mia });
    const revoked = await http.call("revoke key", "DELETE", `${keys}/${keyId}`, { token: tina });
    expect(revoked.status).toBe(204);
    await fails("revoke key again", "DELETE", `${keys}/${keyId}`, "NOT_FOUND", 404, { token: tina });
    await fails("revoked key", "GET", `/api/orgs/${orgId}/report`, "INVALID_TOKEN", 401, { token: rotated.body.key });
  });

  it("answers every authenticated route with 401 when the token is missing or invalid", async () => {
    for (const route of routes.filter((r) => r.auth)) {
      const path = `/auth${route.path.replace(/\{[a-z_]+\}/g, "1")}`;
      const json = route.body ? {} : undefined;
      await fails(`${route.operationId} no token`, route.method, path, "UNAUTHENTICATED", 401, { json });
      await fails(`${route.operationId} bad token`, route.method, path, "INVALID_TOKEN", 401, { json, token: "bad" });
    }
  });

  it("verifies email and resets and changes passwords over HTTP", async () => {
    const h = strictHttp;
    const expectCode = async (
      step: string,
      method: string,
      path: string,
      code: string,
      status: number,
      options = {},
    ) => {
      const r = await h.call(step, method, path, options);
      expect({ step, status: r.status, code: r.body?.error?.code }).toEqual({ step, status, code });
    };
    const token = async (to: string, template: string): Promise<string> => {
      await strictAuth.mail.idle();
      return mailer.tokenFor(to, template);
    };
    const creds = { email: "vera@example.com", password: PW };
    const created = await h.call("strict signup", "POST", "/auth/signup", {
      json: { ...creds, organization_name: "Vera" },
    });
    expect(created.status).toBe(200);
    await expectCode("unverified signin", "POST", "/auth/signin", "EMAIL_NOT_VERIFIED", 403, { json: creds });
    const resent = await h.call("resend", "POST", "/auth/resend-verification", { json: { email: "vera@example.com" } });
    const unknown = await h.call("resend unknown", "POST", "/auth/resend-verification", {
      json: { email: "nobody@example.com" },
    });
    expect([resent.status, resent.body]).toEqual([unknown.status, unknown.body]);
    expect(resent.status).toBe(202);
    const verifyToken = await token("vera@example.com", "verify-email");
    await expectCode("verify tampered", "POST", "/auth/verify-email", "VERIFICATION_TOKEN_INVALID", 400, {
      json: { token: `${verifyToken}x` },
    });
    const verified = await h.call("verify", "POST", "/auth/verify-email", { json: { token: verifyToken } });
    expect([verified.status, verified.body.user.email_verified]).toEqual([200, true]);
    await expectCode("verify reused", "POST", "/auth/verify-email", "VERIFICATION_TOKEN_USED", 409, {
      json: { token: verifyToken },
    });
    await h.call("strict signup 2", "POST", "/auth/signup", {
      json: { email: "late@example.com", password: PW, organization_name: "Late" },
    });
    const lateToken = await token("late@example.com", "verify-email");
    strictClock.advance(60_000);
    await expectCode("verify expired", "POST", "/auth/verify-email", "VERIFICATION_TOKEN_EXPIRED", 410, {
      json: { token: lateToken },
    });

    const session = await h.call("strict signin", "POST", "/auth/signin", { json: creds });
    expect(session.status).toBe(200);
    const forgot = await h.call("forgot", "POST", "/auth/password/forgot", { json: { email: "vera@example.com" } });
    const forgotUnknown = await h.call("forgot unknown", "POST", "/auth/password/forgot", {
      json: { email: "nobody@example.com" },
    });
    expect([forgot.status, forgot.body]).toEqual([forgotUnknown.status, forgotUnknown.body]);
    const resetToken = await token("vera@example.com", "password-reset");
    await expectCode("reset tampered", "POST", "/auth/password/reset", "VERIFICATION_TOKEN_INVALID", 400, {
      json: { token: "nope", new_password: "a new passphrase" },
    });
    await expectCode("reset common", "POST", "/auth/password/reset", "PASSWORD_TOO_COMMON", 400, {
      json: { token: resetToken, new_password: "iloveyou1" },
    });
    const reset = await h.call("reset", "POST", "/auth/password/reset", {
      json: { token: resetToken, new_password: "a new passphrase" },
    });
    expect(reset.status).toBe(204);
    await expectCode("reset reused", "POST", "/auth/password/reset", "VERIFICATION_TOKEN_USED", 409, {
      json: { token: resetToken, new_password: "another passphrase" },
    });
    await expectCode("refresh after reset", "POST", "/auth/refresh", "INVALID_REFRESH_TOKEN", 401, {
      json: { refresh_token: session.body.refresh_token },
    });
    await h.call("forgot again", "POST", "/auth/password/forgot", { json: { email: "vera@example.com" } });
    const staleReset = await token("vera@example.com", "password-reset");
    strictClock.advance(60_000);
    await expectCode("reset expired", "POST", "/auth/password/reset", "VERIFICATION_TOKEN_EXPIRED", 410, {
      json: { token: staleReset, new_password: "another passphrase" },
    });

    const fresh = await h.call("signin new password", "POST", "/auth/signin", {
      json: { ...creds, password: "a new passphrase" },
    });
    const access = fresh.body.access_token as string;
    await expectCode("change wrong", "POST", "/auth/password/change", "INVALID_CREDENTIALS", 401, {
      token: access,
      json: { current_password: PW, new_password: "third passphrase" },
    });
    await expectCode("change common", "POST", "/auth/password/change", "PASSWORD_TOO_COMMON", 400, {
      token: access,
      json: { current_password: "a new passphrase", new_password: "qwertyuiop" },
    });
    const changed = await h.call("change", "POST", "/auth/password/change", {
      token: access,
      json: { current_password: "a new passphrase", new_password: "third passphrase" },
    });
    expect(changed.status).toBe(204);
    await strictAuth.mail.idle();
    expect(mailer.last("vera@example.com")?.template).toBe("password-changed");
  });

  it("throttles: 429 RATE_LIMITED with a Retry-After header, for a known and an unknown account alike", async () => {
    const h = strictHttp;
    const limited = async (step: string, path: string, json: unknown) => {
      const r = await h.call(step, "POST", path, { json });
      expect({ step, status: r.status, code: r.body?.error?.code }).toEqual({
        step,
        status: 429,
        code: "RATE_LIMITED",
      });
      expect(r.headers.get("retry-after")).toBe(String(r.body.error.details.retryAfterSeconds));
      return r;
    };
    // Sign-in: 10 failures per account within 15 minutes; the 11th attempt is refused until the window ends.
    for (const email of ["vera@example.com", "nobody@example.com"]) {
      for (let i = 0; i < 10; i++) {
        const r = await h.call(`signin wrong ${i}`, "POST", "/auth/signin", { json: { email, password: "wrong!!!" } });
        expect(r.status).toBe(401);
      }
    }
    const known = await limited("signin locked", "/auth/signin", { email: "vera@example.com", password: PW });
    const unknown = await limited("signin locked unknown", "/auth/signin", {
      email: "nobody@example.com",
      password: PW,
    });
    expect(unknown.text).toBe(known.text);
    expect(known.headers.get("retry-after")).toBe("900");
    // Sign-up: 5 per email per hour by default; password reset and resend-verification: 3 per email and IP.
    for (let i = 0; i < 5; i++) {
      await h.call(`signup flood ${i}`, "POST", "/auth/signup", { json: { email: "flood@example.com", password: PW } });
      expect(
        (await h.call(`forgot flood ${i}`, "POST", "/auth/password/forgot", { json: { email: "flood@example.com" } }))
          .status,
      ).toBe(202);
      expect(
        (
          await h.call(`resend flood ${i}`, "POST", "/auth/resend-verification", {
            json: { email: "ghost@example.com" },
          })
        ).status,
      ).toBe(202);
    }
    const signup = await limited("signup limited", "/auth/signup", { email: "flood@example.com", password: PW });
    expect(signup.headers.get("retry-after")).toBe("3600");
    // Password reset and resend-verification over their limits are answered as usual (202) and send nothing, so
    // nobody can block another's mail with a 429 (test/malicious-lockout.test.ts counts the mails).
    for (const [step, path, email] of [
      ["forgot over limit", "/auth/password/forgot", "flood@example.com"],
      ["resend over limit", "/auth/resend-verification", "ghost@example.com"],
    ] as const) {
      const r = await h.call(step, "POST", path, { json: { email } });
      expect({ step, status: r.status, retryAfter: r.headers.get("retry-after") }).toEqual({
        step,
        status: 202,
        retryAfter: null,
      });
    }
    await strictAuth.mail.idle();
  });

  it("throttles invitations: resends per invitation, mails per inviter (429 with Retry-After)", async () => {
    const h = strictHttp;
    const creds = { email: "ivy@example.com", password: PW };
    const created = await h.call("ivy signup", "POST", "/auth/signup", {
      json: { ...creds, organization_name: "Ivy" },
    });
    const orgId = created.body.org_id as number;
    await strictAuth.mail.idle();
    const verify = { token: mailer.tokenFor("ivy@example.com", "verify-email") };
    expect((await h.call("ivy verify", "POST", "/auth/verify-email", { json: verify })).status).toBe(200);
    const ivy = (await h.call("ivy signin", "POST", "/auth/signin", { json: creds })).body.access_token as string;
    const roles = await h.call("ivy roles", "GET", `/auth/organizations/${orgId}/roles`, { token: ivy });
    const member = roles.body.find((r: { name: string }) => r.name === "Member").id as number;
    const invitations = `/auth/organizations/${orgId}/invitations`;
    const invite = (step: string, email: string) =>
      h.call(step, "POST", invitations, { token: ivy, json: { email, role_id: member } });
    expect((await invite("ivy invite 0", "guest0@elsewhere.test")).status).toBe(201);
    const [pending] = (await h.call("ivy invitations", "GET", invitations, { token: ivy })).body;
    const resend = (step: string) => h.call(step, "POST", `${invitations}/${pending.id}/resend`, { token: ivy });
    for (let i = 0; i < 3; i++) expect((await resend(`ivy resend ${i}`)).status).toBe(200);
    const resendLimited = await resend("ivy resend limited");
    expect({ status: resendLimited.status, code: resendLimited.body.error.code }).toEqual({
      status: 429,
      code: "RATE_LIMITED",
    });
    expect(resendLimited.headers.get("retry-after")).toBe("3600");
    // 4 invitation mails so far (the refused resend is not counted): 6 more reach the inviter's 10 per hour.
    for (let i = 1; i <= 6; i++) expect((await invite(`ivy invite ${i}`, `guest${i}@elsewhere.test`)).status).toBe(201);
    const inviteLimited = await invite("ivy invite limited", "guest7@elsewhere.test");
    expect({ status: inviteLimited.status, code: inviteLimited.body.error.code }).toEqual({
      status: 429,
      code: "RATE_LIMITED",
    });
    expect(inviteLimited.headers.get("retry-after")).toBe("3600");
    await strictAuth.mail.idle();
  });

  it("answers LIMIT_REACHED past organizationLimit, invitationLimit and membershipLimit", async () => {
    const h = limitedHttp;
    const limitHit = async (step: string, method: string, path: string, options: object, limit: string) => {
      const r = await h.call(step, method, path, options);
      expect({ step, status: r.status, body: r.body }).toEqual({
        step,
        status: 403,
        body: {
          error: { code: "LIMIT_REACHED", message: expect.any(String), details: { limit, max: expect.any(Number) } },
        },
      });
    };
    await h.call("signup owner", "POST", "/auth/signup", {
      json: { email: "lim@example.com", password: PW, organization_name: "Limited" },
    });
    const owner = (
      await h.call("signin owner", "POST", "/auth/signin", { json: { email: "lim@example.com", password: PW } })
    ).body.access_token as string;
    await limitHit(
      "second organization",
      "POST",
      "/auth/organizations",
      { token: owner, json: { name: "Two" } },
      "organizationLimit",
    );
    const roles = (await h.call("roles", "GET", "/auth/organizations/1/roles", { token: owner })).body as Array<{
      id: number;
      name: string;
    }>;
    const member = roles.find((r) => r.name === "Member")!.id;
    const first = await h.call("invite one", "POST", "/auth/organizations/1/invitations", {
      token: owner,
      json: { email: "one@example.com", role_id: member },
    });
    expect(first.status).toBe(201);
    await limitHit(
      "invite a second",
      "POST",
      "/auth/organizations/1/invitations",
      { token: owner, json: { email: "other@example.com", role_id: member } },
      "invitationLimit",
    );
    const one = await h.call("signup one", "POST", "/auth/signup", {
      json: {
        email: "one@example.com",
        password: PW,
        invitation_token: await invitationToken(limitedAuth, limitedMail, "one@example.com"),
      },
    });
    expect(one.status).toBe(200);
    // One seat left for invitations again, but the organization is full (2 members).
    const second = await h.call("invite two", "POST", "/auth/organizations/1/invitations", {
      token: owner,
      json: { email: "two@example.com", role_id: member },
    });
    expect(second.status).toBe(201);
    const signedUp = await h.call("signup two", "POST", "/auth/signup", {
      json: { email: "two@example.com", password: PW },
    });
    await limitedStorage.markEmailVerified(signedUp.body.user_id, limitedClock.now());
    const two = (
      await h.call("signin two", "POST", "/auth/signin", { json: { email: "two@example.com", password: PW } })
    ).body.access_token as string;
    await limitHit(
      "accept two",
      "POST",
      "/auth/invitations/accept",
      { token: two, json: { token: await invitationToken(limitedAuth, limitedMail, "two@example.com") } },
      "membershipLimit",
    );
    await h.call("revoke two", "DELETE", `/auth/organizations/1/invitations/${second.body.invitation.id}`, {
      token: owner,
    });
    const third = await h.call("invite three", "POST", "/auth/organizations/1/invitations", {
      token: owner,
      json: { email: "three@example.com", role_id: member },
    });
    expect(third.status).toBe(201);
    await limitHit(
      "signup three",
      "POST",
      "/auth/signup",
      {
        json: {
          email: "three@example.com",
          password: PW,
          invitation_token: await invitationToken(limitedAuth, limitedMail, "three@example.com"),
        },
      },
      "membershipLimit",
    );
  });

  it("exercised every route's success and every documented error", () => {
    const covered = new Set([...http.covered, ...strictHttp.covered, ...limitedHttp.covered]);
    const missing: string[] = [];
    for (const route of routes) {
      const expected = [String(route.response.status), ...route.errors];
      if (route.auth) expected.push("UNAUTHENTICATED", "INVALID_TOKEN");
      if (route.permission) expected.push("FORBIDDEN");
      for (const outcome of expected)
        if (!covered.has(`${route.operationId} ${outcome}`)) missing.push(`${route.operationId} ${outcome}`);
    }
    expect(missing).toEqual([]);
  });
});

describe("Express 5, Express 4 and Hono", () => {
  it("answered the whole contract with identical statuses, headers and bodies", () => {
    const [a, b, c] = [transcripts.get("express"), transcripts.get("express4"), transcripts.get("hono")];
    expect(a?.length).toBeGreaterThan(100);
    expect(b).toEqual(a);
    expect(c).toEqual(a);
  });
});
