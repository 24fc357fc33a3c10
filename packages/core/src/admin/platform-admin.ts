import { AuthError } from "../errors.js";
import type { AuthContext } from "../internal/context.js";
import { USER_STATUS } from "../ports/records.js";
import type { Principal } from "../sessions/access-token.js";
import { assertPrincipal } from "../sessions/principal.js";

/**
 * True when the principal is a platform administrator acting as themselves. The user is read from storage (one
 * query) and judged by what is stored: an active account whose verified email is in `platformAdmins`, or one the
 * `isPlatformAdmin` hook accepts. An impersonation token is never one, even for a user who is an administrator;
 * nor is an API key (`API_KEY_NOT_ALLOWED`).
 */
export async function isPlatformAdminPrincipal(ctx: AuthContext, principal: Principal): Promise<boolean> {
  assertPrincipal(principal);
  if (principal.impersonatorId !== undefined) return false;
  const user = await ctx.storage.findUserById(principal.userId);
  if (!user || user.status !== USER_STATUS.active) return false;
  return ctx.isPlatformAdmin({ id: user.id, email: user.email, emailVerified: user.emailVerifiedAt !== null });
}

/**
 * Lets only platform administrators (`platformAdmins`, `isPlatformAdmin`) through, else `FORBIDDEN`. An
 * impersonation token never passes, even if the impersonated user were an administrator.
 */
export async function requirePlatformAdmin(
  ctx: AuthContext,
  principal: Principal,
  message = "Only platform administrators can do this",
): Promise<void> {
  if (!(await isPlatformAdminPrincipal(ctx, principal))) throw new AuthError("FORBIDDEN", message);
}
