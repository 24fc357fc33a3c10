import { decodeBase64urlIgnorePadding, encodeBase64urlNoPadding } from "@oslojs/encoding";
import type { RandomSource } from "../ports/clock.js";
import { bytesOf } from "./crypto.js";

/**
 * Seals short secrets (an invitation token waiting in the mail outbox) with AES-256-GCM from the platform's
 * WebCrypto, so a database dump does not hand out working links. Format: `v1.<iv>.<ciphertext+tag>`.
 */
export interface Sealer {
  seal(plaintext: string): Promise<string>;
  /** The plaintext, or null when the value was not sealed by this key or was altered. */
  unseal(sealed: string): Promise<string | null>;
}

/** WebCrypto wants ArrayBuffer-backed views; copying makes one. */
const own = (bytes: Uint8Array): Uint8Array<ArrayBuffer> => new Uint8Array(bytes);

/** A sealer keyed with 32 bytes (derive them from the master secret). */
export function createSealer(key: Uint8Array, random: RandomSource): Sealer {
  let cryptoKey: Promise<CryptoKey> | undefined;
  const getKey = (): Promise<CryptoKey> => {
    cryptoKey ??= globalThis.crypto.subtle.importKey("raw", own(key), "AES-GCM", false, ["encrypt", "decrypt"]);
    return cryptoKey;
  };
  return {
    async seal(plaintext) {
      const iv = own(random.fill(new Uint8Array(12)));
      const ciphertext = await globalThis.crypto.subtle.encrypt(
        { name: "AES-GCM", iv },
        await getKey(),
        own(bytesOf(plaintext)),
      );
      return `v1.${encodeBase64urlNoPadding(iv)}.${encodeBase64urlNoPadding(new Uint8Array(ciphertext))}`;
    },
    async unseal(sealed) {
      const [version, iv, ciphertext] = sealed.split(".");
      if (version !== "v1" || !iv || !ciphertext) return null;
      try {
        const plain = await globalThis.crypto.subtle.decrypt(
          { name: "AES-GCM", iv: own(decodeBase64urlIgnorePadding(iv)) },
          await getKey(),
          own(decodeBase64urlIgnorePadding(ciphertext)),
        );
        return new TextDecoder().decode(plain);
      } catch {
        return null;
      }
    },
  };
}
