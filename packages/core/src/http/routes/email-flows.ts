import * as z from "zod";
import { defineRoute, type Route } from "../route.js";
import { toUserWire, userWire } from "../wire.js";

const accepted = z.object({ message: z.string() });
const GENERIC = "If an account exists for this address, we sent it an email.";

/** Email verification and password reset / change. */
export const emailFlowRoutes: Route[] = [
  defineRoute({
    method: "POST",
    path: "/verify-email",
    operationId: "verifyEmail",
    summary: "Verify an email address with the token from the verification mail",
    tag: "accounts",
    auth: false,
    body: z.strictObject({ token: z.string() }),
    response: { status: 200, description: "Verified", schema: z.object({ user: userWire }) },
    errors: ["VERIFICATION_TOKEN_INVALID", "VERIFICATION_TOKEN_USED", "VERIFICATION_TOKEN_EXPIRED"],
    handle: async ({ auth, body, meta }) => ({ user: toUserWire(await auth.verifyEmail(body.token, meta)) }),
  }),
  defineRoute({
    method: "POST",
    path: "/resend-verification",
    operationId: "resendVerification",
    summary: "Send the verification mail again (the same answer whether or not the account exists)",
    tag: "accounts",
    auth: false,
    body: z.strictObject({ email: z.string() }),
    response: { status: 202, description: "Accepted (also over a rate limit: then nothing is sent)", schema: accepted },
    errors: [],
    async handle({ auth, body, meta }) {
      await auth.resendVerification(body.email, meta);
      return { message: GENERIC };
    },
  }),
  defineRoute({
    method: "POST",
    path: "/password/forgot",
    operationId: "requestPasswordReset",
    summary: "Send a password-reset mail (the same answer whether or not the account exists)",
    tag: "accounts",
    auth: false,
    body: z.strictObject({ email: z.string() }),
    response: { status: 202, description: "Accepted (also over a rate limit: then nothing is sent)", schema: accepted },
    errors: [],
    async handle({ auth, body, meta }) {
      await auth.requestPasswordReset(body.email, meta);
      return { message: GENERIC };
    },
  }),
  defineRoute({
    method: "POST",
    path: "/password/reset",
    operationId: "resetPassword",
    summary: "Set a new password with the token from the reset mail; every session is revoked",
    tag: "accounts",
    auth: false,
    body: z.strictObject({ token: z.string(), new_password: z.string() }),
    response: { status: 204, description: "Password changed", schema: null },
    errors: [
      "VERIFICATION_TOKEN_INVALID",
      "VERIFICATION_TOKEN_USED",
      "VERIFICATION_TOKEN_EXPIRED",
      "PASSWORD_TOO_COMMON",
    ],
    async handle({ auth, body, meta }) {
      await auth.resetPassword(body.token, body.new_password, meta);
    },
  }),
  defineRoute({
    method: "POST",
    path: "/password/change",
    operationId: "changePassword",
    summary: "Change the password; the user's other sessions are revoked",
    tag: "accounts",
    auth: true,
    body: z.strictObject({ current_password: z.string(), new_password: z.string() }),
    response: { status: 204, description: "Password changed", schema: null },
    errors: ["INVALID_CREDENTIALS", "PASSWORD_TOO_COMMON", "IMPERSONATION_NOT_ALLOWED"],
    async handle({ auth, principal, body }) {
      await auth.changePassword(principal, body.current_password, body.new_password);
    },
  }),
];
