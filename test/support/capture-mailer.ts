import type { Mailer, OutgoingMail } from "@tenantauth/core";

/** A mailer that keeps what it is asked to send, and can be told to fail (an SMTP outage). */
export interface CaptureMailer extends Mailer {
  sent: OutgoingMail[];
  /** While true, `send` rejects as an unreachable SMTP server would. */
  down: boolean;
  /** The last mail of `template` sent to `to`. */
  last(to: string, template?: string): OutgoingMail | undefined;
  /** The token carried by the last mail of `template` to `to`. */
  tokenFor(to: string, template: string): string;
}

/** Creates a {@link CaptureMailer}. */
export function captureMailer(): CaptureMailer {
  const mailer: CaptureMailer = {
    sent: [],
    down: false,
    async send(mail) {
      if (mailer.down) throw new Error("connect ECONNREFUSED 127.0.0.1:2525");
      mailer.sent.push(structuredClone(mail));
    },
    last(to, template) {
      return mailer.sent.filter((m) => m.to === to && (template === undefined || m.template === template)).at(-1);
    },
    tokenFor(to, template) {
      const data = mailer.last(to, template)?.data as { token?: string } | undefined;
      if (!data?.token) throw new Error(`no ${template} mail with a token was sent to ${to}`);
      return data.token;
    },
  };
  return mailer;
}
