import { hmac } from "@oslojs/crypto/hmac";
import { SHA256, sha256 } from "@oslojs/crypto/sha2";
import { encodeBase32LowerCaseNoPadding, encodeBase64urlNoPadding, encodeHexLowerCase } from "@oslojs/encoding";
import type { RandomSource } from "../ports/clock.js";

const utf8 = new TextEncoder();

/** UTF-8 bytes of a string. */
export function bytesOf(text: string): Uint8Array {
  return utf8.encode(text);
}

/** A URL-safe token carrying `bits` random bits (base64url, no padding). */
export function randomToken(random: RandomSource, bits: number): string {
  return encodeBase64urlNoPadding(random.fill(new Uint8Array(Math.ceil(bits / 8))));
}

/** A lower-case base32 identifier carrying `bits` random bits. */
export function randomId(random: RandomSource, bits = 128): string {
  return encodeBase32LowerCaseNoPadding(random.fill(new Uint8Array(Math.ceil(bits / 8))));
}

/** SHA-256 of a token, as lower-case hex: what storage keeps instead of the token. */
export function hashToken(token: string): string {
  return encodeHexLowerCase(sha256(bytesOf(token)));
}

/** Derives an independent key for one purpose from the master secret (HMAC-SHA256 as a PRF). */
export function deriveKey(secret: Uint8Array, purpose: string): Uint8Array {
  return hmac(SHA256, secret, bytesOf(`tenantauth:${purpose}`));
}

/** HMAC-SHA256 of `message` under `key`, as lower-case hex (a keyed, one-way id). */
export function keyedHash(key: Uint8Array, message: string): string {
  return encodeHexLowerCase(hmac(SHA256, key, bytesOf(message)));
}
