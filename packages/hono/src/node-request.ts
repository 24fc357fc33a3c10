import { type Auth, clientIp, type NodeRequestBody } from "@tenantauth/core";
import type { Context } from "hono";

/** The parts of Node's `IncomingMessage` the adapter reads, when @hono/node-server passes it in `c.env.incoming`. */
export interface NodeIncoming extends NodeRequestBody {
  url?: string;
  headers: Record<string, string | string[] | undefined>;
  socket?: { remoteAddress?: string | undefined } | null;
}

/** Node's request, when @hono/node-server serves the app (`c.env.incoming`); undefined on other runtimes. */
export function nodeIncomingOf(c: Context): NodeIncoming | undefined {
  const incoming = (c.env as { incoming?: unknown } | undefined)?.incoming as Partial<NodeIncoming> | undefined;
  return typeof incoming?.headers === "object" && incoming.headers !== null ? (incoming as NodeIncoming) : undefined;
}

/**
 * The client's IP: the socket's address (`c.env.incoming.socket.remoteAddress` on @hono/node-server), and
 * `X-Forwarded-For` only as far as `auth.options.trustProxy` allows (core's `clientIp`, as the Express adapter reads
 * it). Undefined on runtimes without a Node socket: sessions then record no IP and per-IP limits are skipped.
 */
export function clientIpOf(auth: Auth, c: Context): string | undefined {
  const incoming = nodeIncomingOf(c);
  const forwarded = incoming?.headers["x-forwarded-for"];
  return clientIp(
    auth.options.trustProxy,
    incoming?.socket?.remoteAddress,
    Array.isArray(forwarded) ? forwarded.join(", ") : forwarded,
  );
}
