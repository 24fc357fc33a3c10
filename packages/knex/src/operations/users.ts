import type {
  CreateUserWithOrganizationInput,
  CreateUserWithOrganizationResult,
  NewUser,
  UserRecord,
} from "@tenantauth/core";
import { atomic, ConflictSignal, type Db, insertIdOrConflict } from "../db.js";
import { type Row, toJson, toUser } from "../rows.js";
import { insertMember, insertOrganization } from "./organizations.js";

/** Inserts a user; a taken email throws ConflictSignal("email"). */
export async function insertUser(db: Db, user: NewUser, now: number): Promise<UserRecord> {
  const row: Row = {
    email: user.email,
    password: user.passwordHash,
    profile: toJson(user.profile),
    status: user.status,
    settings: toJson(user.settings),
    email_verified_at: user.emailVerifiedAt,
    created_at: now,
    updated_at: now,
  };
  const id = await insertIdOrConflict(db, db.t.users, row, "email");
  return toUser({ ...row, id }); // built from what was written, so it shares nothing with the input
}

/** See StorageAdapter.createUserWithOrganization. The user is inserted first, so a taken email wins over a taken name. */
export async function createUserWithOrganization(
  db: Db,
  input: CreateUserWithOrganizationInput,
): Promise<CreateUserWithOrganizationResult> {
  try {
    return await atomic(db, async (tx) => {
      const user = await insertUser(tx, input.user, input.now);
      const organization = await insertOrganization(tx, input.organization, input.now);
      const member = await insertMember(tx, organization.id, user.id, input.roleId, input.now);
      return { ok: true as const, user, organization, member };
    });
  } catch (error) {
    if (error instanceof ConflictSignal)
      return { ok: false, conflict: error.conflict as "email" | "organization_name" };
    throw error;
  }
}

/** See StorageAdapter.findUserByEmail. */
export async function findUserByEmail(db: Db, email: string): Promise<UserRecord | null> {
  const row = (await db.q(db.t.users).where({ email }).first()) as Row | undefined;
  return row ? toUser(row) : null;
}

/** See StorageAdapter.findUserById. */
export async function findUserById(db: Db, id: number): Promise<UserRecord | null> {
  const row = (await db.q(db.t.users).where({ id }).first()) as Row | undefined;
  return row ? toUser(row) : null;
}

/** See StorageAdapter.updateUserPasswordHash. */
export async function updateUserPasswordHash(
  db: Db,
  userId: number,
  passwordHash: string,
  now: number,
): Promise<boolean> {
  const updated = await db.q(db.t.users).where({ id: userId }).update({ password: passwordHash, updated_at: now });
  // A MySQL connection without CLIENT_FOUND_ROWS counts changed rows, not matched ones: 0 may still mean "exists".
  return updated > 0 || (db.dialect === "mysql" && userExists(db, userId));
}

/** True when the user exists; for updates whose affected-row count cannot tell (see updateUserPasswordHash). */
async function userExists(db: Db, userId: number): Promise<boolean> {
  return (await db.q(db.t.users).where({ id: userId }).first("id")) !== undefined;
}

/** See TenancyStorage.markEmailVerified: the first verification time stays. */
export async function markEmailVerified(db: Db, userId: number, now: number): Promise<boolean> {
  const updated = await db
    .q(db.t.users)
    .where({ id: userId })
    .whereNull("email_verified_at")
    .update({ email_verified_at: now, updated_at: now });
  return updated > 0 || userExists(db, userId);
}

/** See TenancyStorage.updateUserStatus. */
export async function updateUserStatus(db: Db, userId: number, status: number, now: number): Promise<boolean> {
  const updated = await db.q(db.t.users).where({ id: userId }).update({ status, updated_at: now });
  return updated > 0 || (db.dialect === "mysql" && userExists(db, userId));
}
