import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { request } from "node:http";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { type ServerTestDatabase, serverTestDatabase } from "./server-database.js";

/**
 * Fresh MySQL databases for tests. Where MySQL comes from, in order:
 * 1. `TENANTAUTH_TEST_MYSQL_URL` (e.g. `mysql://root@127.0.0.1:3306/test`): a user allowed to CREATE DATABASE;
 * 2. a MySQL container (Testcontainers, `@testcontainers/mysql`) when a Docker engine answers, one per test process;
 * 3. nothing: with `CI=true` that is an error (CI must run the MySQL suites); locally the suites are skipped,
 *    with a notice printed once.
 * Each caller gets its own database `ta_<random>`, dropped by its `cleanup()`.
 */

const ENV_URL = "TENANTAUTH_TEST_MYSQL_URL";
const IMAGE = "mysql:8.4";

/** Where MySQL comes from, or why there is none. */
export type MysqlAvailability = { available: true; source: "env" | "docker" } | { available: false; reason: string };

/** A database of one's own; `url` points at it. */
export type MysqlTestDatabase = ServerTestDatabase;

let availability: Promise<MysqlAvailability> | undefined;
let containerAdminUrl: Promise<string> | undefined;

/**
 * Finds out (once per process) where MySQL comes from.
 * @throws {Error} when `CI=true` and neither the env URL nor Docker is there: CI must not silently skip MySQL.
 */
export function mysqlAvailability(): Promise<MysqlAvailability> {
  availability ??= detect();
  return availability;
}

async function detect(): Promise<MysqlAvailability> {
  if (process.env[ENV_URL]) return { available: true, source: "env" };
  if (await dockerAnswers()) return { available: true, source: "docker" };
  const reason = `no MySQL: set ${ENV_URL}=mysql://root@127.0.0.1:3306/test or run a Docker engine`;
  if (process.env.CI === "true") {
    throw new Error(
      `MySQL is required when CI=true. Set ${ENV_URL}=mysql://root@127.0.0.1:3306/test (a user allowed to ` +
        "CREATE DATABASE), or run a Docker engine so that Testcontainers can start MySQL.",
    );
  }
  await noticeOnce(`[tenantauth tests] MySQL suites skipped: ${reason}`);
  return { available: false, reason };
}

/** Prints `message` once per vitest run (test files run in separate worker processes sharing one parent). */
async function noticeOnce(message: string): Promise<void> {
  try {
    await writeFile(join(tmpdir(), `tenantauth-mysql-notice-${process.ppid}`), message, { flag: "wx" });
    console.warn(message);
  } catch {
    // Another worker of this run printed it already.
  }
}

/** Is a Docker engine answering `GET /_ping` within a second? Never hangs, never throws. */
function dockerAnswers(): Promise<boolean> {
  const host = process.env.DOCKER_HOST;
  let target: { socketPath: string } | { host: string; port: number } | undefined;
  if (host?.startsWith("unix://")) target = { socketPath: host.slice("unix://".length) };
  else if (host?.startsWith("tcp://")) {
    const url = new URL(host.replace(/^tcp:/, "http:"));
    target = { host: url.hostname, port: Number(url.port || 2375) };
  } else {
    const candidates = [
      "/var/run/docker.sock",
      join(homedir(), ".docker/run/docker.sock"),
      ...(process.env.XDG_RUNTIME_DIR ? [join(process.env.XDG_RUNTIME_DIR, "docker.sock")] : []),
    ];
    const socketPath = candidates.find((p) => existsSync(p));
    if (socketPath) target = { socketPath };
  }
  if (!target) return Promise.resolve(false);
  const options = target;
  return new Promise((resolve) => {
    const req = request({ ...options, path: "/_ping", method: "GET", timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(false));
    req.end();
  });
}

/** The URL of an account allowed to create databases: the env URL, or root on this process's container. */
async function adminUrl(): Promise<string> {
  const found = await mysqlAvailability();
  if (!found.available)
    throw new Error(`MySQL is not available (${found.reason}); check mysqlTestDatabase.available()`);
  const fromEnv = process.env[ENV_URL];
  if (found.source === "env" && fromEnv) return fromEnv;
  containerAdminUrl ??= (async () => {
    const { MySqlContainer } = await import("@testcontainers/mysql");
    const container = await new MySqlContainer(IMAGE).withRootPassword(randomBytes(8).toString("hex")).start();
    // Testcontainers' reaper removes the container when this process exits.
    return container.getConnectionUri(true);
  })();
  return containerAdminUrl;
}

const createTestDatabase = async (): Promise<MysqlTestDatabase> =>
  serverTestDatabase(await adminUrl(), {
    create: "CREATE DATABASE ?? CHARACTER SET utf8mb4",
    drop: "DROP DATABASE IF EXISTS ??",
  });

/**
 * A fresh, empty MySQL database of the caller's own. Check {@link mysqlTestDatabase.available} first (or
 * {@link mysqlAvailability}) and skip the suite when it is false.
 *
 * @example
 * const mysql = await mysqlTestDatabase.available();
 * describe.skipIf(!mysql)("on MySQL", () => { ... const db = await mysqlTestDatabase(); ... await db.cleanup(); });
 * @throws {Error} when no MySQL is available.
 */
export const mysqlTestDatabase: {
  (): Promise<MysqlTestDatabase>;
  /** True when MySQL is available (see {@link mysqlAvailability}); throws when `CI=true` and it is not. */
  available(): Promise<boolean>;
} = Object.assign(createTestDatabase, {
  available: async (): Promise<boolean> => (await mysqlAvailability()).available,
});
