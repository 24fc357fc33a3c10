import type { AddressInfo } from "node:net";
import { createServer } from "node:net";
import type { OutgoingMail } from "@tenantauth/core";
import { type AddressObject, type ParsedMail, simpleParser } from "mailparser";
import nodemailer from "nodemailer";
import { SMTPServer, type SMTPServerAddress } from "smtp-server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { sampleMails } from "./preview.js";
import { SMTP_TIMEOUT_DEFAULTS, smtpMailer } from "./smtp-mailer.js";

interface Received {
  mail: ParsedMail;
  rcptTo: string[];
  user: string | undefined;
}

/** A real SMTP server on 127.0.0.1 (random port): user "mailer" / "s3cret", refuses recipients at rejected.test. */
async function startServer() {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === "mailer" && auth.password === "s3cret") return callback(null, { user: auth.username });
      return callback(new Error("Invalid username or password"));
    },
    onRcptTo(address, _session, callback) {
      if (address.address.endsWith("@rejected.test")) {
        return callback(Object.assign(new Error("No such user here"), { responseCode: 550 }));
      }
      return callback();
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          const rcptTo = session.envelope.rcptTo.map((a: SMTPServerAddress) => a.address);
          received.push({ mail, rcptTo, user: session.user as string | undefined });
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return { server, port, received, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

const addresses = (field: AddressObject | AddressObject[] | undefined): string[] =>
  (Array.isArray(field) ? field : field ? [field] : []).flatMap((a) => a.value.map((v) => v.address ?? ""));

const branding = { appUrl: "https://app.example.com", productName: "Acme", supportEmail: "help@acme.test" };
const from = "Acme <no-reply@acme.test>";
const verify = sampleMails()[0] as Extract<OutgoingMail, { template: "verify-email" }>;
const LINK = "https://app.example.com/verify-email?token=sample-token-Qw3rTy";

describe("smtpMailer over a real SMTP server", () => {
  let smtp: Awaited<ReturnType<typeof startServer>>;
  beforeAll(async () => {
    smtp = await startServer();
  });
  afterAll(() => smtp.stop());
  beforeEach(() => {
    smtp.received.length = 0;
  });

  it("delivers HTML and text parts, from and to, subject and link, authenticating with the URL's credentials", async () => {
    const mailer = smtpMailer({ url: `smtp://mailer:s3cret@127.0.0.1:${smtp.port}`, from, ...branding });
    await mailer.send({ ...verify, to: "ada@example.com" });
    mailer.close();
    expect(smtp.received).toHaveLength(1);
    const { mail, rcptTo, user } = smtp.received[0] as Received;
    expect(user).toBe("mailer");
    expect(rcptTo).toEqual(["ada@example.com"]);
    expect(mail.from?.value).toEqual([{ name: "Acme", address: "no-reply@acme.test" }]);
    expect(addresses(mail.to)).toEqual(["ada@example.com"]);
    expect(mail.subject).toBe("Confirm your email for Acme");
    expect(mail.html).toMatch(/^<!doctype html>/i);
    expect(mail.html).toContain(`href="${LINK}"`);
    expect(mail.html).toContain("Confirm my email");
    expect(mail.text).toContain(`Confirm my email: ${LINK}`);
    expect(mail.text).not.toContain("<");
  });

  it("escapes hostile names in the delivered HTML and keeps the subject one header", async () => {
    const mailer = smtpMailer({ url: `smtp://127.0.0.1:${smtp.port}`, from, ...branding });
    const invitation = sampleMails()[2] as Extract<OutgoingMail, { template: "invitation" }>;
    await mailer.send({
      ...invitation,
      data: { ...invitation.data, organizationName: "<script>x()</script>\r\nBcc: eve@example.com" },
    });
    const { mail, rcptTo } = smtp.received[0] as Received;
    expect(rcptTo).toEqual(["ada@example.com"]);
    expect(mail.bcc).toBeUndefined();
    expect(mail.subject).toBe("You are invited to join <script>x()</script> Bcc: eve@example.com on Acme");
    expect(mail.html).not.toContain("<script>");
    expect(mail.html).toContain("&lt;script&gt;x()&lt;/script&gt;");
  });

  it("sends through a nodemailer transporter, or nodemailer SMTP options, passed as `transport`", async () => {
    const transporter = nodemailer.createTransport({ host: "127.0.0.1", port: smtp.port, ignoreTLS: true });
    const viaTransporter = smtpMailer({ transport: transporter, from, ...branding });
    await viaTransporter.send(verify);
    const viaOptions = smtpMailer({
      transport: { host: "127.0.0.1", port: smtp.port, auth: { user: "mailer", pass: "s3cret" } },
      from,
      ...branding,
    });
    await viaOptions.send(sampleMails()[4] as OutgoingMail);
    viaTransporter.close();
    viaOptions.close();
    expect(smtp.received.map((r) => [r.mail.subject, r.user])).toEqual([
      ["Confirm your email for Acme", undefined],
      ["Welcome to Acme", "mailer"],
    ]);
  });

  it("uses the mail's id as its Message-ID at the sender's domain: two attempts of one intent carry the same one", async () => {
    const mailer = smtpMailer({ url: `smtp://127.0.0.1:${smtp.port}`, from, ...branding });
    const id = "3f9c0a1b2c3d4e5f60718293a4b5c6d7";
    await mailer.send({ ...verify, id });
    await mailer.send({ ...verify, id });
    await mailer.send({ ...verify, id: "another-intent" });
    // An id that could break the header is not used (nodemailer then makes a random one).
    await mailer.send({ ...verify, id: "x>\r\nBcc: eve@example.com" });
    mailer.close();
    const ids = smtp.received.map((r) => r.mail.messageId);
    expect(ids.slice(0, 3)).toEqual([`<${id}@acme.test>`, `<${id}@acme.test>`, "<another-intent@acme.test>"]);
    expect(ids[3]).not.toContain("eve@example.com");
    expect(smtp.received[3]?.mail.bcc).toBeUndefined();
    expect(smtp.received[3]?.rcptTo).toEqual(["ada@example.com"]);
  });

  it("rejects when the server refuses the recipient", async () => {
    const mailer = smtpMailer({ url: `smtp://127.0.0.1:${smtp.port}`, from, ...branding });
    await expect(mailer.send({ ...verify, to: "nobody@rejected.test" })).rejects.toThrow(
      /^SMTP delivery of verify-email failed: .*550/,
    );
    expect(smtp.received).toHaveLength(0);
  });

  it("rejects when the credentials are wrong", async () => {
    const mailer = smtpMailer({ url: `smtp://mailer:wrong@127.0.0.1:${smtp.port}`, from, ...branding });
    await expect(mailer.send(verify)).rejects.toThrow(/SMTP delivery of verify-email failed/);
    expect(smtp.received).toHaveLength(0);
  });

  it("does not let a crafted `to` reach a second recipient", async () => {
    const mailer = smtpMailer({ url: `smtp://127.0.0.1:${smtp.port}`, from, ...branding });
    await mailer.send({ ...verify, to: "ada@example.com, eve@example.com" }).catch(() => undefined);
    expect(smtp.received.flatMap((r) => r.rcptTo)).not.toContain("eve@example.com");
  });
});

/** Runs `fn` with the port of a server that accepts connections and never says a word (no SMTP greeting). */
async function withSilentServer(fn: (port: number) => Promise<void>): Promise<void> {
  const sockets = new Set<import("node:net").Socket>();
  const silent = createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => undefined);
  });
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
  try {
    await fn((silent.address() as AddressInfo).port);
  } finally {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  }
}

describe("smtpMailer and a server that accepts and never greets", () => {
  it("gives up after the greeting timeout (10 s by default, here 300 ms): the attempt fails and is retried later", async () => {
    await withSilentServer(async (port) => {
      const mailer = smtpMailer({ url: `smtp://127.0.0.1:${port}`, from, ...branding, timeouts: { greetingMs: 300 } });
      const started = Date.now();
      await expect(mailer.send(verify)).rejects.toThrow(/SMTP delivery of verify-email failed/);
      // nodemailer's own default waits 30 s for the greeting; the outbox's lease is 300 s.
      expect(Date.now() - started).toBeLessThan(5_000);
      mailer.close();
    });
  });

  it("bounds the greeting by default at 10 s, well under the outbox's 300 s lease (nodemailer alone waits 30 s)", async () => {
    await withSilentServer(async (port) => {
      const mailer = smtpMailer({ url: `smtp://127.0.0.1:${port}`, from, ...branding });
      const started = Date.now();
      await expect(mailer.send(verify)).rejects.toThrow(/SMTP delivery of verify-email failed/);
      const waited = Date.now() - started;
      expect(waited).toBeGreaterThanOrEqual(SMTP_TIMEOUT_DEFAULTS.greetingMs - 100);
      expect(waited).toBeLessThan(20_000);
      mailer.close();
    });
  }, 30_000);

  it("refuses a timeout that is not a whole number of ms from 1 to 600000", () => {
    expect(SMTP_TIMEOUT_DEFAULTS).toEqual({ connectionMs: 10_000, greetingMs: 10_000, socketMs: 30_000 });
    for (const greetingMs of [0, -1, 1.5, 600_001]) {
      expect(() => smtpMailer({ url: "smtp://127.0.0.1:25", from, ...branding, timeouts: { greetingMs } })).toThrow(
        /timeouts.greetingMs/,
      );
    }
  });
});

describe("smtpMailer without a server", () => {
  it("rejects when nothing listens on the port", async () => {
    const mailer = smtpMailer({ url: `smtp://127.0.0.1:${await closedPort()}`, from, ...branding });
    await expect(mailer.send(verify)).rejects.toThrow(/SMTP delivery of verify-email failed: .*ECONNREFUSED/);
  });

  it("refuses a missing or non-SMTP url, and a missing sender, when created", () => {
    // @ts-expect-error url or transport is required
    expect(() => smtpMailer({ from, ...branding })).toThrow(/needs `url`/);
    expect(() => smtpMailer({ url: "http://mail.example.com", from, ...branding })).toThrow(/needs `url`/);
    expect(() => smtpMailer({ url: "smtp://127.0.0.1:25", from: " ", ...branding })).toThrow(/needs `from`/);
    expect(() => smtpMailer({ url: "smtp://127.0.0.1:25", from, appUrl: "nope" })).toThrow(/appUrl/);
  });
});
