import { AuthError, type StorageAdapter } from "@tenantauth/core";
import { describe, expect, it } from "vitest";
import { builtInRoleId, newOrganization, newSession, newUser, signup, T0, tokenHash } from "./conformance/fixtures.js";
import { runStorageConformance } from "./conformance/index.js";
import { invitationMail, invite, roleIds } from "./conformance/tenancy-fixtures.js";
import { memoryStorage } from "./index.js";

runStorageConformance("memory", async () => ({ storage: memoryStorage() }));

/** A promise and the function that resolves it. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

async function signupInput(storage: StorageAdapter, email = newUser().email) {
  return {
    user: newUser({ email }),
    organization: newOrganization(),
    roleId: await builtInRoleId(storage, "Owner"),
    now: T0,
  };
}

describe("memoryStorage", () => {
  it("is named memory, and so is its transaction-bound adapter", async () => {
    const storage = memoryStorage();
    expect(storage.name).toBe("memory");
    expect(await storage.transaction(async (tx) => tx.name)).toBe("memory");
  });

  it("seeds the built-in roles with ids 1, 2, 3 and counts ids per table from 1", async () => {
    const storage = memoryStorage();
    expect((await storage.listBuiltInRoles()).map((r) => [r.id, r.name])).toEqual([
      [1, "Owner"],
      [2, "Admin"],
      [3, "Member"],
    ]);
    const a = await signup(storage);
    const b = await signup(storage);
    expect([a.userId, a.orgId, a.memberId, b.userId, b.orgId, b.memberId]).toEqual([1, 1, 1, 2, 2, 2]);
  });

  it("shares nothing between two instances", async () => {
    const one = memoryStorage();
    const two = memoryStorage();
    const { email } = await signup(one);
    expect(await two.findUserByEmail(email)).toBeNull();
  });

  it("stores JSON columns as JSON would: undefined members are dropped", async () => {
    const storage = memoryStorage();
    const { userId } = await signup(storage, { user: { profile: { kept: 1, dropped: undefined } } });
    expect((await storage.findUserById(userId))?.profile).toStrictEqual({ kept: 1 });
  });

  it("throws STORAGE_ERROR, as a foreign key would, for a membership of a missing user or role", async () => {
    const storage = memoryStorage();
    const { userId } = await signup(storage);
    const base = { organization: newOrganization(), roleId: 1, now: T0 };
    await expect(storage.createOrganizationWithMember({ ...base, userId: 999 })).rejects.toSatisfy(
      (e) => e instanceof AuthError && e.code === "STORAGE_ERROR",
    );
    await expect(storage.createOrganizationWithMember({ ...base, userId, roleId: 999 })).rejects.toBeInstanceOf(
      AuthError,
    );
    expect(await storage.createOrganizationWithMember({ ...base, userId })).toMatchObject({ ok: true });
  });

  it("throws STORAGE_ERROR for a duplicate session id or refresh-token hash", async () => {
    const storage = memoryStorage();
    const { userId } = await signup(storage);
    const session = newSession(userId);
    const hash = tokenHash();
    await storage.createSession({ session, refreshTokenHash: hash });
    await expect(storage.createSession({ session, refreshTokenHash: tokenHash() })).rejects.toBeInstanceOf(AuthError);
    await expect(storage.createSession({ session: newSession(userId), refreshTokenHash: hash })).rejects.toBeInstanceOf(
      AuthError,
    );
  });

  it("throws STORAGE_ERROR, as the unique index would, for an invitation token hash already in use, and writes nothing", async () => {
    const storage = memoryStorage();
    const a = await signup(storage);
    const { member } = await roleIds(storage);
    const first = await invite(storage, { orgId: a.orgId, invitedBy: a.userId, roleId: member });
    const second = await invite(storage, { orgId: a.orgId, invitedBy: a.userId, roleId: member });
    const mailBefore = await storage.listMail({ limit: 100 });
    await expect(
      invite(storage, { orgId: a.orgId, invitedBy: a.userId, roleId: member, email: first.email, hash: second.hash }),
    ).rejects.toSatisfy((e) => e instanceof AuthError && e.code === "STORAGE_ERROR");
    expect((await storage.findInvitation(a.orgId, first.invitation.id))?.status).toBe(1);
    const renew = {
      orgId: a.orgId,
      invitationId: first.invitation.id,
      tokenHash: second.hash,
      expiresAt: T0 + 1,
      mail: invitationMail(first.email),
      now: T0,
    };
    await expect(storage.renewInvitation(renew)).rejects.toBeInstanceOf(AuthError);
    expect(await storage.findInvitationByTokenHash(first.hash)).toStrictEqual(first.invitation);
    expect(await storage.listMail({ limit: 100 })).toStrictEqual(mailBefore);
  });

  it("throws STORAGE_ERROR for an invitation into a missing organization, by a missing user, or with another organization's role", async () => {
    const storage = memoryStorage();
    const a = await signup(storage);
    const b = await signup(storage);
    const { member } = await roleIds(storage);
    const foreign = await storage.createRole({ orgId: b.orgId, name: "X", description: null, permissions: [] }, T0);
    if (!foreign.ok) return expect.fail("createRole failed");
    const pending = await invite(storage, { orgId: a.orgId, invitedBy: a.userId, roleId: member });
    const base = { orgId: a.orgId, invitedBy: a.userId, roleId: member, email: pending.email };
    for (const bad of [{ orgId: 999 }, { invitedBy: 999 }, { roleId: 999 }, { roleId: foreign.value.id }]) {
      await expect(invite(storage, { ...base, ...bad })).rejects.toSatisfy(
        (e) => e instanceof AuthError && e.code === "STORAGE_ERROR",
      );
    }
    expect((await storage.findInvitationByTokenHash(pending.hash))?.status).toBe(1);
    expect(await storage.listMail({ limit: 100 })).toHaveLength(1);
    await expect(storage.acceptInvitation(pending.hash, 999, T0)).rejects.toBeInstanceOf(AuthError);
    expect((await storage.findInvitationByTokenHash(pending.hash))?.status).toBe(1);
  });

  it("a read during an open transaction sees the committed state, not the transaction's writes", async () => {
    const storage = memoryStorage();
    const input = await signupInput(storage);
    const gate = deferred();
    const run = storage.transaction(async (tx) => {
      await tx.createUserWithOrganization(input);
      expect(await storage.findUserByEmail(input.user.email), "outside, during the transaction").toBeNull();
      await gate.promise;
    });
    await new Promise((r) => setTimeout(r, 5));
    expect(await storage.findUserByEmail(input.user.email), "outside, while it waits").toBeNull();
    gate.resolve();
    await run;
    expect(await storage.findUserByEmail(input.user.email), "after commit").not.toBeNull();
  });

  it("a write outside waits for an open transaction, then runs against what it committed", async () => {
    const storage = memoryStorage();
    const input = await signupInput(storage);
    const gate = deferred();
    const order: string[] = [];
    const run = storage.transaction(async (tx) => {
      await tx.createUserWithOrganization(input);
      await gate.promise;
      order.push("commit");
    });
    const outside = storage.createUserWithOrganization(await signupInput(storage, input.user.email)).then((r) => {
      order.push("outside");
      return r;
    });
    await new Promise((r) => setTimeout(r, 5));
    expect(order).toEqual([]);
    gate.resolve();
    await run;
    expect(await outside).toStrictEqual({ ok: false, conflict: "email" });
    expect(order).toEqual(["commit", "outside"]);
  });

  it("a write outside that waited for a transaction that rolled back succeeds", async () => {
    const storage = memoryStorage();
    const input = await signupInput(storage);
    const gate = deferred();
    const run = storage.transaction(async (tx) => {
      await tx.createUserWithOrganization(input);
      await gate.promise;
      throw new Error("rollback");
    });
    const outside = storage.createUserWithOrganization(await signupInput(storage, input.user.email));
    gate.resolve();
    await expect(run).rejects.toThrow("rollback");
    expect((await outside).ok).toBe(true);
  });

  it("transactions run one at a time, in arrival order", async () => {
    const storage = memoryStorage();
    const order: string[] = [];
    const gate = deferred();
    const first = storage.transaction(async () => {
      order.push("first:start");
      await gate.promise;
      order.push("first:end");
    });
    const second = storage.transaction(async () => {
      order.push("second:start");
    });
    await new Promise((r) => setTimeout(r, 5));
    gate.resolve();
    await Promise.all([first, second]);
    expect(order).toEqual(["first:start", "first:end", "second:start"]);
  });

  it("calls on the bound adapter, nested transactions included, do not wait for the lock", async () => {
    const storage = memoryStorage();
    const input = await signupInput(storage);
    const result = await storage.transaction(async (tx) => {
      await tx.createUserWithOrganization(input);
      return tx.transaction(async (inner) =>
        inner.transaction(async (innermost) => innermost.findUserByEmail(input.user.email)),
      );
    });
    expect(result?.email).toBe(input.user.email);
  });

  it("a nested transaction that throws undoes only its own writes when the outer one catches the error", async () => {
    const storage = memoryStorage();
    const kept = await signupInput(storage);
    const undone = await signupInput(storage);
    await storage.transaction(async (tx) => {
      await tx.createUserWithOrganization(kept);
      await tx
        .transaction(async (inner) => {
          await inner.createUserWithOrganization(undone);
          throw new Error("inner");
        })
        .catch(() => undefined);
    });
    expect(await storage.findUserByEmail(kept.user.email)).not.toBeNull();
    expect(await storage.findUserByEmail(undone.user.email)).toBeNull();
  });

  it("the bound adapter refuses calls once its transaction has ended", async () => {
    const storage = memoryStorage();
    let leaked: StorageAdapter | undefined;
    await storage.transaction(async (tx) => {
      leaked = tx;
    });
    await expect(leaked!.listBuiltInRoles()).rejects.toBeInstanceOf(AuthError);
    await expect(leaked!.createUserWithOrganization(await signupInput(storage))).rejects.toBeInstanceOf(AuthError);
  });

  it("stored rows are frozen, so no code path can change them in place", async () => {
    const storage = memoryStorage();
    const { userId } = await signup(storage, { user: { profile: { a: { b: 1 } } } });
    const found = await storage.findUserById(userId);
    expect(Object.isFrozen(found)).toBe(false);
    found!.profile.a = 2;
    expect((await storage.findUserById(userId))?.profile).toStrictEqual({ a: { b: 1 } });
  });
});
