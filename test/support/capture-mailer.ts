import type { MailTemplateName, OutgoingMail } from "@tenantauth/core";
import { type Mailbox, captureMailer as mailbox } from "@tenantauth/testing";

/** The public test kit's mailbox, plus the `tokenFor` shorthand these suites use. */
export interface CaptureMailer extends Mailbox {
  sent: OutgoingMail[];
  /** The token carried by the last mail of `template` to `to`. */
  tokenFor(to: string, template: string): string;
}

/** Creates a {@link CaptureMailer} on `captureMailer()` from @tenantauth/testing. */
export function captureMailer(): CaptureMailer {
  const mailer = mailbox();
  return Object.assign(mailer, {
    sent: mailer.sent as OutgoingMail[],
    tokenFor: (to: string, template: string) => mailer.tokenIn(mailer.last(to, template as MailTemplateName)),
  });
}
