import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { serve } from "@hono/node-server";
import type { OutgoingMail } from "@tenantauth/core";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../examples/hono-saas/src/app.js";

const CHROMIUM = "/usr/bin/chromium";
const available = existsSync(CHROMIUM);
if (!available && process.env.CI === "true") {
  throw new Error(`${CHROMIUM} is missing: .ci/run installs Debian's chromium package (apt-get install -y chromium)`);
}
if (!available) console.warn(`[tenantauth] skipping the /docs browser test: ${CHROMIUM} is not installed`);

describe.skipIf(!available)("the API reference page in a real browser", () => {
  const dir = mkdtempSync(join(tmpdir(), "tenantauth-docs-"));
  let server: ReturnType<typeof serve>;
  let base = "";
  let destroy: () => Promise<void>;

  beforeAll(async () => {
    const { app, storage } = await createApp({
      databaseUrl: `sqlite:${join(dir, "docs.db")}`,
      secret: "docs-browser-test-secret-of-32-bytes!",
      mailer: { send: async (_mail: OutgoingMail) => undefined },
    });
    destroy = () => storage.destroy();
    server = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 });
    await new Promise((resolve) => server.once("listening", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server?.close();
    await destroy?.();
    rmSync(dir, { recursive: true, force: true });
  });

  it("opens /auth/docs, lists the seed's four routes, loads nothing from outside, and keeps a screenshot", async () => {
    const profile = mkdtempSync(join(tmpdir(), "tenantauth-chromium-"));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    try {
      const page = await context.newPage();
      const requested: string[] = [];
      page.on("request", (request) => requested.push(request.url()));
      await page.goto(`${base}/auth/docs`);
      await page.waitForSelector(".opblock", { timeout: 20_000 });
      // "METHOD /path" of each listed operation, the path exactly as Swagger UI shows it (so "POST /organizations"
      // is not matched by "POST /organizations/{org_id}/leave").
      const operations = await page.$$eval(".opblock-summary", (nodes) =>
        nodes.map(
          (n) =>
            `${n.querySelector(".opblock-summary-method")?.textContent?.trim()} ${n.querySelector(".opblock-summary-path")?.getAttribute("data-path")}`,
        ),
      );
      for (const route of ["POST /signup", "POST /signin", "POST /organizations", "GET /stats/org-role-wise-users"]) {
        expect(operations).toContain(route);
      }
      expect(requested.length).toBeGreaterThan(3);
      expect(requested.filter((url) => !url.startsWith(base))).toEqual([]);
      const artifacts = fileURLToPath(new URL("./artifacts/", import.meta.url));
      mkdirSync(artifacts, { recursive: true });
      await page.screenshot({ path: join(artifacts, "docs.png"), fullPage: false });
    } finally {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
  }, 60_000);
});
