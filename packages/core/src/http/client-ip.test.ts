import { describe, expect, it } from "vitest";
import { canonicalIp, clientIp } from "./client-ip.js";

describe("clientIp", () => {
  it("is the socket's address when no proxy is trusted, whatever X-Forwarded-For says", () => {
    expect(clientIp(false, "192.0.2.1", "203.0.113.9")).toBe("192.0.2.1");
    expect(clientIp(0, "192.0.2.1", "203.0.113.9")).toBe("192.0.2.1");
    expect(clientIp(["10.0.0.1"], "192.0.2.1", "203.0.113.9")).toBe("192.0.2.1");
    expect(clientIp(true, undefined, "203.0.113.9")).toBeUndefined();
  });
  it("walks X-Forwarded-For from the right, as many hops as trusted", () => {
    const xff = "198.51.100.1, 203.0.113.9";
    expect(clientIp(1, "10.0.0.5", xff)).toBe("203.0.113.9");
    expect(clientIp(2, "10.0.0.5", xff)).toBe("198.51.100.1");
    expect(clientIp(5, "10.0.0.5", xff)).toBe("198.51.100.1");
    expect(clientIp(true, "10.0.0.5", xff)).toBe("198.51.100.1");
    expect(clientIp(["10.0.0.5"], "10.0.0.5", xff)).toBe("203.0.113.9");
    expect(clientIp(["10.0.0.5", "203.0.113.9"], "10.0.0.5", xff)).toBe("198.51.100.1");
  });
  it("stops at an entry that is not an IP address, and canonicalises addresses", () => {
    expect(clientIp(true, "10.0.0.5", "198.51.100.1, evil.example, 203.0.113.9")).toBe("203.0.113.9");
    expect(clientIp(true, "10.0.0.5", "1.2.3.4:80")).toBe("10.0.0.5");
    expect(clientIp(false, "::ffff:127.0.0.1", null)).toBe("127.0.0.1");
    expect(clientIp(["::1"], "0:0:0:0:0:0:0:1", "2001:DB8::1")).toBe("2001:db8::1");
    expect(clientIp(false, "not an address", null)).toBeUndefined();
  });
  it("canonicalIp refuses what is not an address", () => {
    for (const bad of ["", "256.1.1.1", "1.2.3", "0x7f.1", "[::1]", "::1%eth0", "localhost", "1.2.3.4 5"]) {
      expect(canonicalIp(bad), bad).toBeNull();
    }
    expect(canonicalIp("::ffff:7f00:1")).toBe("127.0.0.1");
  });
});
