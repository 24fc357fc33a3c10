import { createHash, randomBytes } from "node:crypto";
import {
  MEMBER_STATUS,
  type NewOrganization,
  type NewSession,
  type NewUser,
  ORGANIZATION_STATUS,
  type RotateRefreshTokenResult,
  type SessionRecord,
  type StorageAdapter,
  USER_STATUS,
} from "@tenantauth/core";
import { expect } from "vitest";

/** Gives the storage under test to a test; `storage()` is fresh for each test. */
export interface Harness {
  storage(): StorageAdapter;
}

/** An instant well inside the range of every timestamp column (epoch ms). */
export const T0 = 1_700_000_000_000;
/** 2100-01-01T00:00:00Z: does not fit in 32 bits, so it needs a BIGINT column. */
export const FAR_FUTURE = 4_102_444_800_000;
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** A JSON object that trips up careless column types, encodings and serialisers. */
export const RICH_JSON = {
  name: "Zoë Ñúñez 山田太郎 🚀",
  "ключ с пробелом": "значение",
  nested: { deep: { list: [1, 2.5, -3, 0, "x", null, true, false, { k: "v" }, []] } },
  empty: {},
  emptyList: [],
  flag: false,
  nothing: null,
  big: 9007199254740991,
  escapes: "quote \" apostrophe ' backslash \\ newline \n tab \t",
} as const;

let counter = 0;
/** A value no other call returns, in this process or (very probably) any other sharing the database. */
export function unique(): string {
  counter += 1;
  return `${counter.toString(36)}${randomBytes(5).toString("hex")}`;
}

/** A SHA-256 hex digest of a fresh random token, as core stores refresh tokens. */
export function tokenHash(): string {
  return createHash("sha256").update(randomBytes(32)).digest("hex");
}

/** A valid `NewUser` with a unique email. */
export function newUser(overrides: Partial<NewUser> = {}): NewUser {
  return {
    email: `user-${unique()}@example.test`,
    passwordHash: `$argon2id$v=19$m=19456,t=2,p=1$${unique()}$${randomBytes(32).toString("base64")}`,
    profile: {},
    status: USER_STATUS.active,
    settings: {},
    emailVerifiedAt: null,
    ...overrides,
  };
}

/** A valid, active, non-personal `NewOrganization` with a unique name. */
export function newOrganization(overrides: Partial<NewOrganization> = {}): NewOrganization {
  return {
    name: `org-${unique()}`,
    details: null,
    status: ORGANIZATION_STATUS.active,
    personal: false,
    settings: {},
    ...overrides,
  };
}

/** The id of the built-in role with this name; fails the test when it is missing. */
export async function builtInRoleId(storage: StorageAdapter, name: "Owner" | "Admin" | "Member"): Promise<number> {
  const role = (await storage.listBuiltInRoles()).find((r) => r.name === name);
  expect(role, `built-in role ${name}`).toBeDefined();
  return role!.id;
}

/** Signs a user up (user + organization + Owner membership) and fails the test unless it worked. */
export async function signup(
  storage: StorageAdapter,
  options: { user?: Partial<NewUser>; organization?: Partial<NewOrganization>; now?: number } = {},
): Promise<{ userId: number; orgId: number; memberId: number; email: string; orgName: string }> {
  const result = await storage.createUserWithOrganization({
    user: newUser(options.user),
    organization: newOrganization(options.organization),
    roleId: await builtInRoleId(storage, "Owner"),
    now: options.now ?? T0,
  });
  if (!result.ok) expect.fail(`signup failed with conflict ${result.conflict}`);
  return {
    userId: result.user.id,
    orgId: result.organization.id,
    memberId: result.member.id,
    email: result.user.email,
    orgName: result.organization.name,
  };
}

/** A `NewSession` of the user, created at `T0`, idle deadline in an hour, absolute in thirty days. */
export function newSession(userId: number, overrides: Partial<NewSession> = {}): NewSession {
  return {
    id: randomBytes(16).toString("base64url"),
    userId,
    createdAt: T0,
    lastUsedAt: T0,
    idleExpiresAt: T0 + HOUR,
    expiresAt: T0 + 30 * DAY,
    ip: null,
    userAgent: null,
    ...overrides,
  };
}

/** Creates a session and returns it with the hash of its first refresh token. */
export async function startSession(
  storage: StorageAdapter,
  userId: number,
  overrides: Partial<NewSession> = {},
): Promise<{ session: SessionRecord; token: string }> {
  const token = tokenHash();
  const session = await storage.createSession({ session: newSession(userId, overrides), refreshTokenHash: token });
  return { session, token };
}

/** The membership status every membership written by the port starts with. */
export const ACTIVE_MEMBER = MEMBER_STATUS.active;

/**
 * Presents `token` to `rotateRefreshToken` at `now`, installing `next` (a fresh hash by default) with an idle
 * deadline `idleMs` later (an hour by default).
 */
export function rotate(
  storage: StorageAdapter,
  token: string,
  now: number,
  options: { next?: string; idleMs?: number; graceMs?: number } = {},
): Promise<RotateRefreshTokenResult> {
  return storage.rotateRefreshToken({
    tokenHash: token,
    newTokenHash: options.next ?? tokenHash(),
    now,
    idleExpiresAt: now + (options.idleMs ?? HOUR),
    ...(options.graceMs === undefined ? {} : { reuseGraceMs: options.graceMs }),
  });
}
