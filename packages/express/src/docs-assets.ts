import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { DocsAssets } from "@tenantauth/core";

/** Swagger UI's files from the locally installed swagger-ui-dist package (no CDN). */
export function swaggerUiAssets(): DocsAssets {
  const require = createRequire(import.meta.url);
  const root = dirname(require.resolve("swagger-ui-dist/package.json"));
  return {
    read: (name) => readFile(join(root, name)).catch(() => null),
  };
}
