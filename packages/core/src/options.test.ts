import { describe, expect, it } from "vitest";
import { ConfigError } from "./errors.js";
import { resolveOptions } from "./options.js";
import type { StorageAdapter } from "./ports/storage.js";

// A shape-only object: resolveOptions checks the storage's shape and never calls it.
const storage = {
  name: "shape-only",
  transaction: () => Promise.reject(new Error("unused")),
  findUserByEmail: () => Promise.resolve(null),
  createUserWithOrganization: () => Promise.reject(new Error("unused")),
  rotateRefreshToken: () => Promise.reject(new Error("unused")),
} as unknown as StorageAdapter;
const secret = "s".repeat(32);

function configError(options: unknown): ConfigError {
  try {
    resolveOptions(options);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("options were accepted");
}

describe("createAuth options", () => {
  it("applies documented defaults", () => {
    const o = resolveOptions({ secret, storage });
    expect(o.accessToken.ttlSeconds).toBe(900);
    expect(o.session).toEqual({
      idleTimeoutSeconds: 604_800,
      absoluteTimeoutSeconds: 2_592_000,
      refreshReuseGraceSeconds: 5,
    });
    expect(o.password).toEqual({ minLength: 8, maxLength: 128, rejectCommon: true });
    expect(o.enumerationSafeSignup).toBe(false);
    expect(o.issuer).toBe("tenantauth");
    expect(o.audience).toBe("tenantauth");
    expect(o.revocation).toEqual({ refreshSeconds: 2 });
    expect(configError({ secret, storage, revocation: { refreshSeconds: 61 } }).issues[0]?.path).toBe(
      "revocation.refreshSeconds",
    );
  });

  it("applies the documented rate-limit defaults", () => {
    const { rateLimit } = resolveOptions({ secret, storage });
    expect(rateLimit).toEqual({
      enabled: true,
      onStoreUnavailable: "fail-closed",
      signin: {
        perAccountAndIp: { limit: 10, windowSeconds: 900, maxLockSeconds: 3600 },
        perAccount: { maxPerHour: 100 },
        perIp: { limit: 100, windowSeconds: 900 },
      },
      signup: { perIp: { limit: 20, windowSeconds: 3600 }, perEmail: { limit: 5, windowSeconds: 3600 } },
      passwordReset: {
        perIp: { limit: 20, windowSeconds: 3600 },
        perEmailAndIp: { limit: 3, windowSeconds: 3600 },
        perEmail: { limit: 10, windowSeconds: 3600 },
      },
      resendVerification: {
        perIp: { limit: 20, windowSeconds: 3600 },
        perEmailAndIp: { limit: 3, windowSeconds: 3600 },
        perEmail: { limit: 10, windowSeconds: 3600 },
      },
      twoFactorCodes: { limit: 5, windowSeconds: 900 },
      twoFactorSignin: { limit: 10, windowSeconds: 900 },
      invitations: {
        perOrganization: { limit: 20, windowSeconds: 3600 },
        perInviter: { limit: 10, windowSeconds: 3600 },
        resendsPerInvitation: { limit: 3, windowSeconds: 3600 },
      },
    });
    expect(configError({ secret, storage, rateLimit: { signin: { perIp: { limit: 0 } } } }).issues[0]?.path).toBe(
      "rateLimit.signin.perIp.limit",
    );
  });

  it("refuses a secret under 32 bytes, naming the field and the rule", () => {
    const e = configError({ secret: "s".repeat(31), storage });
    expect(e.issues).toEqual([{ path: "secret", message: "must be at least 32 bytes (256 bits) long" }]);
    expect(e.message).toContain("secret: must be at least 32 bytes");
  });

  it("counts the secret in bytes, not characters", () => {
    expect(() => resolveOptions({ secret: "é".repeat(16), storage })).not.toThrow();
    expect(configError({ secret: "é".repeat(15), storage }).issues[0]?.path).toBe("secret");
  });

  it("refuses a missing secret and a missing storage", () => {
    const e = configError({});
    expect(e.issues.map((i) => i.path).sort()).toEqual(["secret", "storage"]);
    expect(e.message).toMatch(/storage: is required: a StorageAdapter/);
  });

  it("refuses an unknown option, naming it", () => {
    const e = configError({ secret, storage, acessToken: { ttlSeconds: 60 } });
    expect(e.message).toContain("unknown field(s): acessToken");
  });

  it("refuses an unknown nested option and bad numbers", () => {
    expect(configError({ secret, storage, session: { idle: 5 } }).issues[0]?.path).toBe("session");
    expect(configError({ secret, storage, accessToken: { ttlSeconds: -1 } }).issues[0]?.path).toBe(
      "accessToken.ttlSeconds",
    );
    expect(configError({ secret, storage, password: { minLength: 6 } }).issues[0]?.message).toMatch(/at least 8/);
    expect(configError({ secret, storage, password: { minLength: 20, maxLength: 10 } }).message).toMatch(
      /minLength must not exceed maxLength/,
    );
  });

  it("refuses a non-object configuration", () => {
    expect(configError(undefined)).toBeInstanceOf(ConfigError);
    expect(configError("secret")).toBeInstanceOf(ConfigError);
  });
});
