import {
  type Auth,
  type AuthOptions,
  createAuth,
  type StorageAdapter,
  type TenancyStorage,
  type UserPrincipal,
} from "@tenantauth/core";
import type { Backend } from "./backends.js";
import { type CaptureMailer, captureMailer } from "./capture-mailer.js";
import { type ManualClock, manualClock } from "./clock.js";

export const SECRET = "test-secret-that-is-at-least-32-bytes-long";
export const PASSWORD = "correct horse battery staple";

/** A signed-up, signed-in user. */
export interface Actor {
  principal: UserPrincipal;
  userId: number;
  email: string;
  /** The organization created at signup. */
  orgId: number;
}

/** A fresh storage with an auth instance on it, and helpers to make people. */
export interface World {
  auth: Auth;
  storage: StorageAdapter & TenancyStorage;
  clock: ManualClock;
  /**
   * Where invitation tokens are read, as invitees read them: the capture mailer (the one in `options.mailer` when it
   * is one). A world made without a mailer gets one with `mail.deliverAfterCommit: false`, so mail is only
   * delivered when a helper asks for it (as before, nothing runs in the background).
   */
  mailbox: CaptureMailer;
  /** The token of the newest invitation mail to `email` (delivers queued mail first). */
  invitationToken(email: string): Promise<string>;
  cleanup(): Promise<void>;
  /**
   * Signs up (with `organizationName`, else a personal organization), verifies the email when verification is
   * required, and signs in.
   */
  user(email: string, organizationName?: string): Promise<Actor>;
  /** Signs up through an invitation to `orgId` with `roleName`, sent by `inviter`, and signs in. */
  member(inviter: Actor, orgId: number, email: string, roleName?: string): Promise<Actor>;
  /** Id of the role with this name as seen in `orgId` (built-in or custom). */
  roleId(actor: Actor, orgId: number, name: string): Promise<number>;
}

/** Builds a world on `backend`. */
export async function createWorld(backend: Backend, options: Partial<AuthOptions> = {}): Promise<World> {
  const { storage, cleanup } = await backend.create();
  const clock = manualClock();
  const given = options.mailer as Partial<CaptureMailer> | undefined;
  const mailbox = given?.tokenFor ? (given as CaptureMailer) : captureMailer();
  const mail = given ? {} : { mailer: mailbox, mail: { deliverAfterCommit: false, ...options.mail } };
  const auth = createAuth({ secret: SECRET, storage, clock, ...options, ...mail });
  const tenancy = storage as StorageAdapter & TenancyStorage;

  const signIn = async (email: string, orgId: number): Promise<Actor> => {
    const { accessToken, user } = await auth.signin({ email, password: PASSWORD });
    return {
      principal: (await auth.authenticate(accessToken)) as UserPrincipal,
      userId: user.id,
      email: user.email,
      orgId,
    };
  };
  const roleId = async (actor: Actor, orgId: number, name: string): Promise<number> => {
    const role = (await auth.roles.list(actor.principal, orgId)).find((r) => r.name === name);
    if (!role) throw new Error(`no role ${name} in organization ${orgId}`);
    return role.id;
  };

  const invitationToken = async (email: string): Promise<string> => {
    await auth.mail.idle();
    while ((await auth.mail.deliverPending()).claimed > 0);
    return mailbox.tokenFor(email, "invitation");
  };

  return {
    auth,
    storage: tenancy,
    clock,
    mailbox,
    invitationToken,
    cleanup,
    roleId,
    async user(email, organizationName) {
      const { user, organization } = await auth.signup({ email, password: PASSWORD, organizationName });
      // Stands in for clicking the verification link (tested on its own in test/mail-flows.test.ts).
      if (auth.options.emailVerification.required) await tenancy.markEmailVerified(user.id, clock.now());
      return signIn(email, organization.id);
    },
    async member(inviter, orgId, email, roleName = "Member") {
      await auth.invitations.create(inviter.principal, orgId, {
        email,
        roleId: await roleId(inviter, orgId, roleName),
      });
      await auth.signup({ email, password: PASSWORD, invitationToken: await invitationToken(email) });
      return signIn(email, orgId);
    },
  };
}
