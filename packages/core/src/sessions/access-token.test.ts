import { hmac } from "@oslojs/crypto/hmac";
import { SHA256 } from "@oslojs/crypto/sha2";
import { encodeBase64urlNoPadding } from "@oslojs/encoding";
import { createJWTSignatureMessage, encodeJWT } from "@oslojs/jwt";
import { describe, expect, it } from "vitest";
import { isAuthError } from "../errors.js";
import { bytesOf, deriveKey } from "../internal/crypto.js";
import { cryptoRandom } from "../ports/clock.js";
import { type AccessTokenSettings, accessTokenVerifier, signAccessToken, verifyAccessToken } from "./access-token.js";

const settings: AccessTokenSettings = {
  key: deriveKey(bytesOf("k".repeat(32)), "access-token"),
  issuer: "https://auth.example.com",
  audience: "api",
  ttlSeconds: 900,
  random: cryptoRandom,
};
const NOW = 1_800_000_000_000;
const subject = { userId: 42, email: "ada@example.com", sessionId: "s3ss10n" };

/** Signs an arbitrary header and payload with `key`, for forging tokens the codec must refuse. */
function forge(header: object, payload: object, key = settings.key): string {
  const h = JSON.stringify(header);
  const p = JSON.stringify(payload);
  return encodeJWT(h, p, hmac(SHA256, key, createJWTSignatureMessage(h, p)));
}
const goodPayload = {
  iss: settings.issuer,
  aud: settings.audience,
  sub: "42",
  email: "ada@example.com",
  sid: "s3ss10n",
  iat: NOW / 1000,
  exp: NOW / 1000 + 900,
};
const goodHeader = { alg: "HS256", typ: "at+jwt" };

function rejection(token: unknown, now = NOW): string {
  try {
    verifyAccessToken(settings, token, now);
  } catch (error) {
    if (isAuthError(error)) return error.code;
    throw error;
  }
  throw new Error("token was accepted");
}

describe("access tokens", () => {
  it("round-trips a signed token into a principal", () => {
    const token = signAccessToken(settings, subject, NOW);
    expect(verifyAccessToken(settings, token, NOW + 1000)).toEqual({
      kind: "user",
      userId: 42,
      email: "ada@example.com",
      sessionId: "s3ss10n",
      issuedAt: NOW,
      expiresAt: NOW + 900_000,
    });
  });

  it("accepts a forged-looking token only when every claim is right (control for the cases below)", () => {
    expect(verifyAccessToken(settings, forge(goodHeader, goodPayload), NOW).userId).toBe(42);
  });

  it("rejects a token whose payload was tampered with", () => {
    const [h, , s] = signAccessToken(settings, subject, NOW).split(".");
    const evil = encodeBase64urlNoPadding(bytesOf(JSON.stringify({ ...goodPayload, sub: "1" })));
    expect(rejection(`${h}.${evil}.${s}`)).toBe("INVALID_TOKEN");
  });

  it("rejects a token whose signature was changed", () => {
    const token = signAccessToken(settings, subject, NOW);
    const flipped = token.slice(0, -2) + (token.endsWith("AA") ? "BA" : "AA");
    expect(rejection(flipped)).toBe("INVALID_TOKEN");
  });

  it("signs with node:crypto exactly what an independent HMAC-SHA256 (@oslojs/crypto) computes", () => {
    const [h, p, s] = signAccessToken(settings, subject, NOW).split(".");
    const message = bytesOf(`${h}.${p}`);
    expect(s).toBe(encodeBase64urlNoPadding(hmac(SHA256, settings.key, message)));
  });

  it("rejects a truncated or extended signature (length checked before the constant-time compare)", () => {
    const [h, p, s = ""] = signAccessToken(settings, subject, NOW).split(".");
    expect(rejection(`${h}.${p}.${s.slice(0, -4)}`)).toBe("INVALID_TOKEN");
    expect(rejection(`${h}.${p}.${s}AAAA`)).toBe("INVALID_TOKEN");
  });

  it("rejects a token signed with another key", () => {
    expect(rejection(forge(goodHeader, goodPayload, deriveKey(bytesOf("x".repeat(32)), "access-token")))).toBe(
      "INVALID_TOKEN",
    );
  });

  it("rejects alg=none and any algorithm but HS256", () => {
    const h = encodeBase64urlNoPadding(bytesOf(JSON.stringify({ alg: "none", typ: "at+jwt" })));
    const p = encodeBase64urlNoPadding(bytesOf(JSON.stringify(goodPayload)));
    expect(rejection(`${h}.${p}.`)).toBe("INVALID_TOKEN");
    expect(rejection(forge({ alg: "none", typ: "at+jwt" }, goodPayload))).toBe("INVALID_TOKEN");
    expect(rejection(forge({ alg: "HS512", typ: "at+jwt" }, goodPayload))).toBe("INVALID_TOKEN");
    expect(rejection(forge({ alg: "hs256", typ: "at+jwt" }, goodPayload))).toBe("INVALID_TOKEN");
  });

  it("rejects the wrong typ, audience, issuer or subject", () => {
    expect(rejection(forge({ alg: "HS256", typ: "JWT" }, goodPayload))).toBe("INVALID_TOKEN");
    expect(rejection(forge({ alg: "HS256" }, goodPayload))).toBe("INVALID_TOKEN");
    expect(rejection(forge(goodHeader, { ...goodPayload, aud: "other-api" }))).toBe("INVALID_TOKEN");
    expect(rejection(forge(goodHeader, { ...goodPayload, aud: undefined }))).toBe("INVALID_TOKEN");
    expect(rejection(forge(goodHeader, { ...goodPayload, iss: "https://evil.example.com" }))).toBe("INVALID_TOKEN");
    expect(rejection(forge(goodHeader, { ...goodPayload, sub: "admin" }))).toBe("INVALID_TOKEN");
    expect(rejection(forge(goodHeader, { ...goodPayload, sid: undefined }))).toBe("INVALID_TOKEN");
    expect(rejection(forge(goodHeader, { ...goodPayload, email: 7 }))).toBe("INVALID_TOKEN");
  });

  it("rejects every malformed claim of a correctly signed token: subject, session, times, act, org, crit", () => {
    // "42 ", "1e3" and "4.0" would pass Number() as user ids: only the whole-string pattern refuses them.
    for (const sub of ["0", "x42", "42x", "042", "1".repeat(17), 42, "42 ", "1e3", "4.0"]) {
      expect(rejection(forge(goodHeader, { ...goodPayload, sub })), `sub ${String(sub)}`).toBe("INVALID_TOKEN");
    }
    expect(rejection(forge(goodHeader, { ...goodPayload, sid: "" }))).toBe("INVALID_TOKEN");
    expect(rejection(forge(goodHeader, { ...goodPayload, sid: 7 }))).toBe("INVALID_TOKEN");
    expect(rejection(forge(goodHeader, { ...goodPayload, iat: String(NOW / 1000) }))).toBe("INVALID_TOKEN");
    expect(rejection(forge(goodHeader, { ...goodPayload, exp: String(NOW / 1000 + 900) }))).toBe("INVALID_TOKEN");
    expect(rejection(forge(goodHeader, { ...goodPayload, act: { sub: "root" } }))).toBe("INVALID_TOKEN");
    expect(rejection(forge(goodHeader, { ...goodPayload, act: "7" }))).toBe("INVALID_TOKEN");
    expect(rejection(forge(goodHeader, { ...goodPayload, org: { id: 1 } }))).toBe("INVALID_TOKEN");
    expect(rejection(forge(goodHeader, { ...goodPayload, org: "1" }))).toBe("INVALID_TOKEN");
    expect(rejection(forge({ ...goodHeader, crit: ["exp"] }, goodPayload))).toBe("INVALID_TOKEN");
    // The control: the same payload with well-formed act and org claims is accepted.
    const ok = verifyAccessToken(
      settings,
      forge(goodHeader, {
        ...goodPayload,
        act: { sub: "7" },
        org: { id: 1, role: { id: 2, name: "Admin", permissions: ["org:update"] } },
      }),
      NOW,
    );
    expect(ok).toMatchObject({ userId: 42, impersonatorId: 7, activeOrganization: { id: 1 } });
  });

  it("refuses a subject or act.sub beyond Number.MAX_SAFE_INTEGER (it would be read as another user id)", () => {
    const biggest = String(Number.MAX_SAFE_INTEGER);
    const beyond = "9007199254740993"; // Number() rounds it to 9007199254740992
    expect(verifyAccessToken(settings, forge(goodHeader, { ...goodPayload, sub: biggest }), NOW).userId).toBe(
      Number.MAX_SAFE_INTEGER,
    );
    expect(rejection(forge(goodHeader, { ...goodPayload, sub: beyond }))).toBe("INVALID_TOKEN");
    expect(rejection(forge(goodHeader, { ...goodPayload, sub: "9999999999999999" }))).toBe("INVALID_TOKEN");
    const acting = verifyAccessToken(settings, forge(goodHeader, { ...goodPayload, act: { sub: biggest } }), NOW);
    expect(acting.impersonatorId).toBe(Number.MAX_SAFE_INTEGER);
    expect(rejection(forge(goodHeader, { ...goodPayload, act: { sub: beyond } }))).toBe("INVALID_TOKEN");
    expect(rejection(forge(goodHeader, { ...goodPayload, act: { sub: "7 " } }))).toBe("INVALID_TOKEN");
  });

  it("accepts iat up to the allowed clock skew (60 s) ahead, and refuses it one second beyond", () => {
    const at = (iat: number) => forge(goodHeader, { ...goodPayload, iat, exp: iat + 900 });
    expect(verifyAccessToken(settings, at(NOW / 1000 + 60), NOW).userId).toBe(42);
    expect(rejection(at(NOW / 1000 + 61))).toBe("INVALID_TOKEN");
  });

  it("refuses a correctly signed token longer than 4096 characters, and accepts one of exactly 4096", () => {
    // The email claim pads the token to the wanted length (its base64url grows 4 characters per 3 bytes, so the
    // header's optional kid pads the remainder).
    const ofLength = (length: number): string => {
      for (let kid = 0; kid < 4; kid++) {
        for (let pad = Math.floor(length * 0.75) - 300; pad < length; pad++) {
          const header = kid === 0 ? goodHeader : { ...goodHeader, kid: "k".repeat(kid) };
          const token = forge(header, { ...goodPayload, email: `${"a".repeat(pad)}@example.com` });
          if (token.length === length) return token;
        }
      }
      throw new Error(`no token of length ${length}`);
    };
    expect(verifyAccessToken(settings, ofLength(4096), NOW).userId).toBe(42);
    expect(rejection(ofLength(4097))).toBe("INVALID_TOKEN");
    expect(rejection(ofLength(6000))).toBe("INVALID_TOKEN");
  });

  it("accepts an audience list that contains ours", () => {
    expect(verifyAccessToken(settings, forge(goodHeader, { ...goodPayload, aud: ["x", "api"] }), NOW).userId).toBe(42);
  });

  it("rejects an expired token with TOKEN_EXPIRED, at and after exp", () => {
    const token = signAccessToken(settings, subject, NOW);
    expect(verifyAccessToken(settings, token, NOW + 899_999).userId).toBe(42);
    expect(rejection(token, NOW + 900_000)).toBe("TOKEN_EXPIRED");
    expect(rejection(token, NOW + 10 * 900_000)).toBe("TOKEN_EXPIRED");
  });

  it("rejects a token without exp or issued in the future", () => {
    expect(rejection(forge(goodHeader, { ...goodPayload, exp: undefined }))).toBe("INVALID_TOKEN");
    expect(rejection(forge(goodHeader, { ...goodPayload, iat: NOW / 1000 + 3600 }))).toBe("INVALID_TOKEN");
  });

  it.each([
    ["empty", ""],
    ["garbage", "not-a-jwt"],
    ["two parts", "a.b"],
    ["non-string", 12345],
    ["null", null],
    ["object", { token: "x" }],
    ["huge", "a".repeat(10_000)],
  ])("rejects malformed input (%s) with INVALID_TOKEN, not a TypeError", (_name, value) => {
    expect(rejection(value)).toBe("INVALID_TOKEN");
  });
});

describe("access tokens, remembered once verified (accessTokenVerifier)", () => {
  const codeOf = (fn: () => unknown): string => {
    try {
      fn();
    } catch (error) {
      if (isAuthError(error)) return error.code;
      throw error;
    }
    throw new Error("token was accepted");
  };

  it("answers a repeated token exactly as verifyAccessToken does, with a frozen principal no caller can change", () => {
    const verify = accessTokenVerifier(settings);
    const token = signAccessToken(settings, subject, NOW);
    const first = verify(token, NOW);
    expect(Object.isFrozen(first)).toBe(true);
    expect(() => {
      first.userId = 1; // a caller mutating its principal must not change the next answer
    }).toThrow(TypeError);
    expect(verify(token, NOW + 1000)).toEqual(verifyAccessToken(settings, token, NOW + 1000));
  });

  it("still expires a remembered token, and re-checks iat when the clock moves back", () => {
    const verify = accessTokenVerifier(settings);
    const token = signAccessToken(settings, subject, NOW);
    expect(verify(token, NOW).userId).toBe(42);
    expect(codeOf(() => verify(token, NOW + 900_000))).toBe("TOKEN_EXPIRED");
    expect(codeOf(() => verify(token, NOW - 61_000))).toBe("INVALID_TOKEN");
    expect(verify(token, NOW + 1).userId).toBe(42);
  });

  it("never remembers a rejected token, nor lets a tampered copy of a remembered one through", () => {
    const verify = accessTokenVerifier(settings);
    const token = signAccessToken(settings, subject, NOW);
    expect(verify(token, NOW).userId).toBe(42);
    const [h, , s] = token.split(".");
    const evil = `${h}.${encodeBase64urlNoPadding(bytesOf(JSON.stringify({ ...goodPayload, sub: "1" })))}.${s}`;
    expect(codeOf(() => verify(evil, NOW))).toBe("INVALID_TOKEN");
    expect(codeOf(() => verify(evil, NOW))).toBe("INVALID_TOKEN");
    const expired = signAccessToken(settings, subject, NOW - 900_000);
    expect(codeOf(() => verify(expired, NOW))).toBe("TOKEN_EXPIRED");
    expect(codeOf(() => verify(expired, NOW))).toBe("TOKEN_EXPIRED");
  });

  // What a remembered token gives back is the very principal object made when it was first verified; a token
  // verified anew gives a new (equal) object. That is how these tests tell a remembered token from a forgotten one.
  it("gives back the principal it remembered for a repeated token, not a new one", () => {
    const verify = accessTokenVerifier(settings);
    const token = signAccessToken(settings, subject, NOW);
    const first = verify(token, NOW);
    expect(verify(token, NOW + 1000)).toBe(first);
    expect(verifyAccessToken(settings, token, NOW + 1000)).not.toBe(first); // the uncached codec makes a new one
  });

  it("keeps at most `size` tokens, forgetting the first remembered first; size 0 remembers nothing", () => {
    const verify = accessTokenVerifier(settings, 2);
    const [a, b, c] = [1, 2, 3].map((userId) => signAccessToken(settings, { ...subject, userId }, NOW)) as [
      string,
      string,
      string,
    ];
    const fromA = verify(a, NOW);
    const fromB = verify(b, NOW);
    expect(verify(a, NOW)).toBe(fromA); // both fit
    expect(verify(b, NOW)).toBe(fromB);
    verify(c, NOW); // a third one: a, the first remembered, goes
    expect(verify(b, NOW)).toBe(fromB);
    const again = verify(a, NOW);
    expect(again).not.toBe(fromA);
    expect(again).toEqual(fromA);

    const none = accessTokenVerifier(settings, 0);
    const once = none(a, NOW);
    expect(none(a, NOW)).not.toBe(once);
    expect(none(a, NOW)).toEqual(once);
  });

  it("stays bounded: the oldest token is forgotten first and is verified again when it comes back", () => {
    const verify = accessTokenVerifier(settings, 2);
    const tokens = [1, 2, 3].map((userId) => signAccessToken(settings, { ...subject, userId }, NOW));
    for (const token of tokens) verify(token, NOW);
    expect(tokens.map((token) => verify(token, NOW).userId)).toEqual([1, 2, 3]);
  });
});
