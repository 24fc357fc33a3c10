import type { OutgoingMail } from "@tenantauth/core";
import type { LinkBuilders } from "./template-types.js";

const withToken = (appUrl: string, path: string, token: string): string =>
  `${appUrl}${path}?token=${encodeURIComponent(token)}`;

/** The default link of each template, under `appUrl`. */
export const defaultLinks: LinkBuilders = {
  "verify-email": ({ token }, appUrl) => withToken(appUrl, "/verify-email", token),
  "password-reset": ({ token }, appUrl) => withToken(appUrl, "/reset-password", token),
  invitation: ({ token }, appUrl) => withToken(appUrl, "/accept-invitation", token),
  "password-changed": (_data, appUrl) => `${appUrl}/forgot-password`,
  welcome: (_data, appUrl) => appUrl,
  "account-exists": (_data, appUrl) => `${appUrl}/signin`,
  "two-factor-enabled": (_data, appUrl) => `${appUrl}/account`,
  "two-factor-disabled": (_data, appUrl) => `${appUrl}/forgot-password`,
  "two-factor-locked": (_data, appUrl) => `${appUrl}/forgot-password`,
};

/**
 * The link of one mail, from the override or the default builder.
 *
 * @throws TypeError when a builder returns anything but an absolute http(s) URL (a `javascript:` link, say).
 */
export function linkOf(mail: OutgoingMail, appUrl: string, overrides: Partial<LinkBuilders>): string {
  const base = appUrl.replace(/\/+$/, "");
  // The union of template names does not narrow a mapped lookup; each builder gets its own template's data.
  const build = (overrides[mail.template] ?? defaultLinks[mail.template]) as (data: unknown, appUrl: string) => string;
  const link = build(mail.data, base);
  let protocol: string;
  try {
    protocol = new URL(link).protocol;
  } catch {
    protocol = "";
  }
  if (protocol !== "https:" && protocol !== "http:") {
    throw new TypeError(`the ${mail.template} link must be an absolute http(s) URL`);
  }
  return link;
}
