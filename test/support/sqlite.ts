import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A fresh SQLite database file path (not created yet) and a cleanup that removes it with its -wal/-shm files. */
export interface SqliteTestFile {
  /** Absolute path, e.g. `/tmp/tenantauth-sqlite-AbC123/test.db`; use it as `sqlite:${path}`. */
  path: string;
  cleanup(): Promise<void>;
}

/** Gives each caller its own SQLite file in its own directory under `os.tmpdir()`. */
export async function sqliteTestFile(): Promise<SqliteTestFile> {
  const dir = await mkdtemp(join(tmpdir(), "tenantauth-sqlite-"));
  return {
    path: join(dir, "test.db"),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
