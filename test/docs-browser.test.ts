/**
 * The API reference page in a real browser: headless Chromium (Debian's `chromium` package, driven by
 * playwright-core) opens `/auth/docs` on the running hono-saas example, Swagger UI renders the OpenAPI document, and
 * the seed's four routes are listed. Every request the browser makes is recorded: none may leave the machine (the page
 * is served from the locally installed swagger-ui-dist, no CDN). The screenshot is kept as test/artifacts/docs.png.
 *
 * Without /usr/bin/chromium the test is skipped with a notice; with `CI=true` that is a failure instead
 * (.ci/run installs the package first).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type ServerType, serve } from "@hono/node-server";
import type { KnexStorage } from "@tenantauth/knex";
import { type BrowserContext, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../examples/hono-saas/src/app.js";

const CHROMIUM = "/usr/bin/chromium";
const SCREENSHOT = fileURLToPath(new URL("./artifacts/docs.png", import.meta.url));
const SEED_ROUTES = [
  ["POST", "/signup"],
  ["POST", "/signin"],
  ["POST", "/organizations"],
  ["GET", "/stats/org-role-wise-users"],
] as const;

const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && process.env.CI !== "true") {
  console.warn(`[tenantauth tests] docs browser test skipped: ${CHROMIUM} is missing (apt-get install -y chromium)`);
}

describe("GET /auth/docs in headless Chromium", () => {
  it.runIf(process.env.CI === "true")("Chromium is installed (CI must run the browser test)", () => {
    expect(haveChromium, `${CHROMIUM} is missing; .ci/run should have installed Debian's chromium`).toBe(true);
  });

  describe.runIf(haveChromium)("on the hono-saas example", () => {
    let dir = "";
    let server: ServerType;
    let storage: KnexStorage;
    let baseUrl = "";
    let context: BrowserContext;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), "tenantauth-docs-"));
      const created = await createApp({
        databaseUrl: `sqlite:${join(dir, "x.db")}`,
        secret: "docs-browser-secret-at-least-32-bytes!",
        mailer: { send: async () => undefined },
      });
      storage = created.storage;
      server = await new Promise<ServerType>((resolve) => {
        const s = serve({ fetch: created.app.fetch, hostname: "127.0.0.1", port: 0 }, () => resolve(s));
      });
      baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      context = await chromium.launchPersistentContext(join(dir, "profile"), {
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
        viewport: { width: 1280, height: 2000 },
        timeout: 30_000,
      });
    });

    afterAll(async () => {
      await context?.close();
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      await storage?.destroy();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it("lists the seed's four routes, loading nothing from outside the machine", async () => {
      const requested: string[] = [];
      context.on("request", (request) => requested.push(request.url()));
      const page = context.pages()[0] ?? (await context.newPage());
      const pageErrors: string[] = [];
      page.on("pageerror", (error) => pageErrors.push(error.message));

      const response = await page.goto(`${baseUrl}/auth/docs`, { waitUntil: "load" });
      expect(response?.status()).toBe(200);
      // Swagger UI renders one `.opblock` per operation once it has fetched and parsed openapi.json.
      await page.locator(".opblock").first().waitFor({ state: "visible", timeout: 20_000 });

      const listed = await page
        .locator(".opblock .opblock-summary")
        .evaluateAll((nodes) =>
          nodes.map((node) =>
            [
              node.querySelector(".opblock-summary-method")?.textContent?.trim() ?? "",
              node.querySelector(".opblock-summary-path")?.getAttribute("data-path") ?? "",
            ].join(" "),
          ),
        );
      for (const [method, path] of SEED_ROUTES) expect(listed).toContain(`${method} ${path}`);
      expect(listed.length).toBeGreaterThan(SEED_ROUTES.length);
      expect(pageErrors).toEqual([]);

      mkdirSync(join(SCREENSHOT, ".."), { recursive: true });
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
      expect(existsSync(SCREENSHOT)).toBe(true);

      // The page, its stylesheet, Swagger UI's bundle, the init script and openapi.json at the least.
      expect(requested.length).toBeGreaterThanOrEqual(5);
      expect(requested).toContain(`${baseUrl}/auth/openapi.json`);
      const outside = requested.filter((url) => new URL(url).hostname !== "127.0.0.1" && !url.startsWith("data:"));
      expect(outside, "requests that left the machine").toEqual([]);
    });
  });
});
