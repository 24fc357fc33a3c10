import { once } from "node:events";
import { type Auth, clientIp, type HttpInput, type HttpReply, nodeHeaderReader } from "@tenantauth/core";
import type { Request as ExpressRequest, Response as ExpressResponse } from "express";

/**
 * The client's IP: the socket's address, and `X-Forwarded-For` only as far as `auth.options.trustProxy` allows
 * (core's `clientIp`, as the Hono adapter reads it). Not `req.ip`, which follows Express's own `trust proxy`.
 */
export function clientIpOf(auth: Auth, req: ExpressRequest): string | undefined {
  const forwarded = req.headers["x-forwarded-for"];
  return clientIp(
    auth.options.trustProxy,
    req.socket.remoteAddress,
    Array.isArray(forwarded) ? forwarded.join(", ") : forwarded,
  );
}

/** Core's view of an Express request: headers read from Node's, a Web `Request` built only to read a body. */
export function nodeInput(req: ExpressRequest): HttpInput {
  return {
    method: req.method,
    // The full path (mount prefix included), as Hono sees it, so both adapters answer alike.
    url: `http://localhost${req.originalUrl}`,
    header: nodeHeaderReader(req.headers),
    request: () => toWebRequest(req),
  };
}

/** Builds a Web `Request` from an Express request (its body still unread, or already parsed by express.json()). */
export function toWebRequest(req: ExpressRequest): Request {
  // The full path (mount prefix included), as Hono sees it, so both adapters answer alike.
  const url = `${req.protocol}://${req.get("host") ?? "localhost"}${req.originalUrl}`;
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.set(name, value);
  }
  const method = req.method.toUpperCase();
  if (method === "GET" || method === "HEAD") return new Request(url, { method, headers });
  if (req.body !== undefined && req.readableEnded) {
    // A body parser of the host app ran first: hand the parsed body on as JSON.
    headers.delete("content-length");
    const body: BodyInit =
      typeof req.body === "string"
        ? req.body
        : Buffer.isBuffer(req.body)
          ? new Uint8Array(req.body)
          : JSON.stringify(req.body);
    return new Request(url, { method, headers, body });
  }
  return new Request(url, { method, headers, body: bodyStream(req), duplex: "half" } as RequestInit);
}

const abandonments = new WeakMap<ExpressRequest, () => void>();

/**
 * Reads and discards what is left of a request body the handler did not read, and resolves when it has all
 * arrived: answering while the client still sends would close the socket with unread bytes, which the client sees
 * as a reset instead of the answer.
 */
export async function drainBody(req: ExpressRequest): Promise<void> {
  if (req.readableEnded) return;
  abandonments.get(req)?.();
  // Every byte has arrived (always so for a request without a body): Node discards what is left unread.
  if (req.complete) return;
  const ended = once(req, "end").catch(() => undefined);
  req.resume();
  await ended;
}

/**
 * The request body as a Web stream that reads only when pulled. Cancelling it (a body over the size limit) discards
 * the rest instead of destroying the socket, so the client's connection stays usable.
 */
function bodyStream(req: ExpressRequest): ReadableStream<Uint8Array> {
  let abandoned = false;
  abandonments.set(req, () => {
    abandoned = true;
  });
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        req.on("data", (chunk: Buffer) => {
          if (abandoned) return;
          controller.enqueue(new Uint8Array(chunk));
          if ((controller.desiredSize ?? 0) <= 0) req.pause();
        });
        req.once("end", () => {
          if (!abandoned) controller.close();
        });
        req.once("error", (error) => {
          if (!abandoned) controller.error(error);
        });
        req.pause();
      },
      pull() {
        req.resume();
      },
      cancel() {
        abandoned = true;
        req.resume();
      },
    },
    { highWaterMark: 1 },
  );
}

/** Writes core's reply (plain JSON, or a `Response` for the docs) to an Express response. */
export async function sendReply(res: ExpressResponse, reply: HttpReply | Response): Promise<void> {
  if (reply instanceof Response) return sendWebResponse(res, reply);
  res.status(reply.status);
  for (const [name, value] of Object.entries(reply.headers)) res.setHeader(name, value);
  res.end(reply.body ?? undefined);
}

/** Writes a Web `Response` to an Express response. */
export async function sendWebResponse(res: ExpressResponse, response: Response): Promise<void> {
  res.status(response.status);
  response.headers.forEach((value, name) => {
    res.setHeader(name, value);
  });
  const body = response.body ? Buffer.from(await response.arrayBuffer()) : undefined;
  res.end(body);
}
