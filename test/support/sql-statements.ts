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

/**
 * The SQL statements Knex sends while `fn` runs, and the time they took in total (ms). A statement counts from its
 * `query` event to its `query-response`; Knex reports no response for a transaction's BEGIN and COMMIT, so those
 * count until the next statement is sent or `fn` ends (for sequential flows such as one sign-in).
 */
export async function timedStatements(
  storage: KnexStorage,
  fn: () => Promise<unknown>,
): Promise<{ count: number; ms: number }> {
  const open = new Map<string, number>();
  let count = 0;
  let ms = 0;
  const closeAll = (): void => {
    const now = performance.now();
    for (const at of open.values()) ms += now - at;
    open.clear();
  };
  const onQuery = (query: { __knexQueryUid?: string }): void => {
    count++;
    closeAll();
    open.set(query.__knexQueryUid ?? String(count), performance.now());
  };
  const onDone = (_response: unknown, query: { __knexQueryUid?: string }): void => {
    const at = query.__knexQueryUid ? open.get(query.__knexQueryUid) : undefined;
    if (at === undefined || !query.__knexQueryUid) return;
    ms += performance.now() - at;
    open.delete(query.__knexQueryUid);
  };
  storage.knex.on("query", onQuery);
  storage.knex.on("query-response", onDone);
  storage.knex.on("query-error", onDone);
  try {
    await fn();
  } finally {
    closeAll();
    storage.knex.removeListener("query", onQuery);
    storage.knex.removeListener("query-response", onDone);
    storage.knex.removeListener("query-error", onDone);
  }
  return { count, ms };
}
