import type { AuthContext } from "../internal/context.js";
import type { MailTemplateData, MailTemplateName } from "../ports/mailer.js";
import type { JsonObject, NewMailIntent } from "../ports/records.js";

/** Payload keys that hold sealed secrets: `sealedToken` is unsealed into `token` at delivery. */
const SEALED = { token: "sealedToken" } as const;

/**
 * Builds an outbox intent for a template. A `token` in the data is sealed (AES-256-GCM) before it is stored, so a
 * copy of the database does not hold working links.
 */
export async function mailIntent<T extends MailTemplateName>(
  ctx: AuthContext,
  template: T,
  data: MailTemplateData[T],
  now: number,
): Promise<NewMailIntent> {
  const { token, ...rest } = data as MailTemplateData[T] & { token?: string };
  const payload: JsonObject = { ...rest };
  if (token !== undefined) payload[SEALED.token] = await ctx.sealer.seal(token);
  return { template, recipient: (data as { email: string }).email, payload, availableAt: now };
}

/** The template data of a stored intent, its secrets unsealed; null when a secret cannot be unsealed. */
export async function intentData(ctx: AuthContext, payload: JsonObject): Promise<Record<string, unknown> | null> {
  const { [SEALED.token]: sealed, ...rest } = payload;
  if (sealed === undefined) return rest;
  const token = typeof sealed === "string" ? await ctx.sealer.unseal(sealed) : null;
  return token === null ? null : { ...rest, token };
}
