import { argon2idHasher } from "../accounts/argon2-hasher.js";
import { newPasswordSchema } from "../accounts/schemas.js";
import { IMPERSONATION_TTL_SECONDS } from "../admin/users.js";
import { AuthError, ConfigError } from "../errors.js";
import type { PlatformAdminCandidate, ResolvedAuthOptions } from "../options.js";
import { type Clock, cryptoRandom, type RandomSource, systemClock } from "../ports/clock.js";
import type { PasswordHasher } from "../ports/password-hasher.js";
import type { RateLimitStore } from "../ports/rate-limit-store.js";
import type { RoleRecord } from "../ports/records.js";
import type { StorageAdapter } from "../ports/storage.js";
import type { Membership } from "../ports/tenancy-storage.js";
import { storageRateLimitStore } from "../rate-limit/storage-store.js";
import { observeStore } from "../rate-limit/store-outage.js";
import { createThrottle, type Throttle } from "../rate-limit/throttle.js";
import type { AccessTokenSettings } from "../sessions/access-token.js";
import {
  createRevocationCache,
  REVOCATION_CLOCK_MARGIN_MS,
  type RevocationCache,
} from "../sessions/revocation-cache.js";
import type { BuiltInRoleName } from "../tenancy/built-in-roles.js";
import { bytesOf, deriveKey, keyedHash, randomToken } from "./crypto.js";
import { createOutageLog, type OutageLog, observeStorage } from "./outage-log.js";
import { createSealer, type Sealer } from "./seal.js";

/** Everything a flow needs, built once by createAuth(). Flows receive it instead of reaching for globals. */
export interface AuthContext {
  readonly options: ResolvedAuthOptions;
  readonly storage: StorageAdapter;
  readonly hasher: PasswordHasher;
  readonly clock: Clock;
  readonly random: RandomSource;
  readonly accessToken: AccessTokenSettings;
  readonly newPassword: ReturnType<typeof newPasswordSchema>;
  /** The built-in role with this name (cached: built-in roles never change while running). */
  builtInRole(name: BuiltInRoleName): Promise<RoleRecord>;
  /** Keeps a background task (mail delivery) so `idle()` can wait for it. */
  track(task: Promise<unknown>): void;
  /** Resolves when every tracked background task has settled. */
  idle(): Promise<void>;
  /** Seals secrets that must wait in storage (mail outbox). */
  readonly sealer: Sealer;
  /** The membership behind a permission check: one storage query, or the optional per-process cache. */
  membership(orgId: number, userId: number): Promise<Membership | null>;
  /** Drops cached memberships of an organization after a change made here. */
  forgetMemberships(orgId: number): void;
  /**
   * True when the stored user is a platform administrator: a verified email in `platformAdmins`, or the
   * `isPlatformAdmin` hook says so. Pass what storage holds, never token claims (`isPlatformAdminPrincipal`
   * reads it for a principal).
   */
  isPlatformAdmin(user: PlatformAdminCandidate): Promise<boolean>;
  /** Rate limits of sign-in, sign-up, password reset and resend-verification. */
  readonly throttle: Throttle;
  /** This node's copy of the shared revocation records, checked by `authenticate`. */
  readonly revocations: RevocationCache;
  /** A hash of a random password, verified against when the account does not exist (equal timing). */
  dummyHash(): Promise<string>;
  /** The stable id of an outbox intent's mail (its Message-ID): a keyed hash, the same at every attempt. */
  mailId(intent: { id: number; createdAt: number }): string;
  /** The outages of the database and the rate-limit store: logged once each, not per failed call. */
  readonly outages: OutageLog;
}

/** Builds the context from validated options. */
export function createContext(options: ResolvedAuthOptions): AuthContext {
  const random = options.random ?? cryptoRandom;
  const hasher = options.passwordHasher ?? argon2idHasher();
  const secret = bytesOf(options.secret);

  let roles: Promise<Map<string, RoleRecord>> | undefined;
  const loadRoles = async (): Promise<Map<string, RoleRecord>> =>
    new Map((await options.storage.listBuiltInRoles()).map((r) => [r.name, r]));

  let dummy: Promise<string> | undefined;
  const dummyHash = (): Promise<string> => {
    dummy ??= hasher.hash(randomToken(random, 128)).catch((error: unknown) => {
      dummy = undefined;
      throw error;
    });
    return dummy;
  };

  const clock = options.clock ?? systemClock;
  const outages = createOutageLog({ clock });
  // Every storage call reports to the outage log (the host's adapter object itself is left as it is).
  const storage = observeStorage(options.storage, outages);
  const mailIdKey = deriveKey(secret, "mail-message-id");
  const cacheMs = options.authorization.cacheTtlSeconds * 1000;
  const cache = new Map<string, { at: number; value: Membership | null }>();
  const admins = new Set(options.platformAdmins);
  const tasks = new Set<Promise<unknown>>();
  const throttle = createThrottle(
    options.rateLimit,
    observeStore(rateLimitStore(options), outages, {
      policy: options.rateLimit.onStoreUnavailable,
      // The default store is the database itself: its failures are the database's outage.
      dependency: options.rateLimit.store ? "rate-limit store" : "database",
    }),
    clock,
  );

  return {
    options,
    storage,
    track(task) {
      tasks.add(task);
      void task.finally(() => tasks.delete(task));
    },
    async idle() {
      while (tasks.size > 0) await Promise.allSettled([...tasks]);
    },
    sealer: createSealer(deriveKey(secret, "sealed-secrets"), random),
    async membership(orgId, userId) {
      if (cacheMs === 0) return storage.findMembership(orgId, userId);
      const key = `${orgId}:${userId}`;
      const hit = cache.get(key);
      if (hit && clock.now() - hit.at < cacheMs) return hit.value;
      const value = await storage.findMembership(orgId, userId);
      if (cache.size > 10_000) cache.clear();
      cache.set(key, { at: clock.now(), value });
      return value;
    },
    forgetMemberships(orgId) {
      for (const key of cache.keys()) if (key.startsWith(`${orgId}:`)) cache.delete(key);
    },
    async isPlatformAdmin(user) {
      if (user.emailVerified && admins.has(user.email)) return true;
      return options.isPlatformAdmin ? (await options.isPlatformAdmin(user)) === true : false;
    },
    hasher,
    clock,
    random,
    accessToken: {
      key: deriveKey(secret, "access-token"),
      issuer: options.issuer,
      audience: options.audience,
      ttlSeconds: options.accessToken.ttlSeconds,
      random,
    },
    newPassword: newPasswordSchema(options.password),
    async builtInRole(name) {
      roles ??= loadRoles().catch((error: unknown) => {
        roles = undefined;
        throw error;
      });
      const role = (await roles).get(name);
      if (!role) {
        throw new AuthError("INTERNAL_ERROR", `Built-in role ${name} is missing: run the storage migrations`);
      }
      return role;
    },
    dummyHash,
    mailId: (intent) => keyedHash(mailIdKey, `${intent.id}:${intent.createdAt}`).slice(0, 32),
    outages,
    throttle,
    revocations: createRevocationCache({
      storage,
      clock,
      refreshMs: options.revocation.refreshSeconds * 1000,
      // A record matters while a token issued before it may live: the longest lifetime, plus the clock margin.
      keepMs:
        Math.max(options.accessToken.ttlSeconds, IMPERSONATION_TTL_SECONDS) * 1000 + 2 * REVOCATION_CLOCK_MARGIN_MS,
    }),
  };
}

/** The configured store, else the storage adapter's counters (which it must then have). */
function rateLimitStore(options: ResolvedAuthOptions): RateLimitStore {
  if (options.rateLimit.store) return options.rateLimit.store;
  const storage = options.storage as Partial<StorageAdapter>;
  if (options.rateLimit.enabled && typeof storage.hitRateLimit !== "function") {
    throw new ConfigError([
      {
        path: "rateLimit.store",
        message:
          "the storage adapter has no rate-limit counters (hitRateLimit): pass a store, e.g. memoryRateLimitStore()",
      },
    ]);
  }
  return storageRateLimitStore(options.storage);
}
