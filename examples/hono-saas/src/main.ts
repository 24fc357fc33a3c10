/**
 * Starts the example: `AUTH_SECRET=… pnpm --filter @tenantauth/example-hono-saas start` (also PORT, DATABASE_URL,
 * SMTP_URL). Without AUTH_SECRET it refuses to start, unless TENANTAUTH_DEV=1 asks for a random per-process secret.
 */
import { serve } from "@hono/node-server";
import { consoleMailer, smtpMailer } from "@tenantauth/mail";
import { createApp } from "./app.js";
import { authSecret } from "./secret.js";

let secret: string;
try {
  secret = authSecret();
} catch (error) {
  process.stderr.write(`hono-saas: ${(error as Error).message}\n`);
  process.exit(1);
}
const port = Number(process.env.PORT ?? 3000);
const appUrl = process.env.APP_URL ?? `http://localhost:${port}`;
const { app } = await createApp({
  databaseUrl: process.env.DATABASE_URL ?? "sqlite:./hono-saas.db",
  secret,
  // SMTP_URL=smtp://user:pass@host:587 sends real mail; without it, mails are printed to the console.
  mailer: process.env.SMTP_URL
    ? smtpMailer({ url: process.env.SMTP_URL, from: process.env.MAIL_FROM ?? "no-reply@example.com", appUrl })
    : consoleMailer({ appUrl }),
});
serve({ fetch: app.fetch, port }, () => {
  console.log(`hono-saas listening on http://localhost:${port} (API reference: /auth/docs)`);
});
