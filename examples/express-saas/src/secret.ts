import { randomBytes } from "node:crypto";

/** The environment variable that turns on the example's development mode. */
export const DEV_MODE_VARIABLE = "TENANTAUTH_DEV";

/**
 * The token-signing secret: `AUTH_SECRET`, or, only in the explicit development mode (`TENANTAUTH_DEV=1`), a random
 * secret made for this process alone (tokens stop working when it restarts), announced on stderr.
 * There is no built-in fallback: a secret in the source code is public, and anyone could sign tokens with it.
 *
 * @throws Error when `AUTH_SECRET` is not set and development mode is off
 */
export function authSecret(env: NodeJS.ProcessEnv = process.env): string {
  const secret = env.AUTH_SECRET;
  if (secret) return secret;
  if (env[DEV_MODE_VARIABLE] !== "1") {
    throw new Error(
      `AUTH_SECRET is not set. Set it to at least 32 random bytes (e.g. AUTH_SECRET=$(openssl rand -base64 32)), or set ${DEV_MODE_VARIABLE}=1 for a throw-away random secret in development.`,
    );
  }
  process.stderr.write(
    `${DEV_MODE_VARIABLE}=1: development mode, signing tokens with a random secret made for this process (tokens stop working when it restarts). Never use this in production: set AUTH_SECRET.\n`,
  );
  return randomBytes(32).toString("base64url");
}
