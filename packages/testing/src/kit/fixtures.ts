import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { generateHOTP } from "@oslojs/otp";
import {
  type ApiKeyPrincipal,
  type IssuedApiKey,
  type Permission,
  TOTP_DIGITS,
  TOTP_PERIOD_SECONDS,
  type UserPrincipal,
} from "@tenantauth/core";
import type { TestAuth } from "./create-test-auth.js";

/** A user made by {@link givenUser}: who they are and how to sign in as them. */
export interface TestUser {
  id: number;
  email: string;
  password: string;
  /** The organization made at signup (the named one, else a personal one), which the user owns. */
  organizationId: number;
  verified: boolean;
}

/** An organization made by {@link givenOrganization}, with the user who owns it. */
export interface TestOrganization {
  id: number;
  name: string;
  owner: TestUser;
}

/** A signed-in user ({@link signedIn}): the principal for SDK calls and the tokens for HTTP calls. */
export interface TestSession {
  user: TestUser;
  principal: UserPrincipal;
  accessToken: string;
  refreshToken: string;
  /** `{ authorization: "Bearer <access token>" }`, to spread into `fetch` or `app.request` headers. */
  headers: { authorization: string };
}

/** The clock tenantauth reads: `overrides.clock` when one was given, else the kit's test clock. */
const authClock = (t: TestAuth) => t.auth.options.clock ?? t.clock;

/** Sessions the fixtures opened for owners, reused while their access token lives (fewer sign-ins to throttle). */
const ownerSessions = new WeakMap<TestAuth, Map<number, TestSession>>();

async function sessionOf(t: TestAuth, user: TestUser): Promise<TestSession> {
  let sessions = ownerSessions.get(t);
  if (!sessions) {
    sessions = new Map();
    ownerSessions.set(t, sessions);
  }
  const cached = sessions.get(user.id);
  const now = authClock(t).now();
  if (cached && cached.principal.expiresAt > now + 1000) return cached;
  const session = await signedIn(t, user);
  sessions.set(user.id, session);
  return session;
}

let sequence = 0;
const next = (): number => {
  sequence += 1;
  return sequence;
};

/**
 * Signs a user up (with a fresh `user-<n>@example.test` email and {@link TestAuth.password} unless given) and marks
 * the email verified unless `verified: false`. The user owns a new organization: `organizationName`, else a
 * personal one.
 *
 * @example
 * const ada = await givenUser(t, { email: "ada@example.com" });
 */
export async function givenUser(
  t: TestAuth,
  options: { email?: string; password?: string; verified?: boolean; organizationName?: string } = {},
): Promise<TestUser> {
  const email = options.email ?? `user-${next()}@example.test`;
  const password = options.password ?? t.password;
  const { user, organization } = await t.auth.signup({ email, password, organizationName: options.organizationName });
  const verified = options.verified ?? true;
  // The verification link's effect, without reading the mailbox (the flow itself is tenantauth's to test).
  if (verified) await t.storage.markEmailVerified(user.id, authClock(t).now());
  return { id: user.id, email: user.email, password, organizationId: organization.id, verified };
}

/**
 * Signs `user` in and returns the principal and tokens. With `activeOrganizationId`, the tokens carry that
 * organization and the user's role in it (`auth.switchOrganization`), as an app with an organization switcher has.
 *
 * @throws AuthError `TWO_FACTOR_REQUIRED` for a user with two-factor sign-in (see {@link givenTwoFactor})
 * @example
 * const { principal, headers } = await signedIn(t, ada);
 * await t.auth.organizations.list(principal);
 */
export async function signedIn(
  t: TestAuth,
  user: TestUser,
  options: { activeOrganizationId?: number } = {},
): Promise<TestSession> {
  let { accessToken, refreshToken } = await t.auth.signin({ email: user.email, password: user.password });
  if (options.activeOrganizationId !== undefined)
    ({ accessToken, refreshToken } = await t.auth.switchOrganization(refreshToken, options.activeOrganizationId));
  return {
    user,
    principal: (await t.auth.authenticate(accessToken)) as UserPrincipal,
    accessToken,
    refreshToken,
    headers: { authorization: `Bearer ${accessToken}` },
  };
}

/**
 * Creates an organization owned by `owner` (a fresh verified user when omitted).
 *
 * @example
 * const acme = await givenOrganization(t, ada, { name: "Acme" });
 */
export async function givenOrganization(
  t: TestAuth,
  owner?: TestUser,
  options: { name?: string; details?: string } = {},
): Promise<TestOrganization> {
  const by = owner ?? (await givenUser(t));
  const { principal } = await sessionOf(t, by);
  const name = options.name ?? `Organization ${next()}`;
  const organization = await t.auth.organizations.create(principal, { name, details: options.details });
  return { id: organization.id, name: organization.name, owner: by };
}

/**
 * Makes `user` (a fresh verified user when omitted) a member of `org` with the role named `role` (built-in
 * `Owner`, `Admin`, `Member`, or a custom role of the organization), the way it happens in production: the owner
 * invites, the user reads the token from the invitation mail in {@link TestAuth.mailbox} and accepts.
 *
 * @throws Error when the organization has no role of that name
 * @example
 * const bob = await givenMember(t, acme, "Admin");
 */
export async function givenMember(
  t: TestAuth,
  org: TestOrganization,
  role = "Member",
  options: { user?: TestUser; email?: string } = {},
): Promise<TestUser> {
  const owner = await sessionOf(t, org.owner);
  const roles = await t.auth.roles.list(owner.principal, org.id);
  const found = roles.find((r) => r.name === role);
  if (!found)
    throw new Error(`givenMember: ${org.name} has no role "${role}" (it has ${roles.map((r) => r.name).join(", ")})`);
  const user = options.user ?? (await givenUser(t, { email: options.email }));
  const before = t.mailbox.all(user.email, "invitation").length;
  await t.auth.invitations.create(owner.principal, org.id, { email: user.email, roleId: found.id });
  await t.auth.invitations.accept((await signedIn(t, user)).principal, await invitationToken(t, user.email, before));
  return user;
}

/**
 * The token of the newest invitation mail to `email`, as the invitee reads it: the only place a token leaves
 * tenantauth. Waits for delivery, and delivers queued mail itself when `mail.deliverAfterCommit` is off.
 */
async function invitationToken(t: TestAuth, email: string, before: number): Promise<string> {
  await t.auth.mail.idle();
  if (t.mailbox.all(email, "invitation").length <= before) await t.auth.mail.deliverPending();
  const mails = t.mailbox.all(email, "invitation");
  if (mails.length <= before)
    throw new Error(`givenMember: no invitation mail reached t.mailbox for ${email} (was the mailer overridden?)`);
  return t.mailbox.tokenIn(mails.at(-1));
}

/** An organization API key made by {@link givenApiKey}: the key itself, its listing and the principal it gives. */
export interface TestApiKey {
  /** The whole key, as a machine client sends it. */
  key: string;
  /** The key as `apiKeys.list` shows it (no secret). */
  apiKey: Omit<IssuedApiKey, "key">;
  principal: ApiKeyPrincipal;
  /** `{ authorization: "Bearer <key>" }`. */
  headers: { authorization: string };
}

/**
 * Creates an API key of `org`, made by its owner, holding `permissions` (by default `stats:read`).
 *
 * @example
 * const ci = await givenApiKey(t, acme, { permissions: ["stats:read"] });
 * await app.request("/api/stats", { headers: ci.headers });
 */
export async function givenApiKey(
  t: TestAuth,
  org: TestOrganization,
  options: { name?: string; permissions?: Permission[]; expiresAt?: number } = {},
): Promise<TestApiKey> {
  const owner = await sessionOf(t, org.owner);
  const { key, ...apiKey } = await t.auth.apiKeys.create(owner.principal, org.id, {
    name: options.name ?? `Key ${next()}`,
    permissions: options.permissions ?? ["stats:read"],
    expiresAt: options.expiresAt,
  });
  const principal = (await t.auth.authenticate(key)) as ApiKeyPrincipal;
  return { key, apiKey, principal, headers: { authorization: `Bearer ${key}` } };
}

/** A user's two-factor sign-in, turned on by {@link givenTwoFactor}. */
export interface TestTwoFactor {
  /** The TOTP secret (base32), as the authenticator app holds it. */
  secret: string;
  /** The ten single-use backup codes. */
  backupCodes: string[];
  /** The authenticator app's code at `at` (epoch ms; the auth clock's time by default). */
  code(at?: number): string;
}

/** The six-digit TOTP code (RFC 6238, as authenticator apps compute it) of a base32 `secret` at `at` (epoch ms). */
export function totpCode(secret: string, at: number): string {
  const step = Math.floor(at / (TOTP_PERIOD_SECONDS * 1000));
  return generateHOTP(decodeBase32IgnorePadding(secret), BigInt(step), TOTP_DIGITS);
}

/**
 * Turns on two-factor sign-in for `user` (enrol, then confirm with the previous time step's code, so the current
 * step's code is still unused). Sign-in then fails with `TWO_FACTOR_REQUIRED`; finish it with `code()`. A code
 * works once: for a second sign-in, move the test clock on by 30 seconds (`t.clock.advance(30_000)`).
 *
 * @example
 * const tf = await givenTwoFactor(t, ada);
 * const error = await t.auth.signin({ email: ada.email, password: ada.password }).catch((e) => e);
 * const tokens = await t.auth.signin.verifyTotp(error.details.challenge, tf.code());
 */
export async function givenTwoFactor(t: TestAuth, user: TestUser): Promise<TestTwoFactor> {
  const clock = authClock(t);
  const { principal } = await signedIn(t, user);
  const { secret } = await t.auth.twoFactor.enroll(principal);
  const { backupCodes } = await t.auth.twoFactor.confirm(
    principal,
    totpCode(secret, clock.now() - TOTP_PERIOD_SECONDS * 1000),
  );
  return { secret, backupCodes, code: (at = clock.now()) => totpCode(secret, at) };
}

/**
 * Makes a platform administrator: a verified user whose email is in `createTestAuth({ platformAdmins })` (the
 * first one unless `email` is given), signed in.
 *
 * @throws Error when no `platformAdmins` are configured, or `email` is not one of them
 * @example
 * const t = createTestAuth({ platformAdmins: ["root@example.test"] });
 * const root = await givenPlatformAdmin(t);
 * await t.auth.admin.users.list(root.principal);
 */
export async function givenPlatformAdmin(t: TestAuth, options: { email?: string } = {}): Promise<TestSession> {
  const admins = t.auth.options.platformAdmins;
  const email = (options.email ?? admins[0])?.toLowerCase();
  if (email === undefined || !admins.includes(email))
    throw new Error(
      `givenPlatformAdmin: ${email ?? "no email"} is not a platform admin; pass createTestAuth({ platformAdmins: ["${
        email ?? "root@example.test"
      }"] })`,
    );
  return signedIn(t, await givenUser(t, { email }));
}
