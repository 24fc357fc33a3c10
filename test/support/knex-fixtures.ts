import { type CreateUserWithOrganizationResult, type StorageAdapter, USER_STATUS } from "@tenantauth/core";
import { type KnexStorage, knexStorage } from "@tenantauth/knex";
import { afterEach } from "vitest";
import { mysqlAvailability, mysqlTestDatabase } from "./mysql.js";
import { sqliteTestFile } from "./sqlite.js";

/** Fixtures of the Knex adapter's own tests (the conformance suite has its own). */

export const T0 = 1_700_000_000_000;
export const HOUR = 3_600_000;

let seq = 0;
/** A value no other call in this process returns. */
export const unique = (): string => `${++seq}-${Math.random().toString(36).slice(2, 10)}`;
/** A unique 64-character stand-in for a SHA-256 hex digest. */
export const hash = (): string => `${unique()}${"0".repeat(64)}`.slice(0, 64);

/** A SQL database the Knex tests run on; `database()` gives a fresh, empty one per call. */
export interface KnexTarget {
  name: "sqlite" | "mysql";
  available: boolean;
  database(): Promise<{ url: string; cleanup(): Promise<void> }>;
}

const mysql = await mysqlAvailability();

/** SQLite (a temp file) always; MySQL when available (see mysql.ts), else listed as unavailable. */
export const knexTargets: KnexTarget[] = [
  {
    name: "sqlite",
    available: true,
    async database() {
      const file = await sqliteTestFile();
      return { url: `sqlite:${file.path}`, cleanup: file.cleanup };
    },
  },
  { name: "mysql", available: mysql.available, database: () => mysqlTestDatabase() },
];

/** A fresh database with one migrated adapter on it, and `open()` for more adapters (app nodes with own pools). */
export interface KnexSetup {
  url: string;
  storage: KnexStorage;
  open(tablePrefix?: string): KnexStorage;
}

/**
 * Call inside a `describe`: returns `setup()`, which gives each test its own database; everything it opened is
 * destroyed after the test.
 */
export function useKnexDatabases(
  target: KnexTarget,
): (options?: { prefix?: string; migrate?: boolean }) => Promise<KnexSetup> {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return async (options = {}) => {
    const db = await target.database();
    cleanups.push(db.cleanup);
    const open = (tablePrefix = options.prefix ?? ""): KnexStorage => {
      const storage = knexStorage(db.url, { tablePrefix });
      cleanups.push(() => storage.destroy());
      return storage;
    };
    const storage = open();
    if (options.migrate !== false) await storage.migrate();
    return { url: db.url, storage, open };
  };
}

/** A user with an organization, through the port; throws on a conflict (with the conflict in the message). */
export async function signup(
  storage: StorageAdapter,
  email = `u-${unique()}@example.test`,
  orgName = `org-${unique()}`,
): Promise<Extract<CreateUserWithOrganizationResult, { ok: true }>> {
  const owner = (await storage.listBuiltInRoles()).find((r) => r.name === "Owner")!;
  const result = await storage.createUserWithOrganization({
    user: {
      email,
      passwordHash: "$argon2id$x",
      profile: {},
      status: USER_STATUS.active,
      settings: {},
      emailVerifiedAt: null,
    },
    organization: { name: orgName, details: null, status: 1, personal: false, settings: {} },
    roleId: owner.id,
    now: T0,
  });
  if (!result.ok) throw new Error(`signup conflict: ${result.conflict}`);
  return result;
}

/** A session of the user (idle deadline in an hour) and the hash of its refresh token. */
export async function startSession(storage: StorageAdapter, userId: number) {
  const token = hash();
  const session = await storage.createSession({
    session: {
      id: unique(),
      userId,
      createdAt: T0,
      lastUsedAt: T0,
      idleExpiresAt: T0 + HOUR,
      expiresAt: T0 + 24 * HOUR,
      ip: null,
      userAgent: null,
    },
    refreshTokenHash: token,
  });
  return { session, token };
}

/** Invites `email` into `orgId` with `roleId` (through the port); returns the invitation's token hash. */
export async function invite(
  storage: StorageAdapter,
  orgId: number,
  email: string,
  roleId: number,
  invitedBy: number,
): Promise<string> {
  const tokenHash = hash();
  await storage.createInvitation({
    invitation: { orgId, email, roleId, invitedBy, tokenHash, expiresAt: T0 + HOUR },
    mail: { template: "invitation", recipient: email, payload: { sealedToken: "x" }, availableAt: T0 },
    now: T0,
  });
  return tokenHash;
}
