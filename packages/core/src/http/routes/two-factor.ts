import * as z from "zod";
import { defineRoute, type Route } from "../route.js";
import { tokensWire, toTokensWire, toUserWire, userWire } from "../wire.js";

const codeBody = z.strictObject({ code: z.string().describe("a six-digit TOTP code or a backup code") });

/** Two-factor sign-in: enrolment, confirmation, disabling, and finishing a sign-in with a code. */
export const twoFactorRoutes: Route[] = [
  defineRoute({
    method: "POST",
    path: "/signin/totp",
    operationId: "signinVerifyTotp",
    summary: "Finish a two-factor sign-in with a TOTP or backup code",
    tag: "two-factor",
    auth: false,
    body: z.strictObject({
      challenge: z.string().describe("`error.details.challenge` of the TWO_FACTOR_REQUIRED answer to POST /signin"),
      code: z.string().describe("a six-digit TOTP code, or a backup code (each works once)"),
    }),
    response: {
      status: 200,
      description: "Signed in: the same body as POST /signin",
      schema: tokensWire.extend({ user: userWire }),
    },
    errors: ["TWO_FACTOR_CODE_INVALID", "TWO_FACTOR_LOCKED", "TWO_FACTOR_CHALLENGE_INVALID", "RATE_LIMITED"],
    async handle({ auth, body, meta }) {
      const result = await auth.signin.verifyTotp(body.challenge, body.code, meta);
      return { ...toTokensWire(result), user: toUserWire(result.user) };
    },
  }),
  defineRoute({
    method: "GET",
    path: "/two-factor",
    operationId: "twoFactorStatus",
    summary: "Whether two-factor sign-in is on, and how many backup codes are left",
    tag: "two-factor",
    auth: true,
    response: {
      status: 200,
      description: "The status",
      schema: z.object({ enabled: z.boolean(), backup_codes_left: z.number().int() }),
    },
    errors: [],
    async handle({ auth, principal }) {
      const status = await auth.twoFactor.status(principal);
      return { enabled: status.enabled, backup_codes_left: status.backupCodesLeft };
    },
  }),
  defineRoute({
    method: "POST",
    path: "/two-factor/enroll",
    operationId: "twoFactorEnroll",
    summary: "Start two-factor enrolment: a TOTP secret and its otpauth:// URI",
    tag: "two-factor",
    auth: true,
    response: {
      status: 200,
      description: "Show the URI as a QR code; confirm with a code to turn it on",
      schema: z.object({ secret: z.string().describe("base32"), uri: z.string().describe("otpauth://totp/…") }),
    },
    errors: ["TWO_FACTOR_ALREADY_ENABLED", "IMPERSONATION_NOT_ALLOWED"],
    handle: async ({ auth, principal }) => auth.twoFactor.enroll(principal),
  }),
  defineRoute({
    method: "POST",
    path: "/two-factor/confirm",
    operationId: "twoFactorConfirm",
    summary: "Turn two-factor sign-in on with a code from the app",
    tag: "two-factor",
    auth: true,
    body: codeBody,
    response: {
      status: 200,
      description: "On; the ten backup codes are shown this once",
      schema: z.object({ backup_codes: z.array(z.string()) }),
    },
    errors: [
      "TWO_FACTOR_CODE_INVALID",
      "TWO_FACTOR_NOT_ENABLED",
      "TWO_FACTOR_ALREADY_ENABLED",
      "RATE_LIMITED",
      "IMPERSONATION_NOT_ALLOWED",
    ],
    async handle({ auth, principal, body }) {
      return { backup_codes: (await auth.twoFactor.confirm(principal, body.code)).backupCodes };
    },
  }),
  defineRoute({
    method: "POST",
    path: "/two-factor/disable",
    operationId: "twoFactorDisable",
    summary: "Turn two-factor sign-in off, with the password or a code",
    tag: "two-factor",
    auth: true,
    body: z.union([z.strictObject({ password: z.string() }), codeBody]),
    response: { status: 204, description: "Off; a notice mail is sent", schema: null },
    errors: [
      "INVALID_CREDENTIALS",
      "TWO_FACTOR_CODE_INVALID",
      "TWO_FACTOR_NOT_ENABLED",
      "RATE_LIMITED",
      "IMPERSONATION_NOT_ALLOWED",
    ],
    async handle({ auth, principal, body }) {
      await auth.twoFactor.disable(principal, body);
    },
  }),
];
