import type {
  InvitationRecord,
  JsonObject,
  MemberRecord,
  OrganizationRecord,
  RoleRecord,
  SessionRecord,
  UserRecord,
} from "@tenantauth/core";

/**
 * Row → record mappers. Drivers disagree on types: PostgreSQL returns BIGINT and COUNT as strings, MariaDB
 * returns JSON columns as strings (JSON is LONGTEXT there), SQLite stores JSON as text, MySQL and SQLite return
 * booleans as 0/1. Every value is normalised here, so records look the same whatever the database.
 */
export type Row = Record<string, unknown>;

/** A number from a number, bigint or numeric string. */
export const num = (value: unknown): number => (typeof value === "number" ? value : Number(value));

/** A number, or null for SQL NULL. */
export const numOrNull = (value: unknown): number | null => (value === null || value === undefined ? null : num(value));

const strOrNull = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));

const parsed = (value: unknown): unknown => (typeof value === "string" ? JSON.parse(value) : value);

/** A JSON object column (`profile`, `settings`). */
export const jsonObject = (value: unknown): JsonObject => {
  const v = parsed(value);
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as JsonObject) : {};
};

/** A JSON array-of-strings column (`permissions`). */
export const stringArray = (value: unknown): string[] => {
  const v = parsed(value);
  return Array.isArray(v) ? v.map(String) : [];
};

/** A boolean column (MySQL TINYINT(1), SQLite integer, PostgreSQL boolean). */
export const bool = (value: unknown): boolean => value === true || value === 1 || value === "1" || value === 1n;

/** Serialises a JSON column value for writing (every driver accepts the text form). */
export const toJson = (value: unknown): string => JSON.stringify(value);

/**
 * Reads column `name` from a row, optionally under an alias prefix (`o_name` for prefix `o_`): joined queries
 * select each table's columns with a prefix so that `id` and `status` do not collide.
 */
const col = (row: Row, prefix: string, name: string): unknown => row[`${prefix}${name}`];

/** A `users` row. */
export function toUser(row: Row, p = ""): UserRecord {
  return {
    id: num(col(row, p, "id")),
    email: String(col(row, p, "email")),
    passwordHash: String(col(row, p, "password")),
    profile: jsonObject(col(row, p, "profile")),
    status: num(col(row, p, "status")),
    settings: jsonObject(col(row, p, "settings")),
    emailVerifiedAt: numOrNull(col(row, p, "email_verified_at")),
    createdAt: num(col(row, p, "created_at")),
    updatedAt: num(col(row, p, "updated_at")),
  };
}

/** An `organizations` row. */
export function toOrganization(row: Row, p = ""): OrganizationRecord {
  return {
    id: num(col(row, p, "id")),
    name: String(col(row, p, "name")),
    details: strOrNull(col(row, p, "details")),
    status: num(col(row, p, "status")),
    personal: bool(col(row, p, "personal")),
    settings: jsonObject(col(row, p, "settings")),
    createdAt: num(col(row, p, "created_at")),
    updatedAt: num(col(row, p, "updated_at")),
  };
}

/** A `members` row. */
export function toMember(row: Row, p = ""): MemberRecord {
  return {
    id: num(col(row, p, "id")),
    orgId: num(col(row, p, "org_id")),
    userId: num(col(row, p, "user_id")),
    roleId: num(col(row, p, "role_id")),
    status: num(col(row, p, "status")),
    settings: jsonObject(col(row, p, "settings")),
    createdAt: num(col(row, p, "created_at")),
    updatedAt: num(col(row, p, "updated_at")),
  };
}

/** A `roles` row. */
export function toRole(row: Row, p = ""): RoleRecord {
  return {
    id: num(col(row, p, "id")),
    name: String(col(row, p, "name")),
    description: strOrNull(col(row, p, "description")),
    orgId: numOrNull(col(row, p, "org_id")),
    permissions: stringArray(col(row, p, "permissions")),
  };
}

/** A `sessions` row. */
export function toSession(row: Row, p = ""): SessionRecord {
  return {
    id: String(col(row, p, "id")),
    userId: num(col(row, p, "user_id")),
    createdAt: num(col(row, p, "created_at")),
    lastUsedAt: num(col(row, p, "last_used_at")),
    idleExpiresAt: num(col(row, p, "idle_expires_at")),
    expiresAt: num(col(row, p, "expires_at")),
    revokedAt: numOrNull(col(row, p, "revoked_at")),
    revokeReason: strOrNull(col(row, p, "revoke_reason")),
    ip: strOrNull(col(row, p, "ip")),
    userAgent: strOrNull(col(row, p, "user_agent")),
    activeOrgId: numOrNull(col(row, p, "active_org_id")),
  };
}

/** An `invitations` row (the token hash stays in the database). */
export function toInvitation(row: Row, p = ""): InvitationRecord {
  return {
    id: num(col(row, p, "id")),
    orgId: num(col(row, p, "org_id")),
    email: String(col(row, p, "email")),
    roleId: num(col(row, p, "role_id")),
    invitedBy: num(col(row, p, "invited_by")),
    status: num(col(row, p, "status")),
    expiresAt: num(col(row, p, "expires_at")),
    createdAt: num(col(row, p, "created_at")),
    updatedAt: num(col(row, p, "updated_at")),
    acceptedAt: numOrNull(col(row, p, "accepted_at")),
    acceptedBy: numOrNull(col(row, p, "accepted_by")),
  };
}

/** Columns of each table, for aliased selects in joins (`columnsAs("o", "o_", ORGANIZATION_COLUMNS)`). */
export const USER_COLUMNS = [
  "id",
  "email",
  "password",
  "profile",
  "status",
  "settings",
  "email_verified_at",
  "created_at",
  "updated_at",
] as const;
export const ORGANIZATION_COLUMNS = [
  "id",
  "name",
  "details",
  "status",
  "personal",
  "settings",
  "created_at",
  "updated_at",
] as const;
export const MEMBER_COLUMNS = [
  "id",
  "org_id",
  "user_id",
  "role_id",
  "status",
  "settings",
  "created_at",
  "updated_at",
] as const;
export const ROLE_COLUMNS = ["id", "name", "description", "org_id", "permissions"] as const;
export const SESSION_COLUMNS = [
  "id",
  "user_id",
  "created_at",
  "last_used_at",
  "idle_expires_at",
  "expires_at",
  "revoked_at",
  "revoke_reason",
  "ip",
  "user_agent",
  "active_org_id",
] as const;

export const INVITATION_COLUMNS = [
  "id",
  "org_id",
  "email",
  "role_id",
  "invited_by",
  "status",
  "expires_at",
  "created_at",
  "updated_at",
  "accepted_at",
  "accepted_by",
] as const;

/** `{ o_id: "o.id", … }`: a knex select map that reads table alias `alias`'s columns under prefix `prefix`. */
export function columnsAs(alias: string, prefix: string, columns: readonly string[]): Record<string, string> {
  return Object.fromEntries(columns.map((c) => [`${prefix}${c}`, `${alias}.${c}`]));
}
