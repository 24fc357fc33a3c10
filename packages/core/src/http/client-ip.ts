/**
 * Which proxies in front of the app are believed when they report the client's address in `X-Forwarded-For`:
 * - `false` (the default): none. The client IP is the TCP peer's address; forwarded headers are ignored.
 * - `true`: every hop. The client IP is the left-most `X-Forwarded-For` entry. Only when the app is reachable
 *   through your proxies alone, and the first of them overwrites (not appends to) the header.
 * - a number `n`: the `n` proxies nearest the app. The client IP is the `n`-th address counted from the TCP peer
 *   leftwards through `X-Forwarded-For` (`1` = the address your one load balancer saw).
 * - a list of proxy addresses (`["10.0.0.5", "::1"]`): the client IP is the first address, walking from the TCP peer
 *   leftwards through `X-Forwarded-For`, that is not in the list.
 *
 * The `Forwarded` header (RFC 7239) is never read: one header, so a client cannot pick the one its proxy leaves alone.
 */
export type TrustProxy = boolean | number | readonly string[];

const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const MAPPED_IPV4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;
const IPV6_CHARS = /^[\da-f:.]+$/i;

/**
 * An IP address in one canonical form (IPv4 dotted quad; IPv6 compressed and lower-case; an IPv4-mapped IPv6
 * address as its IPv4 address), or null when the text is not an IP address. Brackets, zone ids, ports and host
 * names are not addresses.
 *
 * @example canonicalIp("::ffff:127.0.0.1") // "127.0.0.1"
 */
export function canonicalIp(text: string): string | null {
  const value = text.trim();
  if (IPV4.test(value)) return value;
  const mapped = MAPPED_IPV4.exec(value)?.[1];
  if (mapped !== undefined) return IPV4.test(mapped) ? mapped : null;
  if (!value.includes(":") || !IPV6_CHARS.test(value)) return null;
  try {
    // The URL parser validates and compresses IPv6 literals (RFC 5952); its host keeps the brackets.
    const host = new URL(`http://[${value}]/`).hostname.slice(1, -1);
    const inner = /^::ffff:([\da-f]{1,4}):([\da-f]{1,4})$/.exec(host);
    if (inner) {
      const high = Number.parseInt(inner[1] as string, 16);
      const low = Number.parseInt(inner[2] as string, 16);
      return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
    }
    return host;
  } catch {
    return null;
  }
}

/**
 * The client's IP address of a request, from the TCP peer's address (`socket.remoteAddress`) and, only as far as
 * `trustProxy` allows, the `X-Forwarded-For` header. Both HTTP adapters (routes and middleware) call this, so a
 * request counts against the same per-IP limits and is recorded with the same address whichever serves it.
 * Entries that are not IP addresses end the walk: the address is then the last one before them.
 *
 * @param trustProxy `auth.options.trustProxy` (see {@link TrustProxy}).
 * @param socketAddress The TCP peer's address; without it there is no client IP (`undefined`).
 * @param forwardedFor The `X-Forwarded-For` header (repeated headers joined with ", "), or null.
 * @example clientIp(false, "203.0.113.7", "198.51.100.1") // "203.0.113.7": forwarded headers ignored
 * @example clientIp(1, "10.0.0.5", "198.51.100.1, 203.0.113.9") // "203.0.113.9"
 */
export function clientIp(
  trustProxy: TrustProxy,
  socketAddress: string | undefined,
  forwardedFor: string | null | undefined,
): string | undefined {
  const peer = socketAddress === undefined ? null : canonicalIp(socketAddress);
  if (peer === null) return undefined;
  if (trustProxy === false || trustProxy === 0 || !forwardedFor) return peer;
  const hops = forwardedFor.split(",").reverse(); // nearest proxy's report first
  const trusted = Array.isArray(trustProxy) ? new Set(trustProxy.map((a) => canonicalIp(a) ?? a)) : null;
  const maxHops = typeof trustProxy === "number" ? trustProxy : Number.POSITIVE_INFINITY;
  let address = peer;
  for (let i = 0; i < hops.length && i < maxHops; i++) {
    if (trusted && !trusted.has(address)) break;
    const next = canonicalIp(hops[i] as string);
    if (next === null) break;
    address = next;
  }
  return address;
}
