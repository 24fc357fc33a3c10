import * as z from "zod";
import type { AuditEvent } from "./audit/events.js";
import { ConfigError } from "./errors.js";
import { canonicalIp } from "./http/client-ip.js";
import { bytesOf } from "./internal/crypto.js";
import { toIssues } from "./internal/validate.js";
import type { Clock, RandomSource } from "./ports/clock.js";
import type { Mailer } from "./ports/mailer.js";
import type { PasswordHasher } from "./ports/password-hasher.js";
import type { RateLimitStore } from "./ports/rate-limit-store.js";
import type { StorageAdapter } from "./ports/storage.js";

const hasMethods =
  (...names: string[]) =>
  (value: unknown): boolean =>
    typeof value === "object" &&
    value !== null &&
    names.every((n) => typeof (value as Record<string, unknown>)[n] === "function");

const seconds = (fallback: number) =>
  z
    .number({ error: "must be a number of seconds" })
    .int({ error: "must be a whole number of seconds" })
    .positive({
      error: "must be positive",
    })
    .default(fallback);

const DAY = 24 * 60 * 60;

/** A limit: at most `limit` requests per fixed window of `windowSeconds`. */
const rule = (limit: number, windowSeconds: number) =>
  z
    .strictObject({
      /** Most requests per window. */
      limit: z.number().int().min(1, { error: "must be at least 1" }).default(limit),
      /** Length of the window in seconds. */
      windowSeconds: seconds(windowSeconds).refine((v) => v <= DAY, { error: "must be at most 86400 (one day)" }),
    })
    .prefault({});

/** Per-IP and per-email limits of a flow that sends mail or creates accounts. */
const perIpAndEmail = (ip: number, email: number, windowSeconds: number) =>
  z
    .strictObject({
      /** Requests per client IP (only when the HTTP adapter gives core the IP). */
      perIp: rule(ip, windowSeconds),
      /** Requests per (normalized) email address, whether or not it has an account. */
      perEmail: rule(email, windowSeconds),
    })
    .prefault({});
/**
 * The stored user that `isPlatformAdmin` is asked about: read from storage at each check, never taken from the
 * access token's claims. `emailVerified` is true once the user has proven the address (verification link, or
 * signup through an invitation mailed to it).
 */
export interface PlatformAdminCandidate {
  id: number;
  email: string;
  emailVerified: boolean;
}

/**
 * Limits of an anonymous request that mails an address (password reset, resend verification): per IP, per
 * address from one IP, and a ceiling per address over every IP.
 */
const mailRequestLimits = (ip: number, email: number, emailAndIp: number, windowSeconds: number) =>
  z
    .strictObject({
      /** Requests per client IP, any address (only when the HTTP adapter gives core the IP). */
      perIp: rule(ip, windowSeconds),
      /** Requests per (normalized) address from one client IP. */
      perEmailAndIp: rule(emailAndIp, windowSeconds),
      /** Requests per address from every IP together (counted only when the other limits let them through). */
      perEmail: rule(email, windowSeconds),
    })
    .prefault({});
/** What a limit function receives: the user (for `organizationLimit`) or the organization it applies to. */
export interface LimitContext {
  /** The user who creates the organization (`organizationLimit`) or joins (`membershipLimit`). */
  userId?: number;
  /** The organization (`membershipLimit`, `invitationLimit`). */
  orgId?: number;
}

const limit = z.union(
  [
    z.number().int().min(0, { error: "must be 0 or more" }),
    z.custom<(ctx: LimitContext) => number | Promise<number>>((v) => typeof v === "function"),
  ],
  { error: "must be a whole number or a function (ctx) => number" },
);

/**
 * Every option of `createAuth()`, with its default. Unknown options are refused, so typos cannot pass silently.
 */
export const authOptionsSchema = z.strictObject({
  /** Master secret, at least 32 bytes (256 bits) of UTF-8. Keys for tokens are derived from it. Keep it out of code. */
  secret: z
    .string({ error: "is required: a random string of at least 32 bytes (e.g. `openssl rand -base64 32`)" })
    .refine((s) => bytesOf(s).length >= 32, { error: "must be at least 32 bytes (256 bits) long" }),
  /** Where tenantauth keeps its rows: `knexStorage(...)` from @tenantauth/knex, or `memoryStorage()` in tests. */
  storage: z.custom<StorageAdapter>(
    hasMethods("transaction", "findUserByEmail", "createUserWithOrganization", "rotateRefreshToken"),
    { error: "is required: a StorageAdapter such as knexStorage(url) from @tenantauth/knex" },
  ),
  /** `iss` of access tokens. @default "tenantauth" */
  issuer: z.string().min(1, { error: "must not be empty" }).default("tenantauth"),
  /** `aud` of access tokens. @default "tenantauth" */
  audience: z.string().min(1, { error: "must not be empty" }).default("tenantauth"),
  accessToken: z
    .strictObject({
      /** Lifetime of an access token in seconds, at most 86400 (one day). @default 900 (15 minutes) */
      ttlSeconds: seconds(15 * 60).refine((v) => v <= DAY, { error: "must be at most 86400 (one day)" }),
    })
    .prefault({}),
  session: z
    .strictObject({
      /** A session dies when not refreshed for this many seconds. @default 604800 (7 days) */
      idleTimeoutSeconds: seconds(7 * DAY),
      /** A session dies this many seconds after sign-in, whatever happens. @default 2592000 (30 days) */
      absoluteTimeoutSeconds: seconds(30 * DAY),
      /**
       * A refresh token presented again within this many seconds of its rotation (two tabs refreshing at once, a
       * retry after a lost response, two nodes) gets a new token of the same session instead of revoking it; after
       * that, a replay is reuse and revokes the session. A thief holding the token inside this window gets a token
       * too, so keep it short; 0 turns it off. At most 4 unspent tokens per session. @default 5
       */
      refreshReuseGraceSeconds: z.number().int().min(0).max(60, { error: "must be at most 60" }).default(5),
    })
    .prefault({})
    .refine((s) => s.idleTimeoutSeconds <= s.absoluteTimeoutSeconds, {
      error: "idleTimeoutSeconds must not exceed absoluteTimeoutSeconds",
    }),
  password: z
    .strictObject({
      /** Fewest characters (code points after NFKC). @default 8 */
      minLength: z.number().int().min(8, { error: "must be at least 8 (OWASP ASVS)" }).default(8),
      /** Most characters. @default 128 */
      maxLength: z.number().int().max(1024, { error: "must be at most 1024" }).default(128),
      /** Refuse the 10,000 most common passwords (shipped list, no network) with `PASSWORD_TOO_COMMON`. @default true */
      rejectCommon: z.boolean().default(true),
      /**
       * Asks a breach service (e.g. HIBP's k-anonymity range API) about a new password; `true` refuses it with
       * `PASSWORD_BREACHED`. Fails open: if it throws, the password is accepted and a warning logged. @default none
       */
      isBreached: z
        .custom<(password: string) => boolean | Promise<boolean>>((v) => typeof v === "function", {
          error: "must be a function (password) => boolean | Promise<boolean>",
        })
        .optional(),
    })
    .prefault({})
    .refine((p) => p.minLength <= p.maxLength, { error: "minLength must not exceed maxLength" }),
  /**
   * Sends transactional mail: `smtpMailer()` or `consoleMailer()` from @tenantauth/mail. Without one, mail waits in the outbox.
   * @default none: mail waits in the outbox
   */
  mailer: z.custom<Mailer>(hasMethods("send"), { error: "must have send(mail)" }).optional(),
  mail: z
    .strictObject({
      /** Deliver right after each change that queues mail (in the background). @default true */
      deliverAfterCommit: z.boolean().default(true),
      /** Attempts before an intent is marked failed. @default 8 */
      maxAttempts: z.number().int().min(1).max(100).default(8),
      /** Backoff after the first failure, doubled after each next one (capped at one hour). @default 30 */
      retryBaseSeconds: seconds(30),
      /** How long a deliverer holds the intents it claimed. @default 300 */
      leaseSeconds: seconds(300),
      /** Intents per delivery round. @default 50 */
      batchSize: z.number().int().min(1).max(1000).default(50),
    })
    .prefault({}),
  emailVerification: z
    .strictObject({
      /** Refuse sign-in (`EMAIL_NOT_VERIFIED`, after the password checked out) until the email is verified. @default true */
      required: z.boolean().default(true),
      /** How long a verification link works, in seconds. @default 86400 (24 hours) */
      ttlSeconds: seconds(DAY),
    })
    .prefault({}),
  passwordReset: z
    .strictObject({
      /** How long a reset link works, in seconds. @default 3600 (1 hour) */
      ttlSeconds: seconds(3600),
    })
    .prefault({}),
  invitations: z
    .strictObject({
      /** How long an invitation link works, in seconds. @default 604800 (7 days) */
      ttlSeconds: seconds(7 * DAY),
    })
    .prefault({}),
  signup: z
    .strictObject({
      /** Also make a personal organization when someone signs up through an invitation. @default false */
      personalOrganizationOnInvite: z.boolean().default(false),
    })
    .prefault({}),
  authorization: z
    .strictObject({
      /**
       * Cache memberships in this process for this many seconds (0 = off). A role change or removal made on
       * another node is then seen only when the entry expires. @default 0
       */
      cacheTtlSeconds: z.number().int().min(0).max(300, { error: "must be at most 300" }).default(0),
    })
    .prefault({}),
  revocation: z
    .strictObject({
      /**
       * How often each node reads new revocation records (sign-out, refresh-token reuse, password reset, a disabled
       * user, removal from an organization or a role change) from storage, in seconds: the longest time an access
       * token, or its active-organization claim, keeps working on another node after it was taken away. One
       * indexed query per interval per node, none per request; 0 = one query on every `authenticate`. @default 2
       */
      refreshSeconds: z.number().int().min(0).max(60, { error: "must be at most 60" }).default(2),
    })
    .prefault({}),
  /**
   * Throttling of sign-in (and its second factor), sign-up, password reset, resend-verification and invitations
   * (see docs/rate-limits.md).
   */
  rateLimit: z
    .strictObject({
      /** Turn every limit off (e.g. when a gateway in front already throttles). @default true */
      enabled: z.boolean().default(true),
      /**
       * Where counters live. @default storageRateLimitStore(storage): the SQL database, shared by every node.
       * `memoryRateLimitStore()` for one process; `redisRateLimitStore(redis)` from @tenantauth/redis.
       */
      store: z
        .custom<RateLimitStore>(hasMethods("hit", "peek", "reset"), { error: "must have hit(), peek() and reset()" })
        .optional(),
      /**
       * What throttled requests (sign-in, sign-up, resets, invitations …) do while the store cannot be reached (Redis
       * down, a partition, a command timeout): `"fail-closed"` answers them `503 STORAGE_UNAVAILABLE` with
       * `Retry-After`; `"fail-open"` lets them through with no limit until the store answers again. Either way the
       * outage is logged once when it starts, as a count while it lasts, and once when it ends.
       * @default "fail-closed"
       */
      onStoreUnavailable: z.enum(["fail-closed", "fail-open"]).default("fail-closed"),
      signin: z
        .strictObject({
          /**
           * Failed sign-ins per account (the normalized email, whether or not the account exists) from one client
           * IP. After `limit` failures within `windowSeconds` the account is locked for that IP until the window
           * ends; each further lock within a day lasts twice as long as the one before, up to `maxLockSeconds`.
           * Other IPs are not locked out, so an attacker cannot lock the owner out (a caller that passes no IP
           * counts as one source). @default 10 per 900 s
           */
          perAccountAndIp: z
            .strictObject({
              /** Failures per window before the lock. @default 10 */
              limit: z.number().int().min(1).max(100).default(10),
              /** The window, and the first lock's longest length, in seconds. @default 900 (15 minutes) */
              windowSeconds: seconds(15 * 60).refine((v) => v <= DAY, { error: "must be at most 86400 (one day)" }),
              /** Longest lock in seconds. @default 3600 (1 hour) */
              maxLockSeconds: seconds(3600).refine((v) => v <= 7 * DAY, { error: "must be at most 604800 (7 days)" }),
            })
            .prefault({}),
          /** The ceiling per account, over every IP (a distributed attack). */
          perAccount: z
            .strictObject({
              /**
               * Failures per account per hour, from any IP, after which the account is locked for everyone until
               * the hour ends (NIST 800-63B: at most 100). A good password clears it. @default 100
               */
              maxPerHour: z
                .number()
                .int()
                .min(1)
                .max(100, { error: "must be at most 100 (NIST 800-63B)" })
                .default(100),
            })
            .prefault({}),
          /** Failed sign-ins per client IP (any account). @default 100 per 900 s */
          perIp: rule(100, 15 * 60),
        })
        .prefault({}),
      /** Sign-ups. @default 20 per IP and 5 per email per 3600 s */
      signup: perIpAndEmail(20, 5, 3600),
      /**
       * Password-reset requests. Over any limit the request is answered as usual (202) and sends nothing, so
       * nobody can block another's reset with a 429. @default 3 per email and IP, 10 per email, 20 per IP per 3600 s
       */
      passwordReset: mailRequestLimits(20, 10, 3, 3600),
      /**
       * Resend-verification requests, limited like `passwordReset`: over a limit, answered as usual and nothing is
       * sent. @default 3 per email and IP, 10 per email, 20 per IP per 3600 s
       */
      resendVerification: mailRequestLimits(20, 10, 3, 3600),
      /**
       * Wrong proofs per user when confirming or disabling two-factor sign-in (a TOTP or backup code, or the
       * password for disabling); past the limit these calls answer `RATE_LIMITED` until the window ends. Sign-in
       * challenges have their own lock (`twoFactor.maxAttempts`). @default 5 per 900 s
       */
      twoFactorCodes: rule(5, 15 * 60),
      /**
       * Second-factor codes per user when finishing a sign-in, across all of the user's challenges (each challenge
       * also locks after `twoFactor.maxAttempts`). Every code checked spends a try; the try that reaches the limit
       * with a wrong code locks two-factor sign-in until the window ends (`RATE_LIMITED` with `Retry-After`, even
       * for the right code), records `signin.lockout` (scope `second_factor`) and mails the user a notice. A right
       * password never gives tries back; a right code does only when it was the window's first try. @default 10 per 900 s
       */
      twoFactorSignin: rule(10, 15 * 60),
      /**
       * Invitation mails a signed-in member can make tenantauth send (new invitations and resends alike). Past a
       * limit, `RATE_LIMITED` with `Retry-After`; a refused invitation (unknown role, already a member) is not
       * counted.
       */
      invitations: z
        .strictObject({
          /** Invitation mails per organization, by all its members together. @default 20 per 3600 s */
          perOrganization: rule(20, 3600),
          /** Invitation mails per inviter, over every organization. @default 10 per 3600 s */
          perInviter: rule(10, 3600),
          /** Resends of one invitation. @default 3 per 3600 s */
          resendsPerInvitation: rule(3, 3600),
        })
        .prefault({}),
    })
    .prefault({}),
  /**
   * Answer signup with a taken email exactly like a new one (OWASP ASVS 6.3.8, level 3) and mail the address's
   * owner an "account already exists" notice instead. The HTTP `/signup` body then omits `user_id` and `org_id`
   * for every signup; `auth.signup()` still throws `EMAIL_TAKEN` to the host, which must not relay it.
   * @default false (a taken email gets `EMAIL_TAKEN`, as in the seed service)
   */
  enumerationSafeSignup: z.boolean().default(false),
  twoFactor: z
    .strictObject({
      /** The issuer (product name) shown in authenticator apps, in the `otpauth://` URI. @default "tenantauth" */
      issuer: z.string().trim().min(1, { error: "must not be empty" }).max(64).default("tenantauth"),
      /** How long a sign-in challenge waits for its code, in seconds. @default 300 (5 minutes) */
      challengeTtlSeconds: seconds(300).refine((v) => v <= 3600, { error: "must be at most 3600 (one hour)" }),
      /** Wrong codes after which a sign-in challenge is locked. @default 5 */
      maxAttempts: z.number().int().min(1).max(20).default(5),
    })
    .prefault({}),
  apiKeys: z
    .strictObject({
      /** The readable start of every API key; `authenticate` treats tokens starting with it as keys. @default "ta_live_" */
      prefix: z
        .string()
        .regex(/^[a-z][a-z0-9]*_([a-z0-9]+_)?$/, { error: "must look like ta_live_ (lower-case, ending with _)" })
        .max(24)
        .default("ta_live_"),
    })
    .prefault({}),
  /**
   * Answer `authorize()` for a token's active organization from a live query instead of the role in the token's
   * claims (see `auth.switchOrganization`). Off: a removal or role change makes `authenticate` refuse such tokens
   * within `revocation.refreshSeconds` (a custom role's edited permissions reach them at their next refresh).
   * @default false
   */
  strictAuthorization: z.boolean().default(false),
  /**
   * Most organizations a user may own (Owner role, personal organization included); past it, creating one fails
   * with `LIMIT_REACHED`. A number or `({ userId }) => number`. @default unlimited
   */
  organizationLimit: limit.optional(),
  /**
   * Most members (any status) an organization may have; accepting an invitation past it fails with
   * `LIMIT_REACHED`. A number or `({ orgId, userId }) => number`. @default unlimited
   */
  membershipLimit: limit.optional(),
  /**
   * Most pending, unexpired invitations an organization may have; inviting past it fails with `LIMIT_REACHED`.
   * A number or `({ orgId }) => number`. @default unlimited
   */
  invitationLimit: limit.optional(),
  /**
   * Emails of platform administrators (platform-wide statistics, `auth.admin`). Only an active account whose email
   * is verified matches: an unverified account under a listed address is no administrator. @default []
   */
  platformAdmins: z
    .array(
      z
        .string()
        .trim()
        .toLowerCase()
        .pipe(z.email({ error: "must be an email address" })),
    )
    .default([]),
  /**
   * Decides who is a platform administrator, beside `platformAdmins`. It receives the stored user (`id`, `email`,
   * `emailVerified`) read from storage at each check, never a claim of the access token. It is not asked about an
   * impersonation token, and a disabled user is no administrator whatever it answers. @default none: only
   * `platformAdmins`
   */
  isPlatformAdmin: z
    .custom<(user: { id: number; email: string; emailVerified: boolean }) => boolean | Promise<boolean>>(
      (v) => typeof v === "function",
      {
        error: "must be a function (user) => boolean",
      },
    )
    .optional(),
  /**
   * Called with every audit event after it is stored (after its transaction commits): sign-ins, lockouts, refresh
   * token reuse, password changes, role changes, removals, invitations, organization deletion (docs/audit.md).
   * It runs in the background: a returned promise is not awaited, and a throw or rejection is logged, never passed
   * to the operation. Events never hold a secret. @default none (events are only stored)
   */
  onEvent: z
    .custom<(event: AuditEvent) => void | Promise<void>>((v) => typeof v === "function", {
      error: "must be a function (event) => void",
    })
    .optional(),
  /**
   * Which proxies are believed when they report the client's address in `X-Forwarded-For` (the `Forwarded` header
   * is never read). The client IP feeds the per-IP rate limits, sessions and audit events; both HTTP adapters compute
   * it from the TCP peer's address with this one rule (`clientIp()`). `false`: the peer's address, forwarded headers
   * ignored. A number `n`: the `n` proxies nearest the app (`1` behind one load balancer). A list of addresses: those
   * proxies. `true`: every hop (the left-most entry), only when nothing reaches the app but through your proxies.
   * See docs/deployment.md. @default false
   */
  trustProxy: z
    .union(
      [
        z.boolean(),
        z.number().int().min(0, { error: "must be 0 or more" }),
        z.array(z.string().refine((a) => canonicalIp(a) !== null, { error: "must be an IP address" })),
      ],
      { error: "must be a boolean, a number of hops or a list of proxy IP addresses" },
    )
    .default(false),
  /** Hashes and verifies passwords (`hash`, `verify`, `needsRehash`). @default argon2idHasher() at m=19456 KiB, t=2, p=1 */
  passwordHasher: z
    .custom<PasswordHasher>(hasMethods("hash", "verify", "needsRehash"), {
      error: "must have hash(), verify() and needsRehash()",
    })
    .optional(),
  /** Where time comes from (`now()` in epoch ms); tests pass a manual clock. @default the system clock */
  clock: z.custom<Clock>(hasMethods("now"), { error: "must have now()" }).optional(),
  /** Where random bytes come from (`fill(bytes)`); must be a CSPRNG outside tests. @default crypto.getRandomValues */
  random: z.custom<RandomSource>(hasMethods("fill"), { error: "must have fill(bytes)" }).optional(),
});

/** What you pass to `createAuth()`. */
export type AuthOptions = z.input<typeof authOptionsSchema>;

/** Options after defaults are applied. */
export type ResolvedAuthOptions = z.output<typeof authOptionsSchema>;

/** Validates options, or throws {@link ConfigError} naming every bad field and its rule. */
export function resolveOptions(options: unknown): ResolvedAuthOptions {
  const result = authOptionsSchema.safeParse(options);
  if (!result.success) throw new ConfigError(toIssues(result.error), { cause: result.error });
  return result.data;
}
