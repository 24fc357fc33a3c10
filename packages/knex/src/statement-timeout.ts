import { AsyncLocalStorage } from "node:async_hooks";
import knexFactory, { type Knex } from "knex";

// knex is CommonJS: its error classes hang off the default export under ESM.
const { KnexTimeoutError } = knexFactory;

/** Set while a migration runs: its DDL and backfills may rightly take longer than a request's statements. */
const unbounded = new AsyncLocalStorage<true>();

/** Runs `work` with no statement timeout (migrations). */
export const withoutStatementTimeout = <T>(work: () => Promise<T>): Promise<T> => unbounded.run(true, work);

/** Where a bounded instance keeps its timeout: on its config, which Knex shares with its transaction clients. */
const TIMEOUT = Symbol.for("tenantauth.statementTimeoutMs");
/** Marks a Knex client class whose `query` reads {@link TIMEOUT}. */
const PATCHED = Symbol.for("tenantauth.boundedQuery");

type Query = (this: KnexClient, connection: unknown, query: unknown) => Promise<unknown>;
interface KnexClient {
  config: Record<symbol, unknown>;
  query: Query;
}

/**
 * Bounds every statement of a Knex instance the adapter created from a URL: a statement with no answer after `ms`
 * fails with Knex's `KnexTimeoutError` (so `STORAGE_UNAVAILABLE`, 503) and its connection is thrown away instead of
 * going back to the pool, where a network partition or a stuck server would otherwise hold each request for as long
 * as it lasts. Knex has no instance-wide statement timeout, so the client class's `query` gets one: a statement
 * built by Knex gets Knex's own per-statement `timeout` (as `.timeout(ms)` would set it) unless it has one; the
 * transaction statements Knex sends as text (`BEGIN`, `COMMIT`, savepoints) are raced against a timer that disposes
 * of the connection the same way. Only instances carrying the timeout on their config are touched (transactions
 * share their instance's config); any other Knex instance in the process runs as before. Migrations run unbounded.
 */
export function boundStatements(knex: Knex, ms: number): void {
  if (ms === 0) return;
  const client = knex.client as KnexClient;
  client.config[TIMEOUT] = ms;
  const proto = Object.getPrototypeOf(client) as KnexClient & Record<symbol, unknown>;
  if (proto[PATCHED]) return;
  const query = proto.query;
  proto[PATCHED] = true;
  proto.query = function boundedQuery(connection, statement) {
    const limit = this.config?.[TIMEOUT];
    if (typeof limit !== "number" || unbounded.getStore()) return query.call(this, connection, statement);
    if (typeof statement === "object" && statement !== null) {
      // Knex's runner reads `timeout` once this returns, and disposes of the connection when it fires. A statement
      // without `.timeout(ms)` has `timeout: false` (a raw one has no such key).
      const built = statement as { timeout?: unknown };
      if (!built.timeout) built.timeout = limit;
      return query.call(this, connection, statement);
    }
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        const error = new KnexTimeoutError(`Defined query timeout of ${limit}ms exceeded when running query.`);
        (connection as { __knex__disposed?: unknown }).__knex__disposed = error;
        reject(error);
      }, limit);
    });
    const work = query.call(this, connection, statement);
    work.catch(() => undefined);
    return Promise.race([work, late]).finally(() => clearTimeout(timer));
  };
}
