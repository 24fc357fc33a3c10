import * as z from "zod";
import { AuthError } from "../errors.js";
import type { AuthContext } from "../internal/context.js";
import { randomId } from "../internal/crypto.js";
import { logFailure } from "../internal/safe-error.js";
import { MAIL_TEMPLATES, type OutgoingMail } from "../ports/mailer.js";
import type { MailIntentRecord } from "../ports/records.js";
import { intentData } from "./intents.js";

/** What one delivery round did. */
export interface DeliveryReport {
  /** Intents claimed by this round. */
  claimed: number;
  sent: number;
  /** Failed now, to be retried later. */
  retrying: number;
  /** Failed for the last time (status failed). */
  failed: number;
}

const known = new Set<string>(MAIL_TEMPLATES);

/** Seconds to wait after the n-th failed attempt: base · 2^(n-1), capped at one hour. */
export function backoffSeconds(baseSeconds: number, attempts: number): number {
  return Math.min(3600, baseSeconds * 2 ** Math.max(0, attempts - 1));
}

async function deliverOne(ctx: AuthContext, intent: MailIntentRecord, claimId: string): Promise<keyof DeliveryReport> {
  const { mailer } = ctx.options;
  const now = (): number => ctx.clock.now();
  try {
    if (!mailer) throw new Error("no mailer configured");
    if (!known.has(intent.template)) throw new Error(`unknown template ${intent.template}`);
    const data = await intentData(ctx, intent.payload);
    if (!data) throw new Error("a sealed secret could not be unsealed (was the secret changed?)");
    await mailer.send({
      template: intent.template,
      to: intent.recipient,
      data,
      id: ctx.mailId(intent),
    } as OutgoingMail);
  } catch (error) {
    const attempts = intent.attempts + 1;
    const giveUp = attempts >= ctx.options.mail.maxAttempts;
    const message = (error instanceof Error ? error.message : String(error)).slice(0, 500);
    await ctx.storage.markMailFailed(intent.id, claimId, {
      error: message,
      retryAt: giveUp ? null : now() + backoffSeconds(ctx.options.mail.retryBaseSeconds, attempts) * 1000,
      now: now(),
    });
    return giveUp ? "failed" : "retrying";
  }
  await ctx.storage.markMailSent(intent.id, claimId, now());
  return "sent";
}

/** Options of deliverPending: unknown keys are refused (limit is checked below with its own message). */
const deliverOptions = z.strictObject({ limit: z.unknown().optional() });

/**
 * Delivers pending mail intents: claims a batch atomically (so two deliverers never send one intent twice), sends
 * each through the mailer, and records success, or the failure with exponential backoff up to
 * `mail.maxAttempts`. Call it from a cron job or worker; tenantauth also calls it after each change that queues
 * mail, unless `mail.deliverAfterCommit` is false.
 */
export async function deliverPending(ctx: AuthContext, options: { limit?: number } = {}): Promise<DeliveryReport> {
  if (!deliverOptions.safeParse(options).success) {
    throw new AuthError("INVALID_INPUT", "options must be { limit?: number }");
  }
  const limit = options.limit ?? ctx.options.mail.batchSize;
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    throw new AuthError("INVALID_INPUT", "limit must be a whole number from 1 to 1000");
  }
  const claimId = randomId(ctx.random, 96);
  const intents = await ctx.storage.claimMail({
    now: ctx.clock.now(),
    limit,
    leaseMs: ctx.options.mail.leaseSeconds * 1000,
    claimId,
  });
  const report: DeliveryReport = { claimed: intents.length, sent: 0, retrying: 0, failed: 0 };
  for (const intent of intents) report[await deliverOne(ctx, intent, claimId)] += 1;
  return report;
}

/** Starts a delivery round in the background after a change queued mail; failures stay queued for later. */
export function deliverSoon(ctx: AuthContext): void {
  if (!ctx.options.mailer || !ctx.options.mail.deliverAfterCommit) return;
  const round = deliverPending(ctx).catch((error: unknown) => {
    logFailure("background mail delivery failed; intents stay queued", error);
  });
  ctx.track(round);
}
