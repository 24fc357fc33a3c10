/**
 * A `tenantauth-knex migrate` that dies: run by test/migrate-concurrency.test.ts as its own process
 * (`tsx --tsconfig test/tsconfig.json test/support/migrate-child.ts`). It migrates CHILD_DATABASE_URL with table
 * prefix CHILD_PREFIX and SIGKILLs itself just before sending the first statement that matches CHILD_KILL_AT
 * (a regular expression): what that statement would do is not done, and everything before it is (as far as the
 * database keeps work of a connection that vanished). Prints "migrated" if it was never killed.
 */
import { knexStorage } from "@tenantauth/knex";

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`migrate-child: ${name} is not set`);
  return value;
};

const killAt = new RegExp(env("CHILD_KILL_AT"), "i");
const storage = knexStorage(env("CHILD_DATABASE_URL"), { tablePrefix: env("CHILD_PREFIX") });
storage.knex.on("query", (query: { sql?: unknown }) => {
  if (typeof query.sql === "string" && killAt.test(query.sql)) process.kill(process.pid, "SIGKILL");
});
await storage.migrate();
await storage.destroy();
process.stdout.write("migrated\n");
