import { AuthError } from "../errors.js";
import type { AuthContext } from "../internal/context.js";
import type { Principal } from "../sessions/access-token.js";
import { assertPrincipal } from "../sessions/principal.js";

/**
 * Lets only platform administrators (`platformAdmins`, `isPlatformAdmin`) through. An impersonation token never
 * passes, even if the impersonated user were an administrator.
 */
export async function requirePlatformAdmin(ctx: AuthContext, principal: Principal): Promise<void> {
  assertPrincipal(principal);
  const admin =
    principal.impersonatorId === undefined &&
    (await ctx.isPlatformAdmin({ id: principal.userId, email: principal.email }));
  if (!admin) throw new AuthError("FORBIDDEN", "Only platform administrators can do this");
}
