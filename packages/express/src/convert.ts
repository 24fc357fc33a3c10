import {
  type Auth,
  clientIp,
  drainNodeBody,
  type HttpInput,
  type HttpReply,
  nodeBodyStream,
  nodeHeaderReader,
} from "@tenantauth/core";
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

/**
 * Core's view of an Express request: headers read from Node's, a Web `Request` built only to read a body. `url` is
 * the path and query of the request target as received (see core's `requestTarget`), as the Hono adapter passes it.
 */
export function nodeInput(req: ExpressRequest, url: string): HttpInput {
  return {
    method: req.method,
    url,
    header: nodeHeaderReader(req.headers),
    request: () => toWebRequest(req, `http://localhost${url}`),
  };
}

/** Builds a Web `Request` at `url` from an Express request (its body still unread, or already parsed by express.json()). */
export function toWebRequest(req: ExpressRequest, url: string): Request {
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
  return new Request(url, { method, headers, body: nodeBodyStream(req), duplex: "half" } as RequestInit);
}

/**
 * Reads and discards what is left of a request body the handler did not read (core's `drainNodeBody`, as the Hono
 * adapter does), resolving when it has all arrived.
 */
export function drainBody(req: ExpressRequest): Promise<void> {
  return drainNodeBody(req);
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
