/** Starts the example: `pnpm --filter @tenantauth/example-express-saas start` (PORT, DATABASE_URL, AUTH_SECRET). */
import { createApp } from "./app.js";

const port = Number(process.env.PORT ?? 3000);
const { app } = await createApp({
  databaseUrl: process.env.DATABASE_URL ?? "sqlite:./express-saas.db",
  secret: process.env.AUTH_SECRET ?? "dev-only-secret-change-me-0123456789abcdef",
  // Development: print each mail (with its token) instead of sending it.
  mailer: {
    async send(mail) {
      console.log(`[mail] ${mail.template} → ${mail.to}: ${JSON.stringify(mail.data)}`);
    },
  },
});
app.listen(port, () => {
  console.log(`express-saas listening on http://localhost:${port} (API reference: /auth/docs)`);
});
