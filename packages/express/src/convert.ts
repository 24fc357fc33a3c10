import { Readable } from "node:stream";
import type { Request as ExpressRequest, Response as ExpressResponse } from "express";

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
  return new Request(url, {
    method,
    headers,
    body: Readable.toWeb(req) as ReadableStream<Uint8Array>,
    duplex: "half",
  } as RequestInit);
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
