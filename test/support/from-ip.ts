import { request } from "node:http";

/** A JSON answer: status, headers (lower-case names) and parsed body (null when empty). */
export interface JsonAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  // biome-ignore lint/suspicious/noExplicitAny: tests read fields of the parsed body freely
  body: any;
}

/** Options of {@link callFrom}. */
export interface CallFromOptions {
  json?: unknown;
  token?: string;
  /** The loopback source address to connect from (any of 127.0.0.0/8), so a server sees distinct client IPs. */
  from?: string;
}

/**
 * One HTTP request to `baseUrl + path`, sent from a chosen loopback address: the server's socket then really has
 * that client IP (no forwarded header, no trust-proxy setting involved). Linux routes all of 127.0.0.0/8 to
 * loopback, so `127.0.0.2`, `127.0.0.3`, … stand for distinct clients.
 */
export function callFrom(
  baseUrl: string,
  method: string,
  path: string,
  options: CallFromOptions = {},
): Promise<JsonAnswer> {
  const url = new URL(path, baseUrl);
  const body = options.json === undefined ? undefined : JSON.stringify(options.json);
  const headers: Record<string, string> = {};
  if (body !== undefined) headers["content-type"] = "application/json";
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method,
        headers,
        localAddress: options.from ?? "127.0.0.1",
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text ? JSON.parse(text) : null });
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}
