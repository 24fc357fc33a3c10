/** Starts the example: `pnpm --filter @tenantauth/example-hono-saas start` (PORT, DATABASE_URL, AUTH_SECRET). */
import { serve } from "@hono/node-server";
import { createApp } from "./app.js";

const port = Number(process.env.PORT ?? 3000);
const { app } = await createApp({
  databaseUrl: process.env.DATABASE_URL ?? "sqlite:./hono-saas.db",
  secret: process.env.AUTH_SECRET ?? "dev-only-secret-change-me-0123456789abcdef",
  // Development: print each mail (with its token) instead of sending it.
  mailer: {
    async send(mail) {
      console.log(`[mail] ${mail.template} → ${mail.to}: ${JSON.stringify(mail.data)}`);
    },
  },
});
serve({ fetch: app.fetch, port }, () => {
  console.log(`hono-saas listening on http://localhost:${port} (API reference: /auth/docs)`);
});
