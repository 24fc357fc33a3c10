/**
 * The README demo: tenantauth on an embedded SQLite file, step by step.
 * Run it with `npm run demo` from the repository root.
 */
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { AuthError, createAuth, type OutgoingMail } from "@tenantauth/core";
import { knexStorage } from "@tenantauth/knex";

const file = fileURLToPath(new URL("../quickstart.db", import.meta.url));
rmSync(file, { force: true });

const storage = knexStorage(`sqlite:${file}`);
/** Mail is read in-process here; a real app passes smtpMailer() from @tenantauth/mail. */
const inbox: OutgoingMail[] = [];
const auth = createAuth({
  // A throw-away random secret: this walk-through's tokens never leave the process. In a real app: at least 32
  // random bytes from your secret store (`openssl rand -base64 32`), never a string in the code.
  secret: process.env.AUTH_SECRET ?? randomBytes(32).toString("base64url"),
  storage,
  mailer: {
    async send(mail) {
      inbox.push(mail);
    },
  },
});

let step = 0;
const show = (title: string, value?: unknown): void => {
  step += 1;
  console.log(`\n${step}. ${title}`);
  if (value !== undefined) console.log(JSON.stringify(value, null, 2).replace(/^/gm, "   "));
};
const short = (token: string): string => `${token.slice(0, 16)}… (${token.length} chars)`;

try {
  await storage.migrate();
  show(`Migrated the SQLite database at ${file}`);

  const { user, organization } = await auth.signup({
    email: "Ada@Example.com",
    password: "correct horse battery staple",
    organizationName: "Acme Inc",
  });
  show("Signed up (user, organization and Owner membership in one transaction)", {
    user_id: user.id,
    email: user.email,
    org_id: organization.id,
    organization: organization.name,
  });

  await auth.mail.idle(); // the verification mail is delivered right after the signup commits
  const mail = inbox.find((m) => m.template === "verify-email");
  if (!mail || !("token" in mail.data)) throw new Error("no verification mail");
  const verified = await auth.verifyEmail(mail.data.token);
  show("Verified the email with the token from the verification mail", { email_verified: verified.emailVerified });

  const signin = await auth.signin({ email: "ada@example.com", password: "correct horse battery staple" });
  show("Signed in", {
    access_token: short(signin.accessToken),
    refresh_token: short(signin.refreshToken),
    expires_in: signin.expiresIn,
  });

  const principal = await auth.authenticate(signin.accessToken);
  show("Authenticated the access token (no database round-trip)", principal);

  const refreshed = await auth.refresh(signin.refreshToken);
  show("Refreshed: the refresh token was rotated", {
    old_refresh_token: short(signin.refreshToken),
    new_refresh_token: short(refreshed.refreshToken),
  });

  const org = await auth.organizations.create(principal, { name: "Widgets Ltd", details: "A second tenant" });
  show("Created an organization", { org_id: org.id, name: org.name, details: org.details });

  const memberships = await auth.organizations.list(principal);
  show(
    "Listed my organizations",
    memberships.map((m) => ({ organization: m.organization.name, role: m.role.name })),
  );

  await auth.signout(refreshed.refreshToken);
  show("Signed out (the session is revoked)");

  const after = await auth.refresh(refreshed.refreshToken).catch((error: unknown) => error);
  show("Refreshing after sign-out is refused", after instanceof AuthError ? after.toJSON() : after);
  if (!(after instanceof AuthError)) throw new Error("refresh after signout should have failed");

  console.log("\nDemo finished.");
} finally {
  await storage.destroy();
}
