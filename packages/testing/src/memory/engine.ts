import type { StorageAdapter } from "@tenantauth/core";
import { listBuiltInRoles, listUserOrganizations } from "./memberships.js";
import { createOrganizationWithMember, findOrganizationById } from "./organizations.js";
import {
  createSession,
  findSessionById,
  revokeSessionByRefreshToken,
  revokeUserSessions,
  rotateRefreshToken,
} from "./sessions.js";
import type { Tables } from "./state.js";
import { createUserWithOrganization, findUserByEmail, findUserById, updateUserPasswordHash } from "./users.js";

/** How an adapter reaches the tables: directly (the root adapter) or through an open transaction. */
export interface Engine {
  /** Runs a read-only query. */
  read<T>(query: (tables: Tables) => T): Promise<T>;
  /** Runs a write; it must check every constraint before changing anything, so it is all-or-nothing. */
  write<T>(statement: (tables: Tables) => T): Promise<T>;
  transaction<T>(fn: (tx: StorageAdapter) => Promise<T>): Promise<T>;
}

/** The port's methods over an engine. Each query or write function is synchronous, hence atomic. */
export function adapterOn(engine: Engine): StorageAdapter {
  return {
    name: "memory",
    transaction: (fn) => engine.transaction(fn),
    listBuiltInRoles: () => engine.read(listBuiltInRoles),
    createUserWithOrganization: (input) => engine.write((t) => createUserWithOrganization(t, input)),
    findUserByEmail: (email) => engine.read((t) => findUserByEmail(t, email)),
    findUserById: (id) => engine.read((t) => findUserById(t, id)),
    updateUserPasswordHash: (userId, hash, now) => engine.write((t) => updateUserPasswordHash(t, userId, hash, now)),
    createOrganizationWithMember: (input) => engine.write((t) => createOrganizationWithMember(t, input)),
    findOrganizationById: (id) => engine.read((t) => findOrganizationById(t, id)),
    listUserOrganizations: (userId) => engine.read((t) => listUserOrganizations(t, userId)),
    createSession: (input) => engine.write((t) => createSession(t, input)),
    findSessionById: (id) => engine.read((t) => findSessionById(t, id)),
    rotateRefreshToken: (input) => engine.write((t) => rotateRefreshToken(t, input)),
    revokeSessionByRefreshToken: (hash, reason, now) =>
      engine.write((t) => revokeSessionByRefreshToken(t, hash, reason, now)),
    revokeUserSessions: (userId, reason, now, options) =>
      engine.write((t) => revokeUserSessions(t, userId, reason, now, options)),
  };
}
