import { setTimeout as sleep } from "node:timers/promises";
import { expect, it } from "vitest";
import {
  builtInRoleId,
  type Harness,
  newOrganization,
  newSession,
  newUser,
  rotate,
  signup,
  startSession,
  T0,
  tokenHash,
} from "./fixtures.js";

class Rollback extends Error {
  override readonly name = "Rollback";
}

/** Tests of `transaction(fn)`: commit, rollback, nesting and isolation. */
export function registerTransactionTests(h: Harness): void {
  it("transaction resolves to what fn returns and commits every write made through the bound adapter", async () => {
    const storage = h.storage();
    const user = newUser();
    const ownerId = await builtInRoleId(storage, "Owner");
    const result = await storage.transaction(async (tx) => {
      const created = await tx.createUserWithOrganization({
        user,
        organization: newOrganization(),
        roleId: ownerId,
        now: T0,
      });
      if (!created.ok) throw new Error(`unexpected conflict ${created.conflict}`);
      const session = await tx.createSession({ session: newSession(created.user.id), refreshTokenHash: tokenHash() });
      return { userId: created.user.id, orgId: created.organization.id, sessionId: session.id };
    });
    expect((await storage.findUserByEmail(user.email))?.id).toBe(result.userId);
    expect((await storage.findOrganizationById(result.orgId))?.id).toBe(result.orgId);
    expect((await storage.findSessionById(result.sessionId))?.userId).toBe(result.userId);
  });

  it("inside a transaction, the bound adapter reads its own uncommitted writes", async () => {
    const storage = h.storage();
    const { userId } = await signup(storage);
    await storage.transaction(async (tx) => {
      expect(await tx.updateUserPasswordHash(userId, "$argon2id$changed", T0 + 1)).toBe(true);
      expect((await tx.findUserById(userId))?.passwordHash).toBe("$argon2id$changed");
      const session = await tx.createSession({ session: newSession(userId), refreshTokenHash: tokenHash() });
      expect(await tx.findSessionById(session.id)).toStrictEqual(session);
    });
  });

  it("when fn throws, every write it made is undone and the very same error is rethrown", async () => {
    const storage = h.storage();
    const existing = await signup(storage);
    const live = await startSession(storage, existing.userId);
    const userBefore = await storage.findUserById(existing.userId);
    const orgsBefore = await storage.listUserOrganizations(existing.userId);
    const user = newUser();
    const orgName = newOrganization().name;
    const secondOrgName = newOrganization().name;
    const sessionId = newSession(existing.userId).id;
    const ownerId = await builtInRoleId(storage, "Owner");
    const error = new Rollback("stop");
    const run = storage.transaction(async (tx) => {
      const created = await tx.createUserWithOrganization({
        user,
        organization: newOrganization({ name: orgName }),
        roleId: ownerId,
        now: T0,
      });
      expect(created.ok).toBe(true);
      const org = await tx.createOrganizationWithMember({
        organization: newOrganization({ name: secondOrgName }),
        userId: existing.userId,
        roleId: ownerId,
        now: T0,
      });
      expect(org.ok).toBe(true);
      expect(await tx.updateUserPasswordHash(existing.userId, "$argon2id$rolled-back", T0 + 1)).toBe(true);
      await tx.createSession({
        session: newSession(existing.userId, { id: sessionId }),
        refreshTokenHash: tokenHash(),
      });
      expect((await rotate(tx, live.token, T0 + 1)).status).toBe("rotated");
      expect(await tx.revokeUserSessions(existing.userId, "signout_all", T0 + 2)).toBeGreaterThan(0);
      throw error;
    });
    await expect(run).rejects.toBe(error);
    expect(await storage.findUserByEmail(user.email)).toBeNull();
    expect(await storage.findUserById(existing.userId)).toStrictEqual(userBefore);
    expect(await storage.listUserOrganizations(existing.userId)).toStrictEqual(orgsBefore);
    expect(await storage.findSessionById(sessionId)).toBeNull();
    expect(await storage.findSessionById(live.session.id)).toStrictEqual(live.session);
    expect((await rotate(storage, live.token, T0 + 3)).status, "the rolled-back rotation left the token current").toBe(
      "rotated",
    );
    await signup(storage, { user: { email: user.email }, organization: { name: orgName } });
    const again = await storage.createOrganizationWithMember({
      organization: newOrganization({ name: secondOrgName }),
      userId: existing.userId,
      roleId: ownerId,
      now: T0 + 4,
    });
    expect(again.ok, "the rolled-back organization name is free").toBe(true);
  });

  it("a nested transaction on the bound adapter is part of the same transaction: it commits and rolls back with it", async () => {
    const storage = h.storage();
    const committed = newUser();
    const rolledBack = newUser();
    const ownerId = await builtInRoleId(storage, "Owner");
    const create = (tx: typeof storage, user: typeof committed) =>
      tx.transaction((inner) =>
        inner.createUserWithOrganization({ user, organization: newOrganization(), roleId: ownerId, now: T0 }),
      );
    await storage.transaction(async (tx) => {
      expect((await create(tx, committed)).ok).toBe(true);
      expect(await tx.findUserByEmail(committed.email)).not.toBeNull();
    });
    expect(await storage.findUserByEmail(committed.email)).not.toBeNull();
    const error = new Rollback("outer");
    await expect(
      storage.transaction(async (tx) => {
        expect((await create(tx, rolledBack)).ok).toBe(true);
        throw error;
      }),
    ).rejects.toBe(error);
    expect(await storage.findUserByEmail(rolledBack.email)).toBeNull();
  });

  it("a conflict inside a transaction is a value: the transaction goes on and commits its other writes", async () => {
    const storage = h.storage();
    const existing = await signup(storage);
    const ownerId = await builtInRoleId(storage, "Owner");
    const later = newOrganization();
    await storage.transaction(async (tx) => {
      const clash = await tx.createUserWithOrganization({
        user: newUser({ email: existing.email }),
        organization: newOrganization(),
        roleId: ownerId,
        now: T0,
      });
      expect(clash).toStrictEqual({ ok: false, conflict: "email" });
      const org = await tx.createOrganizationWithMember({
        organization: later,
        userId: existing.userId,
        roleId: ownerId,
        now: T0 + 1,
      });
      expect(org.ok).toBe(true);
    });
    const names = (await storage.listUserOrganizations(existing.userId)).map((o) => o.organization.name);
    expect(names).toEqual([existing.orgName, later.name]);
  });

  it("other callers never see a transaction's uncommitted writes, even while it is open", async () => {
    const storage = h.storage();
    const user = newUser();
    const ownerId = await builtInRoleId(storage, "Owner");
    let wrote!: () => void;
    const written = new Promise<void>((resolve) => {
      wrote = resolve;
    });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const error = new Rollback("after the read");
    const run = storage.transaction(async (tx) => {
      await tx.createUserWithOrganization({ user, organization: newOrganization(), roleId: ownerId, now: T0 });
      wrote();
      await gate;
      throw error;
    });
    await written;
    // The read may run now (isolated) or wait for the transaction to end (locking); it must never see the row.
    const read = storage.findUserByEmail(user.email);
    await Promise.race([read, sleep(50)]);
    release();
    await expect(run).rejects.toBe(error);
    expect(await read).toBeNull();
  });
}
