import { randomBytes } from "node:crypto";
import { parseDatabaseUrl } from "@tenantauth/knex";
import knexFactory from "knex";

/** A database of one's own on a database server; `url` points at it. */
export interface ServerTestDatabase {
  url: string;
  /** Drops the database. */
  cleanup(): Promise<void>;
}

/** Runs one statement with `name` as its identifier, as the server's admin. */
async function asAdmin(url: string, statement: string, name: string): Promise<void> {
  const knex = knexFactory(parseDatabaseUrl(url).config);
  try {
    await knex.raw(statement, [name]);
  } finally {
    await knex.destroy();
  }
}

/**
 * Creates a fresh database `ta_<random>` on the server `adminUrl` points at (an account allowed to create
 * databases), with `create` and `drop` statements taking the name as `??`.
 */
export async function serverTestDatabase(
  adminUrl: string,
  statements: { create: string; drop: string },
): Promise<ServerTestDatabase> {
  const name = `ta_${randomBytes(6).toString("hex")}`;
  await asAdmin(adminUrl, statements.create, name);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), cleanup: () => asAdmin(adminUrl, statements.drop, name) };
}
