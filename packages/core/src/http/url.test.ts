import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { splitUrl } from "./url.js";

/** What routing reads of a URL: the decoded path segments and the query's pairs (or "undecodable"). */
function routingView(parts: { pathname: string; search: string } | null) {
  if (!parts) return null;
  let segments: string[] | "undecodable";
  try {
    segments = parts.pathname.split("/").filter(Boolean).map(decodeURIComponent);
  } catch {
    segments = "undecodable";
  }
  return { segments, query: [...new URLSearchParams(parts.search)] };
}

/** The reference: what `new URL()` reads. */
function byUrl(url: string) {
  let parsed: URL;
  try {
    parsed = new URL(url, "http://localhost");
  } catch {
    return null;
  }
  return { pathname: parsed.pathname, search: parsed.search.slice(1) };
}

const starts = ["", "http://localhost", "https://example.com:8443", "HTTP://a@b", "http://", "http:///", "x:", "//h"];
const pieces = ["/", "//", "auth", "me", "a", "1", ".", "..", "%2e", "%2E", "%", "%41", "%zz", "%C3%A9", "é", "\\"];
const more = [
  " ",
  "\t",
  "\n",
  "{",
  "}",
  "|",
  "^",
  "`",
  '"',
  "<",
  "?",
  "#",
  "=",
  "&",
  "+",
  "%20",
  "\u{1F600}",
  "\uD800",
];

describe("splitUrl", () => {
  it("reads a URL as new URL() does, for generated URLs", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...starts),
        fc.array(fc.oneof(fc.constantFrom(...pieces, ...more), fc.string({ maxLength: 3 })), { maxLength: 12 }),
        (start, rest) => {
          const url = start + rest.join("");
          expect(routingView(splitUrl(url))).toEqual(routingView(byUrl(url)));
        },
      ),
      { numRuns: 5_000 },
    );
  });

  it("reads the usual request by hand", () => {
    expect(splitUrl("http://127.0.0.1:3000/auth/me")).toEqual({ pathname: "/auth/me", search: "" });
    expect(splitUrl("/auth/organizations/7/members?limit=5#x")).toEqual({
      pathname: "/auth/organizations/7/members",
      search: "limit=5",
    });
    expect(splitUrl("https://h?x=1")).toEqual({ pathname: "/", search: "x=1" });
  });

  it("lets new URL() rewrite what it rewrites", () => {
    expect(splitUrl("/auth/x/../me")?.pathname).toBe("/auth/me");
    expect(splitUrl("/auth/x/%2E%2e/me")?.pathname).toBe("/auth/me");
    expect(splitUrl("http://h\\auth/me")?.pathname).toBe("/auth/me");
    expect(splitUrl("http:///auth/me")?.pathname).toBe("/me");
  });

  it("is null for what new URL() cannot parse", () => {
    expect(splitUrl("http://a b/me")).toBeNull();
    expect(splitUrl("http://")).toBeNull();
  });
});
