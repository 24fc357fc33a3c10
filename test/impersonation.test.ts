import type { UserPrincipal } from "@tenantauth/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { backends } from "./support/backends.js";
import { expectAuthError } from "./support/errors.js";
import { totpAt } from "./support/otp.js";
import { type Actor, createWorld, PASSWORD, type World } from "./support/world.js";

/**
 * Issue 13, item 1: an impersonation token acts as the user in ordinary ways, but cannot take over the account or
 * leave a credential behind. Each refused flow answers `IMPERSONATION_NOT_ALLOWED` and changes nothing.
 */
describe.each(backends)("what an impersonation token may do on $name", (backend) => {
  let w: World;
  let ada: Actor;
  let bob: Actor;
  /** root acting as ada (Owner of Acme, with bob a Member). */
  let acting: UserPrincipal;

  beforeEach(async () => {
    w = await createWorld(backend, { platformAdmins: ["root@platform.test"] });
    const root = await w.user("root@platform.test", "Platform");
    ada = await w.user("ada@example.com", "Acme");
    bob = await w.member(ada, ada.orgId, "bob@example.com");
    const { accessToken } = await w.auth.admin.users.impersonate(root.principal, ada.userId);
    acting = (await w.auth.authenticate(accessToken)) as UserPrincipal;
    expect(acting.impersonatorId).toBe(root.userId);
  });
  afterEach(async () => {
    await w.cleanup();
  });

  it("reads and acts as the user in ordinary ways", async () => {
    expect((await w.auth.me(acting)).user.id).toBe(ada.userId);
    expect((await w.auth.members.list(acting, ada.orgId)).items).toHaveLength(2);
    expect((await w.auth.organizations.update(acting, ada.orgId, { details: "support was here" })).details).toBe(
      "support was here",
    );
    expect(await w.auth.apiKeys.list(acting, ada.orgId)).toEqual([]);
    expect(await w.auth.twoFactor.status(acting)).toEqual({ enabled: false, backupCodesLeft: 0 });
    expect((await w.auth.invitations.list(acting, ada.orgId)).length).toBe(0);
  });

  it("cannot create or rotate API keys", async () => {
    const { id } = await w.auth.apiKeys.create(ada.principal, ada.orgId, { name: "ada's", permissions: [] });
    await expectAuthError(
      w.auth.apiKeys.create(acting, ada.orgId, { name: "backdoor", permissions: ["stats:read"] }),
      "IMPERSONATION_NOT_ALLOWED",
    );
    const error = await expectAuthError(w.auth.apiKeys.rotate(acting, ada.orgId, id), "IMPERSONATION_NOT_ALLOWED");
    expect(error.status).toBe(403);
    expect((await w.auth.apiKeys.list(ada.principal, ada.orgId)).map((k) => k.name)).toEqual(["ada's"]);
  });

  it("cannot change two-factor settings (enrol, confirm, disable)", async () => {
    await expectAuthError(w.auth.twoFactor.enroll(acting), "IMPERSONATION_NOT_ALLOWED");
    expect(await w.storage.findTwoFactor(ada.userId)).toBeNull();
    const { secret } = await w.auth.twoFactor.enroll(ada.principal);
    await expectAuthError(w.auth.twoFactor.confirm(acting, totpAt(secret, w.clock.now())), "IMPERSONATION_NOT_ALLOWED");
    expect((await w.auth.twoFactor.status(ada.principal)).enabled).toBe(false);
    await w.auth.twoFactor.confirm(ada.principal, totpAt(secret, w.clock.now()));
    await expectAuthError(w.auth.twoFactor.disable(acting, { password: PASSWORD }), "IMPERSONATION_NOT_ALLOWED");
    expect((await w.auth.twoFactor.status(ada.principal)).enabled).toBe(true);
  });

  it("cannot change the password", async () => {
    await expectAuthError(
      w.auth.changePassword(acting, PASSWORD, "a brand new passphrase"),
      "IMPERSONATION_NOT_ALLOWED",
    );
    await w.auth.signin({ email: ada.email, password: PASSWORD });
  });

  it("cannot invite or resend an invitation", async () => {
    const roleId = await w.roleId(ada, ada.orgId, "Owner");
    await expectAuthError(
      w.auth.invitations.create(acting, ada.orgId, { email: "mallory@example.com", roleId }),
      "IMPERSONATION_NOT_ALLOWED",
    );
    const { invitation } = await w.auth.invitations.create(ada.principal, ada.orgId, {
      email: "carol@example.com",
      roleId,
    });
    await expectAuthError(w.auth.invitations.resend(acting, ada.orgId, invitation.id), "IMPERSONATION_NOT_ALLOWED");
    expect((await w.auth.invitations.list(ada.principal, ada.orgId)).map((i) => i.email)).toEqual([
      "carol@example.com",
    ]);
    await w.auth.mail.idle();
    expect(w.mailbox.all("mallory@example.com")).toEqual([]);
  });

  it("cannot transfer ownership or delete an organization", async () => {
    await expectAuthError(
      w.auth.organizations.transferOwnership(acting, ada.orgId, bob.userId),
      "IMPERSONATION_NOT_ALLOWED",
    );
    expect((await w.auth.organizations.get(ada.principal, ada.orgId)).role.name).toBe("Owner");
    await expectAuthError(w.auth.organizations.delete(acting, ada.orgId), "IMPERSONATION_NOT_ALLOWED");
    expect((await w.auth.organizations.get(ada.principal, ada.orgId)).organization.name).toBe("Acme");
  });

  it("cannot sign the user out everywhere (nor out of their other sessions)", async () => {
    const { refreshToken } = await w.auth.signin({ email: ada.email, password: PASSWORD });
    await expectAuthError(w.auth.signoutAll(acting), "IMPERSONATION_NOT_ALLOWED");
    await expectAuthError(w.auth.sessions.revokeOthers(acting), "IMPERSONATION_NOT_ALLOWED");
    await w.auth.refresh(refreshToken);
  });

  it("says which of the two sign-outs it refused", async () => {
    const all = await expectAuthError(w.auth.signoutAll(acting), "IMPERSONATION_NOT_ALLOWED");
    expect(all.message).toBe("An impersonation token cannot sign out everywhere");
    const others = await expectAuthError(w.auth.sessions.revokeOthers(acting), "IMPERSONATION_NOT_ALLOWED");
    expect(others.message).toBe("An impersonation token cannot sign the user out of their other sessions");
  });
});
