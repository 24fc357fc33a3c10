import { ConfigError } from "@tenantauth/core";
import knexFactory, { type Knex } from "knex";

const silent = (): void => {};

/**
 * Creates a Knex instance for a configuration built by the adapter. Knex prints a stack trace to the console
 * when the driver package is missing; that noise is silenced and a {@link ConfigError} naming the package to
 * install is thrown instead. `quiet` also silences Knex's warnings (the CLI reports errors in one line).
 *
 * @throws {ConfigError} when the driver cannot be loaded.
 */
export function openKnex(config: Knex.Config, driverPackage: string, options: { quiet?: boolean } = {}): Knex {
  const log: Knex.Logger = {
    ...config.log,
    error: silent,
    ...(options.quiet ? { warn: silent, deprecate: silent } : {}),
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
