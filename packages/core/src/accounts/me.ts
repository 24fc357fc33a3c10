import { AuthError } from "../errors.js";
import type { AuthContext } from "../internal/context.js";
import type { Principal } from "../sessions/access-token.js";
import { assertPrincipal } from "../sessions/principal.js";
import { listOrganizations, type OrganizationMembership } from "../tenancy/organizations.js";
import { toPublicUser, type User } from "./public-user.js";

/** `auth.me()`: the signed-in user and their organizations. */
export interface Me {
  user: User;
  organizations: OrganizationMembership[];
}

/** The caller's account and organizations. A deleted account gives `UNAUTHENTICATED`. */
export async function me(ctx: AuthContext, principal: Principal): Promise<Me> {
  assertPrincipal(principal);
  const user = await ctx.storage.findUserById(principal.userId);
  if (!user) throw new AuthError("UNAUTHENTICATED", "This account no longer exists");
  return { user: toPublicUser(user), organizations: await listOrganizations(ctx, principal) };
}
