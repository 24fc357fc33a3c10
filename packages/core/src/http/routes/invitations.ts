import * as z from "zod";
import { defineRoute, type Route } from "../route.js";
import { idParam, invitationWire, toInvitationWire } from "../wire.js";

const orgParams = z.strictObject({ org_id: idParam });
const invitationParams = z.strictObject({ org_id: idParam, invitation_id: idParam });
/** The invitation only: its token leaves only in the mail to the invitee. */
const issued = z.object({ invitation: invitationWire });

/** Invitations of an organization, and accepting one. */
export const invitationRoutes: Route[] = [
  defineRoute({
    method: "POST",
    path: "/organizations/{org_id}/invitations",
    operationId: "createInvitation",
    summary: "Invite an email with a role; the mail is queued in the same transaction",
    tag: "invitations",
    auth: true,
    permission: "member:invite",
    params: orgParams,
    body: z.strictObject({ email: z.string(), role_id: z.number().int().positive() }),
    response: { status: 201, description: "The invitation (its token goes only into the mail)", schema: issued },
    errors: ["NOT_FOUND", "FORBIDDEN", "ALREADY_MEMBER", "LIMIT_REACHED", "IMPERSONATION_NOT_ALLOWED", "RATE_LIMITED"],
    async handle({ auth, principal, params, body }) {
      const result = await auth.invitations.create(principal, params.org_id, {
        email: body.email,
        roleId: body.role_id,
      });
      return { invitation: toInvitationWire(result.invitation) };
    },
  }),
  defineRoute({
    method: "GET",
    path: "/organizations/{org_id}/invitations",
    operationId: "listInvitations",
    summary: "Pending invitations",
    tag: "invitations",
    auth: true,
    permission: "member:invite",
    params: orgParams,
    response: { status: 200, description: "Invitations", schema: z.array(invitationWire) },
    errors: ["NOT_FOUND", "FORBIDDEN"],
    handle: async ({ auth, principal, params }) =>
      (await auth.invitations.list(principal, params.org_id)).map(toInvitationWire),
  }),
  defineRoute({
    method: "DELETE",
    path: "/organizations/{org_id}/invitations/{invitation_id}",
    operationId: "revokeInvitation",
    summary: "Revoke a pending invitation",
    tag: "invitations",
    auth: true,
    permission: "member:invite",
    params: invitationParams,
    response: { status: 204, description: "Revoked", schema: null },
    errors: ["NOT_FOUND", "FORBIDDEN", "INVITATION_NOT_FOUND"],
    async handle({ auth, principal, params }) {
      await auth.invitations.revoke(principal, params.org_id, params.invitation_id);
    },
  }),
  defineRoute({
    method: "POST",
    path: "/organizations/{org_id}/invitations/{invitation_id}/resend",
    operationId: "resendInvitation",
    summary: "New token and expiry; the mail (the token's only way out) is queued again",
    tag: "invitations",
    auth: true,
    permission: "member:invite",
    params: invitationParams,
    response: { status: 200, description: "The invitation (its new token goes only into the mail)", schema: issued },
    errors: ["NOT_FOUND", "FORBIDDEN", "INVITATION_NOT_FOUND", "IMPERSONATION_NOT_ALLOWED", "RATE_LIMITED"],
    async handle({ auth, principal, params }) {
      const result = await auth.invitations.resend(principal, params.org_id, params.invitation_id);
      return { invitation: toInvitationWire(result.invitation) };
    },
  }),
  defineRoute({
    method: "POST",
    path: "/invitations/accept",
    operationId: "acceptInvitation",
    summary: "Join the inviting organization as the signed-in user",
    tag: "invitations",
    auth: true,
    body: z.strictObject({ token: z.string() }),
    response: {
      status: 200,
      description: "Joined",
      schema: z.object({ org_id: z.number(), role_id: z.number() }),
    },
    errors: [
      "INVITATION_NOT_FOUND",
      "INVITATION_USED",
      "INVITATION_REVOKED",
      "INVITATION_EXPIRED",
      "INVITATION_EMAIL_MISMATCH",
      "EMAIL_NOT_VERIFIED",
      "LIMIT_REACHED",
    ],
    async handle({ auth, principal, body }) {
      const joined = await auth.invitations.accept(principal, body.token);
      return { org_id: joined.orgId, role_id: joined.roleId };
    },
  }),
];
