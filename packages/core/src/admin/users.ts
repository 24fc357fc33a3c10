import * as z from "zod";
import { toPublicUser, type User } from "../accounts/public-user.js";
import { auditedTransaction, metaOf, recordEvent } from "../audit/record.js";
import { AuthError } from "../errors.js";
import type { AuthContext } from "../internal/context.js";
import { randomId } from "../internal/crypto.js";
import { parseInput } from "../internal/validate.js";
import { USER_STATUS } from "../ports/records.js";
import { type Principal, signAccessToken } from "../sessions/access-token.js";
import { assertPrincipal } from "../sessions/principal.js";
import { publishRevocations, revokeUserSessionsEverywhere, userRevocation } from "../sessions/revocations.js";
import { idSchema } from "../tenancy/permissions.js";
import { requirePlatformAdmin } from "./platform-admin.js";

/** Options of `auth.admin.users.list()`. */
export interface ListUsersOptions {
  /** Keep users whose email contains this text (case-insensitive, matched literally). */
  query?: string | undefined;
  status?: "active" | "disabled" | undefined;
  /** `nextCursor` of the previous page. */
  cursor?: string | undefined;
  /** Page size, 1..200. @default 50 */
  limit?: number | undefined;
}

/** A page of users; `total` counts every user matching the filter. */
export interface AdminUserPage {
  users: User[];
  total: number;
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** An impersonation token: an access token for the user, marked with the administrator. No refresh token. */
export interface ImpersonationToken {
  accessToken: string;
  tokenType: "Bearer";
  /** Seconds: 3600. */
  expiresIn: number;
}

/** Lifetime of an impersonation token. */
export const IMPERSONATION_TTL_SECONDS = 3600;

const cursorSchema = z.string().regex(/^[1-9]\d{0,15}$/, { error: "must be a cursor from a previous page" });
const listSchema = z.strictObject({
  query: z.string().trim().toLowerCase().max(320, { error: "is too long" }).optional(),
  status: z.enum(["active", "disabled"]).optional(),
  cursor: cursorSchema.optional(),
  limit: z.number().int().min(1).max(200).default(50),
});

/** A page of users by ascending id, filtered by email text and status. Platform admins only. */
export async function listUsers(
  ctx: AuthContext,
  principal: Principal,
  options: ListUsersOptions = {},
): Promise<AdminUserPage> {
  await requirePlatformAdmin(ctx, principal);
  const input = parseInput(listSchema, options);
  const page = await ctx.storage.listUsers({
    ...(input.query ? { query: input.query } : {}),
    ...(input.status ? { status: USER_STATUS[input.status] } : {}),
    ...(input.cursor ? { afterId: Number(input.cursor) } : {}),
    limit: input.limit + 1,
  });
  const users = page.users.slice(0, input.limit);
  const last = users.at(-1);
  return {
    users: users.map(toPublicUser),
    total: page.total,
    nextCursor: page.users.length > input.limit && last ? String(last.id) : null,
  };
}

async function target(ctx: AuthContext, principal: Principal, userId: unknown, what: string) {
  assertPrincipal(principal);
  await requirePlatformAdmin(ctx, principal);
  const id = parseInput(idSchema, userId);
  if (id === principal.userId) throw new AuthError("FORBIDDEN", `You cannot ${what} yourself`);
  const user = await ctx.storage.findUserById(id);
  if (!user) throw new AuthError("NOT_FOUND", "User not found");
  return user;
}

/**
 * Disables a user: sign-in and refresh are refused (`USER_DISABLED`, `INVALID_REFRESH_TOKEN`) and every session
 * is revoked in the same transaction. Access tokens already issued (impersonation tokens too) stop working on
 * every node within `revocation.refreshSeconds` (`TOKEN_EXPIRED`). Platform admins only; not oneself.
 */
export async function disableUser(ctx: AuthContext, principal: Principal, userId: number): Promise<User> {
  const user = await target(ctx, principal, userId, "disable");
  const now = ctx.clock.now();
  assertPrincipal(principal);
  await auditedTransaction(ctx, async (tx) => {
    await tx.storage.updateUserStatus(user.id, USER_STATUS.disabled, now);
    const sessionsRevoked = await revokeUserSessionsEverywhere(ctx, tx.storage, user.id, "user_disabled", now);
    await publishRevocations(ctx, tx.storage, [userRevocation(user.id)]);
    const apiAccessRevoked = await tx.storage.revokeApiKeysCreatedBy(user.id, now);
    const data = { sessionsRevoked, apiAccessRevoked };
    const event = { actorUserId: principal.userId, targetUserId: user.id, data, meta: metaOf(principal) };
    await recordEvent(ctx, { type: "user.disable", ...event }, tx);
  });
  return toPublicUser({ ...user, status: USER_STATUS.disabled, updatedAt: now });
}

/** Enables a disabled user again (they sign in anew). Platform admins only. */
export async function enableUser(ctx: AuthContext, principal: Principal, userId: number): Promise<User> {
  const user = await target(ctx, principal, userId, "enable");
  const now = ctx.clock.now();
  assertPrincipal(principal);
  await auditedTransaction(ctx, async (tx) => {
    await tx.storage.updateUserStatus(user.id, USER_STATUS.active, now);
    const event = { actorUserId: principal.userId, targetUserId: user.id, data: {}, meta: metaOf(principal) };
    await recordEvent(ctx, { type: "user.enable", ...event }, tx);
  });
  return toPublicUser({ ...user, status: USER_STATUS.active, updatedAt: now });
}

/**
 * A one-hour access token for the user, whose `act` claim (RFC 8693) names the administrator; `authenticate`
 * shows it as `principal.impersonatorId`. No refresh token. Refused (`FORBIDDEN`) for another platform admin and
 * for oneself; a disabled user gives `USER_DISABLED`. Audited.
 */
export async function impersonateUser(
  ctx: AuthContext,
  principal: Principal,
  userId: number,
): Promise<ImpersonationToken> {
  const user = await target(ctx, principal, userId, "impersonate");
  if (await ctx.isPlatformAdmin({ id: user.id, email: user.email, emailVerified: user.emailVerifiedAt !== null })) {
    throw new AuthError("FORBIDDEN", "Platform administrators cannot be impersonated");
  }
  if (user.status !== USER_STATUS.active) throw new AuthError("USER_DISABLED", "This account is disabled");
  const now = ctx.clock.now();
  assertPrincipal(principal);
  await auditedTransaction(ctx, async (tx) => {
    const data = { expiresInSeconds: IMPERSONATION_TTL_SECONDS };
    const event = { actorUserId: principal.userId, targetUserId: user.id, data, meta: metaOf(principal) };
    await recordEvent(ctx, { type: "user.impersonate", ...event }, tx);
  });
  const accessToken = signAccessToken(
    ctx.accessToken,
    { userId: user.id, email: user.email, sessionId: `impersonation:${randomId(ctx.random, 128)}` },
    now,
    { impersonatorId: principal.userId, ttlSeconds: IMPERSONATION_TTL_SECONDS },
  );
  return { accessToken, tokenType: "Bearer", expiresIn: IMPERSONATION_TTL_SECONDS };
}
