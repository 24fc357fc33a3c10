import { type Route, routes } from "@tenantauth/core";

/** One recorded exchange, normalised so that two adapters' transcripts can be compared. */
export interface Exchange {
  step: string;
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** Options of one request. */
export interface CallOptions {
  token?: string | undefined;
  /** A JSON body (sent with application/json). */
  json?: unknown;
  /** A raw body with its own content type. */
  raw?: { body: string; type: string };
  headers?: Record<string, string>;
}

const COMPARED_HEADERS = ["content-type", "allow", "www-authenticate", "retry-after", "cache-control"];

/** Replaces values that differ between runs (random tokens and names) with placeholders. */
export function normalise(value: unknown): unknown {
  if (typeof value === "string") {
    if (/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(value)) return "<jwt>";
    if (/^[A-Za-z0-9_-]{40,}$/.test(value)) return "<token>";
    if (/^personal-[a-z2-7]+$/.test(value)) return "<personal>";
    if (/^deleted-\d+-[a-z2-7]+$/.test(value)) return "<deleted>";
    if (/^[a-z2-7]{26}$/.test(value)) return "<session-id>";
    if (/^[a-z2-7]{16}$/.test(value)) return "<api-key-id>";
    if (/^ta_live_[a-z2-7]{16}$/.test(value)) return "<api-key-prefix>";
    if (/^[A-Z2-7]{32}$/.test(value)) return "<totp-secret>";
    if (value.startsWith("otpauth://")) return "<otpauth-uri>";
    if (/^[a-z2-7]{4}(-[a-z2-7]{4}){3}$/.test(value)) return "<backup-code>";
    return value;
  }
  if (Array.isArray(value)) return value.map(normalise);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalise(v)]));
  }
  return value;
}

/** The route (operation) a method and path belong to, or null. */
export function routeOf(method: string, path: string): Route | null {
  const parts = path.split("?")[0]!.split("/").filter(Boolean);
  return (
    routes.find((r) => {
      const segments = r.path.split("/").filter(Boolean);
      return (
        r.method === method &&
        segments.length === parts.length &&
        segments.every((s, i) => s.startsWith("{") || s === parts[i])
      );
    }) ?? null
  );
}

/** A small HTTP client that records every exchange and which (operation, outcome) pairs were seen. */
export function httpClient(baseUrl: string) {
  const transcript: Exchange[] = [];
  const covered = new Set<string>();
  return {
    transcript,
    covered,
    async call(step: string, method: string, path: string, options: CallOptions = {}) {
      const headers: Record<string, string> = { ...options.headers };
      if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
      let body: string | undefined;
      if (options.json !== undefined) {
        headers["content-type"] = "application/json";
        body = JSON.stringify(options.json);
      } else if (options.raw) {
        headers["content-type"] = options.raw.type;
        body = options.raw.body;
      }
      const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
      const text = await response.text();
      const type = response.headers.get("content-type") ?? "";
      const parsed: unknown = type.includes("json") && text ? JSON.parse(text) : text;
      const kept = Object.fromEntries(
        COMPARED_HEADERS.flatMap((h) => {
          const v = response.headers.get(h);
          return v === null ? [] : [[h, v]];
        }),
      );
      // The host app's own routes answer through its framework (Express adds a charset, Hono does not).
      const fromHost = !path.startsWith("/auth") || (parsed as { host?: unknown } | null)?.host !== undefined;
      if (fromHost) delete kept["content-type"];
      transcript.push({ step, status: response.status, headers: kept, body: normalise(parsed) });
      const route = path.startsWith("/auth/") ? routeOf(method, path.slice("/auth".length)) : null;
      if (route) {
        const code = (parsed as { error?: { code?: string } } | null)?.error?.code;
        covered.add(`${route.operationId} ${code ?? response.status}`);
      }
      // biome-ignore lint/suspicious/noExplicitAny: tests read response bodies of many shapes.
      return { status: response.status, body: parsed as any, headers: response.headers, text };
    },
  };
}
