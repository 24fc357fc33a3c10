import type { UserPrincipal } from "@tenantauth/core";
import { createAuth } from "@tenantauth/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { backends } from "./support/backends.js";
import { expectAuthError } from "./support/errors.js";
import { claimsOf } from "./support/jwt-claims.js";
import { type Actor, createWorld, PASSWORD, SECRET, type World } from "./support/world.js";

describe.each(backends)("active organization on $name", (backend) => {
  let w: World;
  let ada: Actor;
  let mia: Actor;
  let miaRefresh: string;
  beforeEach(async () => {
    w = await createWorld(backend);
    ada = await w.user("ada@example.com", "Acme");
    mia = await w.member(ada, ada.orgId, "mia@example.com", "Member");
    miaRefresh = (await w.auth.signin({ email: mia.email, password: PASSWORD })).refreshToken;
  });
  afterEach(async () => {
    await w.cleanup();
  });

  it("switchOrganization rotates the refresh token and puts the org id and the caller's role in the claims", async () => {
    const tokens = await w.auth.switchOrganization(miaRefresh, ada.orgId);
    const member = await w.roleId(ada, ada.orgId, "Member");
    expect(claimsOf(tokens.accessToken).org).toMatchObject({ id: ada.orgId, role: { id: member, name: "Member" } });
    const principal = (await w.auth.authenticate(tokens.accessToken)) as UserPrincipal;
    expect(principal.activeOrganization?.id).toBe(ada.orgId);
    expect(principal.activeOrganization?.role.permissions).not.toContain("member:invite");
    w.clock.advance(5_001); // past the reuse grace: a replay now is reuse
    await expectAuthError(w.auth.refresh(miaRefresh), "REFRESH_TOKEN_REUSED");
  });

  it("a refresh keeps the active organization", async () => {
    const switched = await w.auth.switchOrganization(miaRefresh, ada.orgId);
    const refreshed = await w.auth.refresh(switched.refreshToken);
    expect(((await w.auth.authenticate(refreshed.accessToken)) as UserPrincipal).activeOrganization?.id).toBe(
      ada.orgId,
    );
  });

  it("switching to an organization the caller does not belong to is NOT_FOUND and leaves the refresh token usable", async () => {
    const eve = await w.user("eve@example.com", "Evil");
    await expectAuthError(w.auth.switchOrganization(miaRefresh, eve.orgId), "NOT_FOUND");
    await expectAuthError(w.auth.switchOrganization(miaRefresh, 999_999), "NOT_FOUND");
    await expectAuthError(w.auth.switchOrganization(miaRefresh, -1 as number), "INVALID_INPUT");
    await expectAuthError(
      w.auth.switchOrganization("not-a-token-at-all-but-long-enough-000000000", ada.orgId),
      "INVALID_REFRESH_TOKEN",
    );
    const refreshed = await w.auth.refresh(miaRefresh);
    expect(await w.auth.authenticate(refreshed.accessToken)).not.toHaveProperty("activeOrganization");
  });

  it("a role change reaches authorize at the next refresh, and at once with strictAuthorization", async () => {
    const switched = await w.auth.switchOrganization(miaRefresh, ada.orgId);
    const before = await w.auth.authenticate(switched.accessToken);
    expect(await w.auth.authorize(before, ada.orgId, "member:invite")).toBe(false);
    await w.auth.members.updateRole(ada.principal, ada.orgId, mia.userId, await w.roleId(ada, ada.orgId, "Admin"));
    // The claim still holds the old role while the token lives …
    expect(await w.auth.authorize(before, ada.orgId, "member:invite")).toBe(false);
    // … unless authorization is strict …
    const strict = createAuth({ secret: SECRET, storage: w.storage, clock: w.clock, strictAuthorization: true });
    expect(await strict.authorize(before, ada.orgId, "member:invite")).toBe(true);
    // … and the next refresh carries the new role.
    const refreshed = (await w.auth.authenticate(
      (
        await w.auth.refresh(switched.refreshToken)
      ).accessToken,
    )) as UserPrincipal;
    expect(refreshed.activeOrganization?.role.name).toBe("Admin");
    expect(await w.auth.authorize(refreshed, ada.orgId, "member:invite")).toBe(true);
  });

  it("after removal, the next refresh drops the claim and authorize answers from storage", async () => {
    const switched = await w.auth.switchOrganization(miaRefresh, ada.orgId);
    await w.auth.members.remove(ada.principal, ada.orgId, mia.userId);
    const refreshed = await w.auth.authenticate((await w.auth.refresh(switched.refreshToken)).accessToken);
    expect(refreshed).not.toHaveProperty("activeOrganization");
    expect(await w.auth.authorize(refreshed, ada.orgId, "stats:read")).toBe(false);
  });

  it("a principal with a malformed org claim is UNAUTHENTICATED, never a TypeError", async () => {
    const broken = { ...mia.principal, activeOrganization: { id: ada.orgId } } as never;
    await expectAuthError(w.auth.authorize(broken, ada.orgId, "stats:read"), "UNAUTHENTICATED");
  });

  it("a claim for one organization does not answer for another", async () => {
    const switched = await w.auth.authenticate((await w.auth.switchOrganization(miaRefresh, ada.orgId)).accessToken);
    const other = await w.user("bob@example.com", "Bobs");
    expect(await w.auth.authorize(switched, other.orgId, "stats:read")).toBe(false);
  });
});
