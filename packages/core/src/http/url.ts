/** A request URL's path (as received, not decoded) and its query without the "?". */
export interface UrlParts {
  pathname: string;
  search: string;
}

/** An http(s) URL's start, up to its authority. */
const HTTP_URL = /^https?:\/\//i;
/** Characters `new URL()` strips, encodes or reads as "/" anywhere in a URL: then it parses the URL itself. */
const UNUSUAL = /[^\x21-\x7e]|\\/;
/** What `new URL()` rewrites in a path: dot segments (also percent-encoded) and a leading "//". */
const DOT_SEGMENT = /\.|%2e|^\/\//i;

let lastOrigin = "";

/**
 * The path and query of a full http(s) URL or of a path with its query, as `new URL()` reads them, or null for a URL
 * it cannot parse.
 * The usual request is read by hand (this runs for every request); anything `new URL()` would rewrite goes
 * through it instead, so the two always agree (url.test.ts checks it on generated URLs).
 */
export function splitUrl(url: string): UrlParts | null {
  if (UNUSUAL.test(url)) return viaUrl(url);
  let start = 0;
  if (url.charCodeAt(0) !== 47 /* / */) {
    if (!HTTP_URL.test(url)) return viaUrl(url);
    const authority = url.indexOf("//") + 2;
    start = authority;
    while (start < url.length) {
      const c = url.charCodeAt(start);
      if (c === 47 /* / */ || c === 63 /* ? */ || c === 35 /* # */) break;
      start++;
    }
    // No host ("http:///x"): new URL() takes the path's first segment as the host.
    if (start === authority) return viaUrl(url);
    // Only the scheme, host and port can make a URL unparseable; a server sees the same few, so one is remembered.
    const origin = url.slice(0, start);
    if (origin !== lastOrigin) {
      if (!parseUrl(origin)) return null;
      lastOrigin = origin;
    }
  }
  let end = url.indexOf("#", start);
  if (end === -1) end = url.length;
  let queryAt = url.indexOf("?", start);
  if (queryAt === -1 || queryAt > end) queryAt = end;
  const pathname = start === queryAt ? "/" : url.slice(start, queryAt);
  if (DOT_SEGMENT.test(pathname)) return viaUrl(url);
  return { pathname, search: queryAt < end ? url.slice(queryAt + 1, end) : "" };
}

/** What `new URL()` reads, or null for what it cannot parse. */
function viaUrl(url: string): UrlParts | null {
  const parsed = parseUrl(url);
  return parsed && { pathname: parsed.pathname, search: parsed.search.slice(1) };
}

/**
 * `new URL(url, "http://localhost")`, or null. Not `URL.canParse`: once optimized, Node 20's answers wrongly at
 * times (url.test.ts found it).
 */
function parseUrl(url: string): URL | null {
  try {
    return new URL(url, "http://localhost");
  } catch {
    return null;
  }
}

/**
 * The path and query of a request target exactly as the client sent it (`/auth/me?x=1`, or the absolute form
 * `http://host/auth/me`), or null when its path is not in normal form: anything `new URL()` would rewrite (dot
 * segments, also percent-encoded; backslashes; characters it percent-encodes; a leading "//") or cannot parse.
 *
 * This is the one path rule of both HTTP adapters: tenantauth answers only a path in normal form, and compares it
 * to its routes as received, without percent-decoding (only parameter values are decoded). So `/auth/%61dmin/users`
 * is not `/auth/admin/users`, and `/auth/x/../me` is not `/auth/me`: such paths go on to the host app, on Express as
 * on Hono, whatever the framework's own router made of them.
 *
 * @example requestTarget("/auth/me?x=1") // { pathname: "/auth/me", search: "x=1" }
 * @example requestTarget("/auth/x/../me") // null
 */
export function requestTarget(target: string): UrlParts | null {
  let start = 0;
  if (target.charCodeAt(0) !== 47 /* / */) {
    if (!HTTP_URL.test(target)) return null;
    const authority = target.indexOf("//") + 2;
    start = authority;
    while (start < target.length) {
      const c = target.charCodeAt(start);
      if (c === 47 /* / */ || c === 63 /* ? */ || c === 35 /* # */) break;
      start++;
    }
    if (start === authority) return null;
  }
  let end = target.indexOf("#", start);
  if (end === -1) end = target.length;
  let queryAt = target.indexOf("?", start);
  if (queryAt === -1 || queryAt > end) queryAt = end;
  const pathname = start === queryAt ? "/" : target.slice(start, queryAt);
  const parsed = splitUrl(target);
  if (!parsed || parsed.pathname !== pathname) return null;
  return parsed;
}
