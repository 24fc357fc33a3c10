import { AuthError } from "../errors.js";
import type { AuthContext } from "../internal/context.js";
import { hashToken, randomToken } from "../internal/crypto.js";
import { parseInput } from "../internal/validate.js";
import { MEMBER_STATUS, USER_STATUS } from "../ports/records.js";
import { idSchema } from "../tenancy/permissions.js";
import { publishRevocations, sessionRevocation } from "./revocations.js";
import {
  activeOrganizationClaim,
  REFRESH_TOKEN_BITS,
  revokeDisabledUser,
  type TokenPair,
  tokensFor,
} from "./sessions.js";

const invalidRefresh = (): AuthError =>
  new AuthError("INVALID_REFRESH_TOKEN", "Refresh token is invalid or expired. Sign in again.");

/**
 * Rotates the refresh token, as `refresh` does, and makes `orgId` the session's active organization: the new
 * access token (and those of later refreshes) carries the organization id and the caller's role in it.
 * The rotation, the membership check and the change of active organization are one transaction: switching to an
 * organization the caller is not an active member of fails with `NOT_FOUND` and leaves the refresh token usable.
 */
export async function switchOrganization(ctx: AuthContext, refreshToken: string, orgId: unknown): Promise<TokenPair> {
  const id = parseInput(idSchema, orgId);
  const now = ctx.clock.now();
  const next = randomToken(ctx.random, REFRESH_TOKEN_BITS);
  const outcome = await ctx.storage.transaction(async (tx) => {
    const result = await tx.rotateRefreshToken({
      tokenHash: hashToken(refreshToken),
      newTokenHash: hashToken(next),
      now,
      idleExpiresAt: now + ctx.options.session.idleTimeoutSeconds * 1000,
    });
    // A reused token's revocation must commit: return instead of throwing.
    if (result.status === "reused") {
      await publishRevocations(ctx, tx, [sessionRevocation(result.session.userId, result.session.id)]);
    }
    if (result.status !== "rotated") return { status: result.status } as const;
    const membership = await tx.findMembership(id, result.session.userId);
    if (!membership || membership.member.status !== MEMBER_STATUS.active) {
      throw new AuthError("NOT_FOUND", "Organization not found");
    }
    await tx.setSessionActiveOrganization(result.session.id, id);
    return { status: "rotated", session: { ...result.session, activeOrgId: id }, membership } as const;
  });
  if (outcome.status === "reused") {
    throw new AuthError(
      "REFRESH_TOKEN_REUSED",
      "This refresh token was already used; the session has been revoked. Sign in again.",
    );
  }
  if (outcome.status !== "rotated") throw invalidRefresh();
  const user = await ctx.storage.findUserById(outcome.session.userId);
  if (!user || user.status !== USER_STATUS.active) {
    await revokeDisabledUser(ctx, outcome.session.userId, now);
    throw invalidRefresh();
  }
  return tokensFor(ctx, outcome.session, user, next, now, activeOrganizationClaim(outcome.membership));
}
