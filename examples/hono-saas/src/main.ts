/** Starts the example: `pnpm --filter @tenantauth/example-hono-saas start` (PORT, DATABASE_URL, AUTH_SECRET). */
import { serve } from "@hono/node-server";
import { consoleMailer, smtpMailer } from "@tenantauth/mail";
import { createApp } from "./app.js";

const port = Number(process.env.PORT ?? 3000);
const appUrl = process.env.APP_URL ?? `http://localhost:${port}`;
const { app } = await createApp({
  databaseUrl: process.env.DATABASE_URL ?? "sqlite:./hono-saas.db",
  secret: process.env.AUTH_SECRET ?? "dev-only-secret-change-me-0123456789abcdef",
  // SMTP_URL=smtp://user:pass@host:587 sends real mail; without it, mails are printed to the console.
  mailer: process.env.SMTP_URL
    ? smtpMailer({ url: process.env.SMTP_URL, from: process.env.MAIL_FROM ?? "no-reply@example.com", appUrl })
    : consoleMailer({ appUrl }),
});
serve({ fetch: app.fetch, port }, () => {
  console.log(`hono-saas listening on http://localhost:${port} (API reference: /auth/docs)`);
});
