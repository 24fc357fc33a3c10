import { createAuth } from "@tenantauth/core";
import { memoryStorage } from "@tenantauth/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, servers } from "./support/http-servers.js";

const PW = "correct horse battery staple";

describe.each(servers)("response headers on $name", ({ start }) => {
  let server: RunningServer;
  let token = "";
  beforeAll(async () => {
    const auth = createAuth({
      secret: "headers-test-secret-of-at-least-32-bytes",
      storage: memoryStorage(),
      emailVerification: { required: false },
    });
    await auth.signup({ email: "ada@example.com", password: PW, organizationName: "Acme" });
    token = (await auth.signin({ email: "ada@example.com", password: PW })).accessToken;
    server = await start(auth);
  });
  afterAll(async () => {
    await server.close();
  });

  it("every tenantauth answer carries X-Content-Type-Options: nosniff (successes, errors, HEAD, OpenAPI, docs, middleware)", async () => {
    const requests: Array<[string, string, RequestInit?]> = [
      ["GET", "/auth/me", { headers: { authorization: `Bearer ${token}` } }],
      ["HEAD", "/auth/me", { headers: { authorization: `Bearer ${token}` } }],
      ["GET", "/auth/me"], // 401
      ["DELETE", "/auth/signin"], // 405
      ["GET", "/auth/no-such-route/1/2/3/4/5"], // core 404 or host 404: checked below only when tenantauth's
      ["POST", "/auth/signin", { headers: { "content-type": "text/plain" }, body: "x" }], // 415
      ["POST", "/auth/signin", { headers: { "content-type": "application/json" }, body: "{" }], // 400
      [
        "POST",
        "/auth/signin",
        { headers: { "content-type": "application/json" }, body: JSON.stringify({ email: "x", password: "y" }) },
      ],
      ["GET", "/auth/openapi.json"],
      ["GET", "/auth/docs"],
      ["GET", "/auth/docs/init.js"],
      ["GET", "/api/me"], // requireAuth's 401
      ["GET", "/api/orgs/1/report"], // requirePermission's 401
    ];
    for (const [method, path, init] of requests) {
      const response = await fetch(`${server.baseUrl}${path}`, { ...init, method });
      const text = await response.text();
      if (text.includes('"host"')) continue; // the host app's own 404
      expect(response.headers.get("x-content-type-options"), `${method} ${path} → ${response.status}`).toBe("nosniff");
    }
  });
});
