import { USER_STATUS } from "@tenantauth/core";
import { expect, it } from "vitest";
import {
  ACTIVE_MEMBER,
  builtInRoleId,
  FAR_FUTURE,
  type Harness,
  newOrganization,
  newUser,
  RICH_JSON,
  signup,
  T0,
  unique,
} from "./fixtures.js";

/** Tests of users: creation, every field, lookups, conflicts and password-hash updates. */
export function registerUserTests(h: Harness): void {
  it("createUserWithOrganization returns the user, organization and membership it wrote, with every field", async () => {
    const storage = h.storage();
    const ownerId = await builtInRoleId(storage, "Owner");
    const user = newUser();
    const organization = newOrganization();
    const result = await storage.createUserWithOrganization({ user, organization, roleId: ownerId, now: T0 });
    if (!result.ok) return expect.fail(`unexpected conflict ${result.conflict}`);
    expect(result.user).toStrictEqual({ id: result.user.id, ...user, createdAt: T0, updatedAt: T0 });
    expect(result.organization).toStrictEqual({
      id: result.organization.id,
      ...organization,
      createdAt: T0,
      updatedAt: T0,
    });
    expect(result.member).toStrictEqual({
      id: result.member.id,
      orgId: result.organization.id,
      userId: result.user.id,
      roleId: ownerId,
      status: ACTIVE_MEMBER,
      settings: {},
      createdAt: T0,
      updatedAt: T0,
    });
    for (const id of [result.user.id, result.organization.id, result.member.id]) {
      expect(Number.isSafeInteger(id) && id > 0, `id ${String(id)} is a positive integer`).toBe(true);
    }
  });

  it("ids of users, organizations and memberships are distinct positive integers", async () => {
    const storage = h.storage();
    const rows = [await signup(storage), await signup(storage), await signup(storage)];
    for (const key of ["userId", "orgId", "memberId"] as const) {
      const ids = rows.map((r) => r[key]);
      expect(new Set(ids).size, key).toBe(3);
      for (const id of ids) expect(Number.isSafeInteger(id) && id > 0, `${key} ${id}`).toBe(true);
    }
  });

  it("findUserById and findUserByEmail return every field as written: JSON, unicode, status, timestamps", async () => {
    const storage = h.storage();
    const user = newUser({
      profile: { ...RICH_JSON },
      settings: { theme: "dark", notifications: { email: true, digest: ["weekly"] } },
      status: USER_STATUS.disabled,
      emailVerifiedAt: FAR_FUTURE - 1,
    });
    const result = await storage.createUserWithOrganization({
      user,
      organization: newOrganization(),
      roleId: await builtInRoleId(storage, "Owner"),
      now: FAR_FUTURE,
    });
    if (!result.ok) return expect.fail(`unexpected conflict ${result.conflict}`);
    const expected = { id: result.user.id, ...user, createdAt: FAR_FUTURE, updatedAt: FAR_FUTURE };
    expect(result.user).toStrictEqual(expected);
    expect(await storage.findUserById(result.user.id)).toStrictEqual(expected);
    expect(await storage.findUserByEmail(user.email)).toStrictEqual(expected);
  });

  it("emailVerifiedAt round-trips null and a timestamp", async () => {
    const storage = h.storage();
    const unverified = await signup(storage, { user: { emailVerifiedAt: null } });
    const verified = await signup(storage, { user: { emailVerifiedAt: T0 + 1 } });
    expect((await storage.findUserById(unverified.userId))?.emailVerifiedAt).toBeNull();
    expect((await storage.findUserById(verified.userId))?.emailVerifiedAt).toBe(T0 + 1);
  });

  it("findUserByEmail matches exactly: another case, surrounding spaces, a prefix or a suffix is not a match", async () => {
    const storage = h.storage();
    const email = `exact-${unique()}@example.test`;
    const { userId } = await signup(storage, { user: { email } });
    expect((await storage.findUserByEmail(email))?.id).toBe(userId);
    for (const other of [email.toUpperCase(), ` ${email}`, `${email} `, email.slice(0, -1), `${email}x`, `x${email}`]) {
      expect(await storage.findUserByEmail(other), JSON.stringify(other)).toBeNull();
    }
  });

  it("findUserByEmail and findUserById return null for users that do not exist", async () => {
    const storage = h.storage();
    const { userId } = await signup(storage);
    expect(await storage.findUserByEmail(`nobody-${unique()}@example.test`)).toBeNull();
    expect(await storage.findUserById(userId + 1_000_000)).toBeNull();
  });

  it("updateUserPasswordHash replaces the hash and updatedAt, keeps every other field, and returns true", async () => {
    const storage = h.storage();
    const { userId } = await signup(storage, { user: { profile: { a: 1 } } });
    const other = await signup(storage);
    const before = await storage.findUserById(userId);
    const otherBefore = await storage.findUserById(other.userId);
    const hash = `$argon2id$v=19$m=65536,t=3,p=4$${unique()}`;
    expect(await storage.updateUserPasswordHash(userId, hash, T0 + 5)).toBe(true);
    expect(await storage.findUserById(userId)).toStrictEqual({ ...before, passwordHash: hash, updatedAt: T0 + 5 });
    expect(await storage.findUserById(other.userId)).toStrictEqual(otherBefore);
  });

  it("updateUserPasswordHash returns false for a user that does not exist", async () => {
    const storage = h.storage();
    const { userId } = await signup(storage);
    expect(await storage.updateUserPasswordHash(userId + 1_000_000, "$argon2id$x", T0)).toBe(false);
  });

  it("a taken email returns conflict email and writes nothing: the organization name stays free", async () => {
    const storage = h.storage();
    const first = await signup(storage);
    const firstUser = await storage.findUserById(first.userId);
    const organization = newOrganization();
    const result = await storage.createUserWithOrganization({
      user: newUser({ email: first.email }),
      organization,
      roleId: await builtInRoleId(storage, "Owner"),
      now: T0 + 1,
    });
    expect(result).toStrictEqual({ ok: false, conflict: "email" });
    expect(await storage.findUserByEmail(first.email)).toStrictEqual(firstUser);
    expect((await storage.listUserOrganizations(first.userId)).map((o) => o.organization.id)).toEqual([first.orgId]);
    const reuse = await storage.createOrganizationWithMember({
      organization,
      userId: first.userId,
      roleId: await builtInRoleId(storage, "Owner"),
      now: T0 + 2,
    });
    expect(reuse.ok, "the conflicting call's organization name can be used afterwards").toBe(true);
  });

  it("a taken organization name returns conflict organization_name and writes nothing: the email stays free", async () => {
    const storage = h.storage();
    const first = await signup(storage);
    const user = newUser();
    const result = await storage.createUserWithOrganization({
      user,
      organization: newOrganization({ name: first.orgName }),
      roleId: await builtInRoleId(storage, "Owner"),
      now: T0 + 1,
    });
    expect(result).toStrictEqual({ ok: false, conflict: "organization_name" });
    expect(await storage.findUserByEmail(user.email)).toBeNull();
    const retry = await signup(storage, { user: { email: user.email } });
    expect((await storage.listUserOrganizations(retry.userId)).map((o) => o.organization.id)).toEqual([retry.orgId]);
  });

  it("when both the email and the organization name are taken, a conflict is returned and nothing is written", async () => {
    const storage = h.storage();
    const first = await signup(storage);
    const result = await storage.createUserWithOrganization({
      user: newUser({ email: first.email }),
      organization: newOrganization({ name: first.orgName }),
      roleId: await builtInRoleId(storage, "Owner"),
      now: T0 + 1,
    });
    expect(result.ok).toBe(false);
    expect((await storage.listUserOrganizations(first.userId)).length).toBe(1);
  });
}
