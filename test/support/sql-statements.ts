import type { KnexStorage } from "@tenantauth/knex";

/** The SQL statements Knex sends while `fn` runs (from Knex's `query` event), in order. */
export async function statements(storage: KnexStorage, fn: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  const listener = (query: { sql: string }): void => {
    seen.push(query.sql);
  };
  storage.knex.on("query", listener);
  try {
    await fn();
  } finally {
    storage.knex.removeListener("query", listener);
  }
  return seen;
}
