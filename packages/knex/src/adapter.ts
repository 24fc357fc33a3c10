import type { StorageAdapter } from "@tenantauth/core";
import { bindDb, type Db, retrying, run } from "./db.js";
import { isRetryable, toStorageError } from "./driver-errors.js";
import * as organizations from "./operations/organizations.js";
import * as sessions from "./operations/sessions.js";
import * as users from "./operations/users.js";

/** Wraps an error thrown by the caller's transaction callback, so it can be told apart from a driver error. */
class CallbackFailure extends Error {
  constructor(readonly original: unknown) {
    super("transaction callback failed");
  }
}

/** The StorageAdapter over `db`: the root Knex instance, or an open transaction. */
export function createAdapter(db: Db, name: string): StorageAdapter {
  const adapter: StorageAdapter = {
    name,

    async transaction(fn) {
      if (db.trx) return fn(adapter); // already inside: same transaction
      try {
        return await retrying(
          db.dialect,
          () =>
            db.root.transaction(async (trx) => {
              try {
                return await fn(createAdapter(bindDb(db, trx), name));
              } catch (error) {
                throw new CallbackFailure(error);
              }
            }),
          (error) => isRetryable(error instanceof CallbackFailure ? error.original : error),
        );
      } catch (error) {
        if (error instanceof CallbackFailure) throw error.original;
        throw toStorageError(error, "transaction");
      }
    },

    listBuiltInRoles: () => run(db, "listBuiltInRoles", () => organizations.listBuiltInRoles(db)),
    createUserWithOrganization: (input) =>
      run(db, "createUserWithOrganization", () => users.createUserWithOrganization(db, input)),
    findUserByEmail: (email) => run(db, "findUserByEmail", () => users.findUserByEmail(db, email)),
    findUserById: (id) => run(db, "findUserById", () => users.findUserById(db, id)),
    updateUserPasswordHash: (userId, hash, now) =>
      run(db, "updateUserPasswordHash", () => users.updateUserPasswordHash(db, userId, hash, now)),
    createOrganizationWithMember: (input) =>
      run(db, "createOrganizationWithMember", () => organizations.createOrganizationWithMember(db, input)),
    findOrganizationById: (id) => run(db, "findOrganizationById", () => organizations.findOrganizationById(db, id)),
    listUserOrganizations: (userId) =>
      run(db, "listUserOrganizations", () => organizations.listUserOrganizations(db, userId)),
    createSession: (input) => run(db, "createSession", () => sessions.createSession(db, input)),
    findSessionById: (id) => run(db, "findSessionById", () => sessions.findSessionById(db, id)),
    rotateRefreshToken: (input) => run(db, "rotateRefreshToken", () => sessions.rotateRefreshToken(db, input)),
    revokeSessionByRefreshToken: (tokenHash, reason, now) =>
      run(db, "revokeSessionByRefreshToken", () => sessions.revokeSessionByRefreshToken(db, tokenHash, reason, now)),
    revokeUserSessions: (userId, reason, now, options) =>
      run(db, "revokeUserSessions", () => sessions.revokeUserSessions(db, userId, reason, now, options)),
  };
  return adapter;
}
