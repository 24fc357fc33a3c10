import { AuthError, type StorageAdapter, USER_STATUS } from "@tenantauth/core";
import { type KnexStorage, knexStorage } from "@tenantauth/knex";
import type { Knex } from "knex";
import knexFactory from "knex";
import { afterEach, describe, expect, it } from "vitest";
import { authErrorOf } from "./support/errors.js";
import { mysqlAvailability, mysqlTestDatabase } from "./support/mysql.js";
import { sqliteTestFile } from "./support/sqlite.js";

// What the storage conformance suite cannot see through the port: the schema (prefix, indexes, migrations),
// driver-error wrapping, several adapters (app nodes) sharing one database, deadlock retry, session settings.

const T0 = 1_700_000_000_000;
const HOUR = 3_600_000;
let seq = 0;
const unique = (): string => `${++seq}-${Math.random().toString(36).slice(2, 10)}`;
const hash = (): string => (unique() + "0".repeat(64)).slice(0, 64);

/** A database for one test, by URL. */
interface Target {
  name: "sqlite" | "mysql";
  available: boolean;
  database(): Promise<{ url: string; cleanup(): Promise<void> }>;
}

const mysql = await mysqlAvailability();
const targets: Target[] = [
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

async function signup(storage: StorageAdapter, email = `u-${unique()}@example.test`, orgName = `org-${unique()}`) {
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

async function startSession(storage: StorageAdapter, userId: number) {
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

/** `unique(a,b)` / `index(a)` for each secondary index of `table`. */
async function indexesOf(knex: Knex, dialect: string, table: string): Promise<string[]> {
  const byName = new Map<string, { unique: boolean; columns: string[] }>();
  if (dialect === "mysql") {
    const rows = (await knex("information_schema.STATISTICS")
      .where({ TABLE_SCHEMA: knex.raw("database()"), TABLE_NAME: table })
      .whereNot({ INDEX_NAME: "PRIMARY" })
      .orderBy(["INDEX_NAME", "SEQ_IN_INDEX"])
      .select({ name: "INDEX_NAME", nonUnique: "NON_UNIQUE", column: "COLUMN_NAME" })) as Array<{
      name: string;
      nonUnique: number;
      column: string;
    }>;
    for (const r of rows) {
      const entry = byName.get(r.name) ?? { unique: Number(r.nonUnique) === 0, columns: [] };
      entry.columns.push(r.column);
      byName.set(r.name, entry);
    }
  } else {
    const list = (await knex.raw("PRAGMA index_list(??)", [table])) as Array<{
      name: string;
      unique: number;
      origin: string;
    }>;
    for (const index of list.filter((i) => i.origin !== "pk")) {
      const info = (await knex.raw("PRAGMA index_info(??)", [index.name])) as Array<{ seqno: number; name: string }>;
      byName.set(index.name, {
        unique: index.unique === 1,
        columns: info.sort((a, b) => a.seqno - b.seqno).map((c) => c.name),
      });
    }
  }
  return [...byName.values()].map((i) => `${i.unique ? "unique" : "index"}(${i.columns.join(",")})`).sort();
}

for (const target of targets) {
  describe.skipIf(!target.available)(
    `knex storage on ${target.name}${target.available ? "" : " (skipped: no MySQL)"}`,
    () => {
      const cleanups: Array<() => Promise<void>> = [];
      afterEach(async () => {
        for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
      });

      /** A fresh database; `storages` adapters on it (app nodes with their own pools), migrated with `prefix`. */
      async function setup(options: { prefix?: string; migrate?: boolean } = {}) {
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
      }

      it("migrate is idempotent and creates the prefixed tables, their indexes and the built-in roles", async () => {
        const { storage } = await setup({ prefix: "ta_" });
        await storage.migrate();
        const { knex } = storage;
        for (const table of ["users", "organizations", "roles", "members", "sessions", "refresh_tokens"]) {
          expect(await knex.schema.hasTable(`ta_${table}`), `ta_${table}`).toBe(true);
          expect(await knex.schema.hasTable(table), `unprefixed ${table}`).toBe(false);
        }
        expect(await knex("ta_tenantauth_migrations").pluck("name")).toEqual(["0001_initial_schema"]);
        expect(await knex.schema.hasTable("ta_tenantauth_migrations_lock")).toBe(true);
        expect(await knex.schema.hasTable("knex_migrations")).toBe(false);
        expect((await storage.listBuiltInRoles()).map((r) => r.name)).toEqual(["Owner", "Admin", "Member"]);
        expect(await knex("ta_roles").count({ n: "*" })).toEqual([{ n: 3 }]);

        const has = async (table: string, expected: string[]) =>
          expect(await indexesOf(knex, storage.dialect, `ta_${table}`), table).toEqual(
            expect.arrayContaining(expected),
          );
        await has("users", ["unique(email)"]);
        await has("organizations", ["unique(name)"]);
        await has("roles", ["unique(org_id,name)"]);
        await has("members", ["unique(org_id,user_id)", "index(user_id)", "index(org_id,role_id)"]);
        await has("sessions", ["index(user_id)"]);
        await has("refresh_tokens", ["index(session_id)"]);
      });

      it("two table prefixes are two independent stores in one database", async () => {
        const { storage: a, open } = await setup({ prefix: "a_" });
        const b = open("b_");
        await b.migrate();
        const email = `same-${unique()}@example.test`;
        const name = `same-${unique()}`;
        const inA = await signup(a, email, name);
        const inB = await signup(b, email, name);
        expect(inB.user.id).toBe(inA.user.id); // both tables start at 1: proof they are separate
        await a.updateUserPasswordHash(inA.user.id, "$changed-in-a", T0 + 1);
        expect((await b.findUserByEmail(email))?.passwordHash).toBe("$argon2id$x");
      });

      it("a caller's Knex instance is used as is and never destroyed by the adapter", async () => {
        const { storage: owner, url } = await setup();
        const parsed = (await import("@tenantauth/knex")).parseDatabaseUrl(url);
        const knex = knexFactory(parsed.config);
        try {
          const storage = knexStorage(knex);
          expect(storage.knex).toBe(knex);
          const { user } = await signup(storage);
          await storage.destroy();
          expect((await owner.findUserById(user.id))?.id).toBe(user.id);
          expect(await knex(`users`).where({ id: user.id }).pluck("id")).toHaveLength(1);
        } finally {
          await knex.destroy();
        }
      });

      it("an unmigrated database gives STORAGE_ERROR, the driver error as cause, and no SQL or values in the message", async () => {
        const { storage } = await setup({ migrate: false });
        const error = await authErrorOf(storage.findUserByEmail("secret-address@example.test"));
        expect(error.code).toBe("STORAGE_ERROR");
        expect(error.message).toBe("A storage operation failed (findUserByEmail)");
        expect(error.cause).toBeInstanceOf(Error);
        expect(String((error.cause as Error).message)).toMatch(/users/);
      });

      it("a foreign-key failure inside an atomic write is STORAGE_ERROR and leaves nothing behind", async () => {
        const { storage } = await setup();
        const { user } = await signup(storage);
        const owner = (await storage.listBuiltInRoles())[0]!;
        const organization = { name: `fk-${unique()}`, details: null, status: 1, personal: false, settings: {} };
        const error = await authErrorOf(
          storage.createOrganizationWithMember({ organization, userId: 987_654_321, roleId: owner.id, now: T0 }),
        );
        expect(error.code).toBe("STORAGE_ERROR");
        const retry = await storage.createOrganizationWithMember({
          organization,
          userId: user.id,
          roleId: owner.id,
          now: T0,
        });
        expect(retry.ok, "the organization row was rolled back with the failed membership").toBe(true);
      });

      it("a destroyed storage answers STORAGE_UNAVAILABLE", async () => {
        const { storage } = await setup();
        await storage.destroy();
        const error = await authErrorOf(storage.findUserByEmail("someone@example.test"));
        expect(error.code).toBe("STORAGE_UNAVAILABLE");
        expect(error.status).toBe(503);
        expect(error.message).not.toMatch(/someone|select/i);
      });

      it("adapters on separate pools (app nodes) race on one email: exactly one signup wins", async () => {
        const { open } = await setup();
        const nodes = [open(), open(), open()];
        const email = `race-${unique()}@example.test`;
        const results = await Promise.all(
          Array.from({ length: 30 }, (_, i) =>
            signup(nodes[i % 3]!, email).then(
              () => "ok",
              (e: Error) => e.message,
            ),
          ),
        );
        expect(results.filter((r) => r === "ok")).toHaveLength(1);
        expect(results.filter((r) => r === "signup conflict: email")).toHaveLength(29);
      });

      it("adapters on separate pools race on one refresh token: at most one rotation, none throws, session revoked", async () => {
        const { storage, open } = await setup();
        const { user } = await signup(storage);
        const { session, token } = await startSession(storage, user.id);
        const nodes = [storage, open(), open(), open()];
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            nodes[i % 4]!.rotateRefreshToken({
              tokenHash: token,
              newTokenHash: hash(),
              now: T0 + 1,
              idleExpiresAt: T0 + HOUR,
            }),
          ),
        );
        const statuses = results.map((r) => r.status);
        expect(statuses.filter((s) => s === "rotated").length).toBeLessThanOrEqual(1);
        expect(statuses.every((s) => s === "rotated" || s === "reused" || s === "revoked")).toBe(true);
        expect((await storage.findSessionById(session.id))?.revokeReason).toBe("reuse");
      });

      if (target.name === "sqlite") {
        it("SQLite runs with foreign keys on and a WAL journal", async () => {
          const { storage } = await setup();
          expect(await storage.knex.raw("PRAGMA foreign_keys")).toEqual([{ foreign_keys: 1 }]);
          expect(await storage.knex.raw("PRAGMA journal_mode")).toEqual([{ journal_mode: "wal" }]);
        });
      }

      if (target.name === "mysql") {
        it("MySQL sessions are utf8mb4 and tables compare exactly (binary, no padding)", async () => {
          const { storage } = await setup();
          const [[settings]] = (await storage.knex.raw("SELECT @@character_set_connection AS cs")) as [
            [{ cs: string }],
          ];
          expect(settings.cs).toBe("utf8mb4");
          const name = `Zoë 山田 🚀 ${unique()}`;
          const { organization } = await signup(storage, `emoji-${unique()}@example.test`, name);
          expect((await storage.findOrganizationById(organization.id))?.name).toBe(name);
          const other = await signup(storage, `x-${unique()}@example.test`, name.toUpperCase());
          expect(other.organization.name).toBe(name.toUpperCase());
        });

        it("a deadlock fails one transaction, which is then retried as a whole and commits", async () => {
          const { storage } = await setup();
          const a = (await signup(storage)).user.id;
          const b = (await signup(storage)).user.id;
          let arrived = 0;
          let release: () => void = () => {};
          const bothHoldALock = new Promise<void>((resolve) => {
            release = resolve;
          });
          const meet = async (): Promise<void> => {
            if (++arrived === 2) release();
            await bothHoldALock;
          };
          const attempts = [0, 0];
          const crosswise = (i: 0 | 1, first: number, second: number, hashValue: string) =>
            storage.transaction(async (tx) => {
              attempts[i]! += 1;
              await tx.updateUserPasswordHash(first, hashValue, T0 + 1);
              await meet();
              await tx.updateUserPasswordHash(second, hashValue, T0 + 1);
            });
          await Promise.all([crosswise(0, a, b, "$one"), crosswise(1, b, a, "$two")]);
          expect(attempts[0]! + attempts[1]!, "one side ran twice").toBe(3);
          const [ha, hb] = [
            (await storage.findUserById(a))?.passwordHash,
            (await storage.findUserById(b))?.passwordHash,
          ];
          expect(ha, "serial outcome: both rows carry the hash of the transaction that committed last").toBe(hb);
        });
      }
    },
  );
}

describe("knex storage on an unreachable database", () => {
  it("MySQL that refuses connections gives STORAGE_UNAVAILABLE with the driver error as cause", async () => {
    const storage = knexStorage("mysql://root:pw@127.0.0.1:1/nothing");
    try {
      const error = await authErrorOf(storage.findUserById(1));
      expect(error).toBeInstanceOf(AuthError);
      expect(error.code).toBe("STORAGE_UNAVAILABLE");
      expect((error.cause as { code?: string }).code).toBe("ECONNREFUSED");
      await expect(storage.migrate()).rejects.toMatchObject({ code: "STORAGE_UNAVAILABLE" });
    } finally {
      await storage.destroy();
    }
  });

  it("a SQLite file that cannot be opened gives STORAGE_UNAVAILABLE", async () => {
    const storage = knexStorage("sqlite:/nonexistent-dir/tenantauth/x.db");
    try {
      expect((await authErrorOf(storage.listBuiltInRoles())).code).toBe("STORAGE_UNAVAILABLE");
    } finally {
      await storage.destroy();
    }
  });
});
