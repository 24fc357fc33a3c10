import type {
  CreateUserWithOrganizationInput,
  CreateUserWithOrganizationResult,
  NewUser,
  UserRecord,
} from "@tenantauth/core";
import { uniqueNameKey } from "@tenantauth/core";
import { deepFreeze, detach, jsonColumn } from "./copy.js";
import { checkRoleUsable, insertMember } from "./memberships.js";
import { insertOrganization } from "./organizations.js";
import { nextId, type Tables } from "./state.js";

/** Inserts a user. The caller has checked that the email is free. */
export function insertUser(tables: Tables, user: NewUser, now: number): UserRecord {
  const id = nextId(tables, "users");
  const row: UserRecord = deepFreeze({
    id,
    email: user.email,
    passwordHash: user.passwordHash,
    profile: jsonColumn(user.profile),
    status: user.status,
    settings: jsonColumn(user.settings),
    emailVerifiedAt: user.emailVerifiedAt,
    createdAt: now,
    updatedAt: now,
  });
  tables.users.set(id, row);
  tables.userIdByEmail.set(row.email, id);
  return row;
}

/** Inserts the user, the organization and the membership, or nothing when a unique key is taken. */
export function createUserWithOrganization(
  tables: Tables,
  input: CreateUserWithOrganizationInput,
): CreateUserWithOrganizationResult {
  if (tables.userIdByEmail.has(input.user.email)) return { ok: false, conflict: "email" };
  if (tables.organizationIdByNameKey.has(uniqueNameKey(input.organization.name))) {
    return { ok: false, conflict: "organization_name" };
  }
  checkRoleUsable(tables, input.roleId, null);
  const user = insertUser(tables, input.user, input.now);
  const organization = insertOrganization(tables, input.organization, input.now);
  const member = insertMember(tables, { orgId: organization.id, userId: user.id, roleId: input.roleId }, input.now);
  return { ok: true, user: detach(user), organization: detach(organization), member: detach(member) };
}

/** The user with exactly this email, or null. */
export function findUserByEmail(tables: Tables, email: string): UserRecord | null {
  const id = tables.userIdByEmail.get(email);
  return id === undefined ? null : findUserById(tables, id);
}

/** The user with this id, or null. */
export function findUserById(tables: Tables, id: number): UserRecord | null {
  const row = tables.users.get(id);
  return row ? detach(row) : null;
}

/** Replaces the password hash; false when there is no such user. */
export function updateUserPasswordHash(tables: Tables, userId: number, passwordHash: string, now: number): boolean {
  const row = tables.users.get(userId);
  if (!row) return false;
  tables.users.set(userId, deepFreeze({ ...row, passwordHash, updatedAt: now }));
  return true;
}
