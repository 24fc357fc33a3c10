/**
 * Starts the example: `AUTH_SECRET=… pnpm --filter @tenantauth/example-express-saas start` (also PORT, DATABASE_URL,
 * SMTP_URL). Without AUTH_SECRET it refuses to start, unless TENANTAUTH_DEV=1 asks for a random per-process secret.
 */
import { consoleMailer, smtpMailer } from "@tenantauth/mail";
import { createApp } from "./app.js";
import { authSecret } from "./secret.js";

let secret: string;
try {
  secret = authSecret();
} catch (error) {
  process.stderr.write(`express-saas: ${(error as Error).message}\n`);
  process.exit(1);
}
const port = Number(process.env.PORT ?? 3000);
const appUrl = process.env.APP_URL ?? `http://localhost:${port}`;
const { app } = await createApp({
  databaseUrl: process.env.DATABASE_URL ?? "sqlite:./express-saas.db",
  secret,
  // SMTP_URL=smtp://user:pass@host:587 sends real mail; without it, mails are printed to the console.
  mailer: process.env.SMTP_URL
    ? smtpMailer({ url: process.env.SMTP_URL, from: process.env.MAIL_FROM ?? "no-reply@example.com", appUrl })
    : consoleMailer({ appUrl }),
});
app.listen(port, (error?: Error) => {
  if (error) {
    // Express 5 hands listen errors (a port in use) to this callback: do not claim to be listening.
    process.stderr.write(`express-saas: ${error.message}\n`);
    process.exit(1);
  }
  console.log(`express-saas listening on http://localhost:${port} (API reference: /auth/docs)`);
});
