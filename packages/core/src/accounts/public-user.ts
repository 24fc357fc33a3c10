import { type JsonObject, USER_STATUS, type UserRecord } from "../ports/records.js";

/** A user as the SDK shows it: never the password hash. */
export interface User {
  id: number;
  email: string;
  emailVerified: boolean;
  profile: JsonObject;
  status: "active" | "disabled";
  createdAt: number;
  updatedAt: number;
}

/** Strips a user record down to what may leave core. */
export function toPublicUser(record: UserRecord): User {
  return {
    id: record.id,
    email: record.email,
    emailVerified: record.emailVerifiedAt !== null,
    profile: record.profile,
    status: record.status === USER_STATUS.active ? "active" : "disabled",
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}
