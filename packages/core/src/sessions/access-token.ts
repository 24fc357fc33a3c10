import { createHmac, timingSafeEqual } from "node:crypto";
import { createJWTSignatureMessage, encodeJWT, joseAlgorithmHS256, parseJWT } from "@oslojs/jwt";
import * as z from "zod";
import type { ApiKeyPrincipal } from "../api-keys/api-key-principal.js";
import { AuthError } from "../errors.js";
import { randomId } from "../internal/crypto.js";
import type { RandomSource } from "../ports/clock.js";
import { sealPrincipal } from "./principal.js";
import type { RequestMeta } from "./sessions.js";

/** The JOSE `typ` of tenantauth access tokens (RFC 9068). */
export const ACCESS_TOKEN_TYPE = "at+jwt";

/** Who made a request, as proven by an access token. `authenticate()` returns it deeply frozen. */
export interface UserPrincipal {
  kind: "user";
  userId: number;
  /** The user's email when the token was issued. */
  email: string;
  /** The session (refresh-token family) the token was issued for. */
  sessionId: string;
  /** Epoch ms. */
  issuedAt: number;
  /** Epoch ms. */
  expiresAt: number;
  /**
   * Where the current request came from, for audit events. `authenticate()` does not set it; the HTTP handler
   * (and the Express/Hono middleware) attach it, and SDK callers can with `withRequestMeta(principal, meta)`.
   */
  meta?: RequestMeta | undefined;
  /**
   * Set on an impersonation token (`auth.admin.users.impersonate`): the platform administrator acting as this
   * user (the token's RFC 8693 `act.sub` claim).
   */
  impersonatorId?: number;
  /**
   * The active organization the token was issued for (`auth.switchOrganization`) with the caller's role in it
   * at issue time; `authorize` answers from it for that organization unless `strictAuthorization` is on.
   */
  activeOrganization?: ActiveOrganizationClaim;
}

/** The `org` claim: the active organization and the caller's role in it when the token was issued. */
export interface ActiveOrganizationClaim {
  id: number;
  role: { id: number; name: string; permissions: string[] };
}

/** Claims beside the session's that a token may carry. */
export interface ExtraClaims {
  impersonatorId?: number;
  activeOrganization?: ActiveOrganizationClaim;
  /** Overrides the configured lifetime (impersonation tokens live one hour). */
  ttlSeconds?: number;
}

/** Any authenticated caller: a signed-in user or an organization API key. Switch on `kind`. */
export type Principal = UserPrincipal | ApiKeyPrincipal;

/** Settings the access-token codec needs. */
export interface AccessTokenSettings {
  key: Uint8Array;
  issuer: string;
  audience: string;
  ttlSeconds: number;
  random: RandomSource;
}

/** Allowed clock skew between nodes when checking `iat`, in seconds. */
const CLOCK_SKEW_SECONDS = 60;

/**
 * HMAC-SHA256 through node:crypto (OpenSSL): the access token is checked on every authenticated request, and the
 * pure-JS HMAC of @oslojs/crypto cost ~10× more per token (docs/architecture.md). @oslojs/jwt still parses and encodes.
 */
function hs256(key: Uint8Array, message: Uint8Array): Uint8Array {
  const digest = createHmac("sha256", key).update(message).digest();
  return new Uint8Array(digest.buffer, digest.byteOffset, digest.byteLength);
}

const invalid = (why: string): AuthError => new AuthError("INVALID_TOKEN", `Invalid access token: ${why}`);

/** Signs an HS256 access token for a session. `now` is epoch ms. */
export function signAccessToken(
  settings: AccessTokenSettings,
  subject: { userId: number; email: string; sessionId: string },
  now: number,
  extra: ExtraClaims = {},
): string {
  const iat = Math.floor(now / 1000);
  const headerJSON = JSON.stringify({ alg: joseAlgorithmHS256, typ: ACCESS_TOKEN_TYPE });
  const payloadJSON = JSON.stringify({
    iss: settings.issuer,
    aud: settings.audience,
    sub: String(subject.userId),
    email: subject.email,
    sid: subject.sessionId,
    iat,
    exp: iat + (extra.ttlSeconds ?? settings.ttlSeconds),
    jti: randomId(settings.random, 96),
    ...(extra.impersonatorId === undefined ? {} : { act: { sub: String(extra.impersonatorId) } }),
    org: extra.activeOrganization, // left out by JSON.stringify when undefined
  });
  const signature = hs256(settings.key, createJWTSignatureMessage(headerJSON, payloadJSON));
  return encodeJWT(headerJSON, payloadJSON, signature);
}

/**
 * Verifies an access token without touching storage: structure, `alg` (HS256 only), `typ`, signature
 * (constant time), `iss`, `aud`, `exp` and `iat`. Throws `INVALID_TOKEN` for anything wrong, `TOKEN_EXPIRED`
 * for a genuine token past its `exp`.
 */
export function verifyAccessToken(settings: AccessTokenSettings, token: unknown, now: number): UserPrincipal {
  return verify(settings, token, now).principal;
}

function verify(
  settings: AccessTokenSettings,
  token: unknown,
  now: number,
): { principal: UserPrincipal; iat: number; exp: number } {
  if (typeof token !== "string") throw invalid("not a token");
  if (token.length > 4096) throw invalid("too long"); // the empty string fails parseJWT
  let header: Record<string, unknown>;
  let payload: Record<string, unknown>;
  let signature: Uint8Array;
  let message: Uint8Array;
  try {
    const parts = parseJWT(token);
    header = parts[0] as Record<string, unknown>;
    payload = parts[1] as Record<string, unknown>;
    signature = parts[2];
    message = parts[3];
  } catch {
    throw invalid("malformed");
  }
  if (header.alg !== joseAlgorithmHS256) throw invalid("algorithm not allowed");
  if (header.typ !== ACCESS_TOKEN_TYPE) throw invalid("wrong type");
  if (header.crit !== undefined) throw invalid("unsupported critical header");
  const expected = hs256(settings.key, message);
  if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) {
    throw invalid("bad signature");
  }
  const { iss, aud, sub, sid, iat, exp, email, act, org } = payload;
  if (iss !== settings.issuer) throw invalid("wrong issuer");
  const audiences = Array.isArray(aud) ? aud : [aud];
  if (!audiences.includes(settings.audience)) throw invalid("wrong audience");
  if (typeof sub !== "string" || !isUserId(sub)) throw invalid("bad subject");
  if (typeof sid !== "string" || sid.length === 0) throw invalid("bad session");
  if (typeof email !== "string") throw invalid("bad email");
  if (typeof iat !== "number" || typeof exp !== "number") throw invalid("missing iat/exp");
  checkTimes(iat, exp, now);
  const principal: UserPrincipal = {
    kind: "user",
    userId: Number(sub),
    email,
    sessionId: sid,
    issuedAt: iat * 1000,
    expiresAt: exp * 1000,
  };
  if (act !== undefined) {
    const actor = actClaim.safeParse(act);
    if (!actor.success) throw invalid("bad act claim");
    principal.impersonatorId = Number(actor.data.sub);
  }
  if (org !== undefined) {
    const active = orgClaim.safeParse(org);
    if (!active.success) throw invalid("bad org claim");
    principal.activeOrganization = active.data;
  }
  return { principal: sealPrincipal(principal), iat, exp };
}

/** The time-dependent checks: `iat` not in the future (beyond the skew), `exp` not reached. Seconds; `now` in ms. */
function checkTimes(iat: number, exp: number, now: number): void {
  const nowSeconds = now / 1000;
  if (iat > nowSeconds + CLOCK_SKEW_SECONDS) throw invalid("issued in the future");
  if (exp <= nowSeconds) throw new AuthError("TOKEN_EXPIRED", "Access token expired");
}

/** How many verified tokens {@link accessTokenVerifier} remembers by default. */
export const VERIFIED_TOKEN_CACHE_SIZE = 10_000;

/**
 * {@link verifyAccessToken} remembered per token string. Verification is a pure function of the token, the key and
 * the time: the cache keeps only tokens that passed every check and re-checks `iat` and `exp` on every hit, so it
 * answers exactly as `verifyAccessToken` would; it only skips decoding and the HMAC, which dominate the cost when a
 * client sends the same token on every request. Bounded (oldest first out) and process-local, so safe to lose.
 */
export function accessTokenVerifier(
  settings: AccessTokenSettings,
  size = VERIFIED_TOKEN_CACHE_SIZE,
): (token: unknown, now: number) => UserPrincipal {
  const verified = new Map<string, { principal: UserPrincipal; iat: number; exp: number }>();
  return (token, now) => {
    const hit = verified.get(token as string); // only strings are ever remembered
    if (hit) {
      checkTimes(hit.iat, hit.exp, now);
      return hit.principal;
    }
    const entry = verify(settings, token, now);
    if (size > 0) {
      if (verified.size >= size) verified.delete(verified.keys().next().value as string);
      verified.set(token as string, entry);
    }
    return entry.principal;
  };
}

/** A user id as a claim: decimal, no leading zero, and exact as a number (not beyond 2^53 - 1). */
const isUserId = (claim: string): boolean => /^[1-9]\d{0,15}$/.test(claim) && Number.isSafeInteger(Number(claim));
const actClaim = z.object({ sub: z.string().refine(isUserId) });
const positiveId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const orgClaim = z.strictObject({
  id: positiveId,
  role: z.strictObject({ id: positiveId, name: z.string(), permissions: z.array(z.string()).max(200) }),
});
