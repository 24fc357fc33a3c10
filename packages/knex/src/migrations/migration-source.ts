import type { Knex } from "knex";
import type { TableNames } from "../tables.js";
import { initialSchema } from "./0001-initial-schema.js";
import { invitationsAndOutbox } from "./0002-invitations-and-outbox.js";
import { tokensAndOutboxClaims } from "./0003-tokens-and-outbox-claims.js";
import { statsIndex } from "./0004-stats-index.js";
import { rateLimits } from "./0005-rate-limits.js";
import { auditEvents } from "./0006-audit-events.js";
import { twoFactor } from "./0007-two-factor.js";
import { apiKeys } from "./0008-api-keys.js";
import { activeOrganization } from "./0009-active-organization.js";
import { nameKeys } from "./0010-name-keys.js";
import { revocations } from "./0011-revocations.js";
import type { SchemaMigration } from "./migration.js";

/** Every migration, oldest first. Append only. */
export const MIGRATIONS: readonly SchemaMigration[] = [
  initialSchema,
  invitationsAndOutbox,
  tokensAndOutboxClaims,
  statsIndex,
  rateLimits,
  auditEvents,
  twoFactor,
  apiKeys,
  activeOrganization,
  nameKeys,
  revocations,
];

/**
 * A Knex migration source that serves the migrations from code, so they run from the bundled `dist` with no
 * migration files on disk.
 */
export function migrationSource(tables: TableNames): Knex.MigrationSource<SchemaMigration> {
  return {
    getMigrations: async () => [...MIGRATIONS],
    getMigrationName: (migration) => migration.name,
    getMigration: async (migration) => ({
      up: (knex: Knex) => migration.up(knex, tables),
      down: (knex: Knex) => migration.down(knex, tables),
    }),
  };
}
