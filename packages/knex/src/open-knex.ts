import { ConfigError } from "@tenantauth/core";
import knexFactory, { type Knex } from "knex";

const silent = (): void => {};

/**
 * Knex's warnings, but for its "Acquire connection error" and "Connection Error" (a line or a stack trace per failed
 * or discarded connection: hundreds of lines in a short outage). tenantauth's outage log reports a database outage instead, once when it starts, a count
 * while it lasts, and once when it ends.
 */
const warnUnlessOutage = (message: unknown): void => {
  if (typeof message === "string" && /^(Acquire connection error|Connection Error)/.test(message)) return;
  console.warn(message);
};

/**
 * Creates a Knex instance for a configuration built by the adapter. Knex prints a stack trace to the console
 * when the driver package is missing; that noise is silenced and a {@link ConfigError} naming the package to
 * install is thrown instead; its per-connection "Acquire connection error" traces are dropped too (see
 * `warnUnlessOutage`). `quiet` also silences Knex's other warnings (the CLI reports errors in one line).
 *
 * @throws {ConfigError} when the driver cannot be loaded.
 */
export function openKnex(config: Knex.Config, driverPackage: string, options: { quiet?: boolean } = {}): Knex {
  const log: Knex.Logger = {
    ...config.log,
    error: silent,
    warn: options.quiet ? silent : warnUnlessOutage,
    ...(options.quiet ? { deprecate: silent } : {}),
  };
  try {
    return knexFactory({ ...config, log });
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : "";
    const missing = /npm install|Cannot find module|MODULE_NOT_FOUND/i.test(message);
    throw new ConfigError(
      [
        {
          path: "url",
          message: missing
            ? `the database driver is not installed; install ${driverPackage}: npm install ${driverPackage}`
            : `the ${driverPackage} driver could not be loaded`,
        },
      ],
      { cause },
    );
  }
}
