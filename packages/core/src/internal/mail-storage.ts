import { AuthError } from "../errors.js";
import type { MailStorage } from "../ports/mail-storage.js";
import type { StorageAdapter } from "../ports/storage.js";

const METHODS = [
  "createVerificationToken",
  "consumeVerificationToken",
  "enqueueMail",
  "claimMail",
  "markMailSent",
  "markMailFailed",
  "listMail",
] as const;

/**
 * The outbox and token methods of a storage adapter (or of its transaction-bound twin).
 * @throws AuthError `INTERNAL_ERROR` when the adapter does not implement them
 */
export function mailStorageOf(storage: StorageAdapter): StorageAdapter & MailStorage {
  const candidate = storage as StorageAdapter & Partial<MailStorage>;
  if (!METHODS.every((m) => typeof candidate[m] === "function")) {
    throw new AuthError("INTERNAL_ERROR", `The storage adapter ${storage.name} does not implement mail storage`);
  }
  return candidate as StorageAdapter & MailStorage;
}
