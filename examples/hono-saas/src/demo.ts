/**
 * The README demo: starts the Hono example on an embedded SQLite file and a random port, then walks through the
 * API over real HTTP, printing each step. Run it with `npm run demo` from the repository root.
 */
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import type { OutgoingMail } from "@tenantauth/core";
import { createApp } from "./app.js";
import { authSecret } from "./secret.js";

// The demo is development by definition: a random secret for this run (AUTH_SECRET, when set, is used instead).
process.env.TENANTAUTH_DEV ??= "1";
const dir = mkdtempSync(join(tmpdir(), "tenantauth-demo-"));
const file = join(dir, "demo.db");
/** The demo reads its mail in-process (a real app would use smtpMailer from @tenantauth/mail). */
const inbox: OutgoingMail[] = [];
const { app, auth, storage } = await createApp({
  databaseUrl: `sqlite:${file}`,
  secret: authSecret(),
  mailer: {
    async send(mail) {
      inbox.push(mail);
    },
  },
});
const server = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 });
await new Promise((resolve) => server.once("listening", resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

let step = 0;
const short = (value: unknown): unknown =>
  typeof value === "string" && value.length > 40 ? `${value.slice(0, 16)}… (${value.length} chars)` : value;
const shorten = (body: unknown): unknown =>
  body && typeof body === "object"
    ? Object.fromEntries(Object.entries(body).map(([k, v]) => [k, k.endsWith("token") ? short(v) : v]))
    : body;

async function call(title: string, method: string, path: string, options: { token?: string; json?: unknown } = {}) {
  step += 1;
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(options.json === undefined ? {} : { "content-type": "application/json" }),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    },
    body: options.json === undefined ? undefined : JSON.stringify(options.json),
  });
  const text = await response.text();
  const body = text ? JSON.parse(text) : null;
  console.log(`\n${step}. ${title}\n   ${method} ${path} → ${response.status}`);
  if (body !== null) console.log(JSON.stringify(shorten(body), null, 2).replace(/^/gm, "   "));
  return { status: response.status, body };
}

/** The token of the last verification mail sent to `to`. */
const verificationToken = (to: string): string => {
  const mail = [...inbox].reverse().find((m) => m.template === "verify-email" && m.to === to);
  if (!mail || !("token" in mail.data)) throw new Error(`demo step failed: no verification mail for ${to}`);
  return mail.data.token;
};

const expect = (what: string, ok: boolean): void => {
  if (!ok) throw new Error(`demo step failed: ${what}`);
};

try {
  console.log(`tenantauth demo: Hono app on ${base}, SQLite file ${file}`);
  const signup = await call("Sign up (the seed service's route and body)", "POST", "/auth/signup", {
    json: { email: "ada@example.com", password: "correct horse battery staple", organization_name: "Acme Inc" },
  });
  expect("signup", signup.status === 200);
  const early = await call("Sign-in is refused until the email is verified", "POST", "/auth/signin", {
    json: { email: "ada@example.com", password: "correct horse battery staple" },
  });
  expect("unverified", early.status === 403);
  await auth.mail.idle(); // the verification mail went out right after signup committed
  const mail = inbox.find((m) => m.template === "verify-email" && m.to === "ada@example.com");
  expect("verification mail", mail !== undefined);
  step += 1;
  console.log(`\n${step}. The verification mail arrived: ${mail?.template} → ${mail?.to}`);
  const verified = await call("Verify the email with the mail's token", "POST", "/auth/verify-email", {
    json: { token: verificationToken("ada@example.com") },
  });
  expect("verify", verified.status === 200);
  const signin = await call("Sign in", "POST", "/auth/signin", {
    json: { email: "ada@example.com", password: "correct horse battery staple" },
  });
  expect("signin", signin.status === 200);
  const me = await call("Who am I", "GET", "/auth/me", { token: signin.body.access_token });
  expect("me", me.status === 200);
  const refreshed = await call("Refresh: the refresh token is rotated", "POST", "/auth/refresh", {
    json: { refresh_token: signin.body.refresh_token },
  });
  expect("refresh", refreshed.status === 200);
  const token = refreshed.body.access_token as string;
  const org = await call("Create an organization (seed route)", "POST", "/auth/organizations", {
    token,
    json: { name: "Widgets Ltd", details: "A second tenant" },
  });
  expect("organization", org.status === 200);
  const project = await call(
    "The app's own route, behind requirePermission(org:update)",
    "POST",
    `/api/orgs/${org.body.org_id}/projects`,
    {
      token,
      json: { name: "Rocket" },
    },
  );
  expect("project", project.status === 201);
  await call("List the organization's projects", "GET", `/api/orgs/${org.body.org_id}/projects`, { token });
  await call("Sign up someone else", "POST", "/auth/signup", {
    json: { email: "eve@example.com", password: "another long password", organization_name: "Evil Corp" },
  });
  await auth.mail.idle();
  await call("…who verifies her email", "POST", "/auth/verify-email", {
    json: { token: verificationToken("eve@example.com") },
  });
  const eve = await call("…who signs in", "POST", "/auth/signin", {
    json: { email: "eve@example.com", password: "another long password" },
  });
  const denied = await call(
    "Tenant isolation: Eve cannot see Acme's projects",
    "GET",
    `/api/orgs/${org.body.org_id}/projects`,
    {
      token: eve.body.access_token,
    },
  );
  expect("isolation", denied.status === 404);
  const out = await call("Sign out", "POST", "/auth/signout", {
    json: { refresh_token: refreshed.body.refresh_token },
  });
  expect("signout", out.status === 204);
  const after = await call("Refreshing after sign-out is refused", "POST", "/auth/refresh", {
    json: { refresh_token: refreshed.body.refresh_token },
  });
  expect("refresh after signout", after.status === 401);
  console.log(
    "\nDemo finished. Start the app yourself with: AUTH_SECRET=<32+ random bytes> pnpm --filter @tenantauth/example-hono-saas start\n" +
      "(or TENANTAUTH_DEV=1 for a random secret per process, in development only)",
  );
} finally {
  server.close();
  await storage.destroy();
  rmSync(dir, { recursive: true, force: true });
}
