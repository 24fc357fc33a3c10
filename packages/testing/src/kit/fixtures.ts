import type { UserPrincipal } from "@tenantauth/core";
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

/** Sessions the fixtures opened for owners, reused while their access token lives (fewer sign-ins to throttle). */
const ownerSessions = new WeakMap<TestAuth, Map<number, TestSession>>();

async function sessionOf(t: TestAuth, user: TestUser): Promise<TestSession> {
  let sessions = ownerSessions.get(t);
  if (!sessions) {
    sessions = new Map();
    ownerSessions.set(t, sessions);
  }
  const cached = sessions.get(user.id);
  const now = (t.auth.options.clock ?? t.clock).now();
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
  if (verified) await t.storage.markEmailVerified(user.id, (t.auth.options.clock ?? t.clock).now());
  return { id: user.id, email: user.email, password, organizationId: organization.id, verified };
}

/**
 * Signs `user` in and returns the principal and tokens.
 *
 * @example
 * const { principal, headers } = await signedIn(t, ada);
 * await t.auth.organizations.list(principal);
 */
export async function signedIn(t: TestAuth, user: TestUser): Promise<TestSession> {
  const { accessToken, refreshToken } = await t.auth.signin({ email: user.email, password: user.password });
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
 * invites, the user accepts.
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
  const { token } = await t.auth.invitations.create(owner.principal, org.id, { email: user.email, roleId: found.id });
  await t.auth.invitations.accept((await signedIn(t, user)).principal, token);
  return user;
}
