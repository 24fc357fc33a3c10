import * as z from "zod";
import { ConfigError } from "./errors.js";
import { bytesOf } from "./internal/crypto.js";
import { toIssues } from "./internal/validate.js";
import type { Clock, RandomSource } from "./ports/clock.js";
import type { Mailer } from "./ports/mailer.js";
import type { PasswordHasher } from "./ports/password-hasher.js";
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
  /** Emails of platform administrators (platform-wide statistics). @default [] */
  platformAdmins: z
    .array(
      z
        .string()
        .trim()
        .toLowerCase()
        .pipe(z.email({ error: "must be an email address" })),
    )
    .default([]),
  /** Decides who is a platform administrator, beside `platformAdmins`. @default none: only `platformAdmins` */
  isPlatformAdmin: z
    .custom<(user: { id: number; email: string }) => boolean | Promise<boolean>>((v) => typeof v === "function", {
      error: "must be a function (user) => boolean",
    })
    .optional(),
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
