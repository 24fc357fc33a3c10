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

/** The SQL statements Knex sends while `fn` runs, and the time they took in total (ms, from send to response). */
export async function timedStatements(
  storage: KnexStorage,
  fn: () => Promise<unknown>,
): Promise<{ count: number; ms: number }> {
  const started = new Map<string, number>();
  let count = 0;
  let ms = 0;
  const onQuery = (query: { __knexQueryUid?: string }): void => {
    count++;
    if (query.__knexQueryUid) started.set(query.__knexQueryUid, performance.now());
  };
  const onDone = (_response: unknown, query: { __knexQueryUid?: string }): void => {
    const at = query.__knexQueryUid ? started.get(query.__knexQueryUid) : undefined;
    if (at !== undefined) ms += performance.now() - at;
  };
  storage.knex.on("query", onQuery);
  storage.knex.on("query-response", onDone);
  storage.knex.on("query-error", onDone);
  try {
    await fn();
  } finally {
    storage.knex.removeListener("query", onQuery);
    storage.knex.removeListener("query-response", onDone);
    storage.knex.removeListener("query-error", onDone);
  }
  return { count, ms };
}
