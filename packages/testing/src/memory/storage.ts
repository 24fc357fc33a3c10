import type { MailStorage, StorageAdapter } from "@tenantauth/core";
import { storageError } from "./copy.js";
import { adapterOn, type Engine } from "./engine.js";
import { Mutex } from "./mutex.js";
import { createTables, forkTables, type Tables } from "./state.js";

/**
 * A complete {@link StorageAdapter} held in process memory, for tests, demos and examples. It behaves like a
 * database: auto-increment ids per table, the built-in roles seeded, unique keys reported as typed conflicts,
 * foreign keys enforced (a broken one throws `AuthError("STORAGE_ERROR")`), JSON columns round-tripped through
 * JSON, and records returned as copies that the caller may change freely.
 *
 * Isolation: a transaction works on a private draft of the tables and swaps it in when `fn` resolves, so other
 * callers never see its uncommitted writes. Writes, and transactions, take one lock in arrival order; reads do not
 * wait and see the last committed state (like a database's consistent reads). Inside `transaction(fn)`, use the
 * adapter `fn` receives: awaiting a write on the outer adapter there would wait for the transaction forever.
 * A nested `tx.transaction(inner)` runs in the same transaction as a savepoint: if `inner` throws, its writes are
 * undone and the error is rethrown.
 *
 * Nothing is shared between two `memoryStorage()` calls, and nothing survives the process.
 *
 * @example
 * import { createAuth } from "@tenantauth/core";
 * import { memoryStorage } from "@tenantauth/testing";
 *
 * const auth = createAuth({ secret: process.env.AUTH_SECRET!, storage: memoryStorage() });
 */
export function memoryStorage(): StorageAdapter & MailStorage {
  let committed = createTables();
  const lock = new Mutex();
  return adapterOn({
    read: async (query) => query(committed),
    write: (statement) => lock.run(() => statement(committed)),
    transaction: (fn) =>
      lock.run(async () => {
        const tx = openTransaction(forkTables(committed));
        try {
          const result = await fn(tx.adapter);
          committed = tx.tables();
          return result;
        } finally {
          tx.end();
        }
      }),
  });
}

interface OpenTransaction {
  adapter: StorageAdapter;
  /** The draft as it stands. */
  tables(): Tables;
  /** Makes every later call on `adapter` fail, as a database does after commit or rollback. */
  end(): void;
}

function openTransaction(draft: Tables): OpenTransaction {
  let current = draft;
  let open = true;
  const use = (): Tables => {
    if (!open) throw storageError("this transaction has already ended; use the adapter outside it");
    return current;
  };
  const engine: Engine = {
    read: async (query) => query(use()),
    write: async (statement) => statement(use()),
    async transaction(fn) {
      const savepoint = forkTables(use());
      try {
        return await fn(adapter);
      } catch (error) {
        if (open) current = savepoint;
        throw error;
      }
    },
  };
  const adapter = adapterOn(engine);
  return {
    adapter,
    tables: () => current,
    end: () => {
      open = false;
    },
  };
}
