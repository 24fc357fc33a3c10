import { createAuth } from "@tenantauth/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "./support/backends.js";
import { type RunningServer, servers } from "./support/http-servers.js";
import { PASSWORD, SECRET } from "./support/world.js";

/** `{"a":{"a":…{"a":1}}}` with `depth` objects. */
const nested = (depth: number): Record<string, unknown> => {
  let value: Record<string, unknown> = { a: 1 };
  for (let i = 1; i < depth; i++) value = { a: value };
  return value;
};

/** The raw JSON text of `[[[…]]]` nested `depth` times (JSON.stringify itself cannot build it at 5,000 levels). */
const deepArrayText = (depth: number): string => `${"[".repeat(depth)}1${"]".repeat(depth)}`;

interface Answer {
  status: number;
  body: { error?: { code: string; details?: { issues?: Array<{ path: string }> } } } & Record<string, unknown>;
}

const adapters = servers.filter((s) => s.name !== "express4");

describe.each(backends)("free-form JSON bounds on $name", (backend) => {
  describe.each(adapters)("over $name", ({ start }) => {
    let server: RunningServer;
    let cleanup: () => Promise<void>;
    let token: string;
    let orgId: number;
    let seq = 0;

    const post = async (path: string, body: string, bearer?: string, method = "POST"): Promise<Answer> => {
      const response = await fetch(`${server.baseUrl}/auth${path}`, {
        method,
        headers: {
          "content-type": "application/json",
          ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
        },
        body,
      });
      return { status: response.status, body: (await response.json()) as Answer["body"] };
    };
    const signupWith = (profile: string): Promise<Answer> =>
      post("/signup", `{"email":"deep${++seq}@example.com","password":"${PASSWORD}","profile":${profile}}`);
    const expectRefused = (answer: Answer, path: string): void => {
      expect(answer.status).toBe(400);
      expect(answer.body.error?.code).toBe("INVALID_INPUT");
      expect(answer.body.error?.details?.issues?.map((i) => i.path)).toContain(path);
    };

    beforeAll(async () => {
      const created = await backend.create();
      cleanup = created.cleanup;
      const auth = createAuth({
        secret: SECRET,
        storage: created.storage,
        emailVerification: { required: false },
      });
      server = await start(auth);
      const signup = await post(
        "/signup",
        JSON.stringify({ email: "owner@example.com", password: PASSWORD, organization_name: "Deep Co" }),
      );
      expect(signup.status).toBe(200);
      orgId = signup.body.org_id as number;
      const signin = await post("/signin", JSON.stringify({ email: "owner@example.com", password: PASSWORD }));
      token = signin.body.access_token as string;
    });
    afterAll(async () => {
      await server?.close();
      await cleanup?.();
    });

    it("refuses a signup profile nested 33 levels (298 bytes) with INVALID_INPUT, and creates no account", async () => {
      const answer = await post(
        "/signup",
        JSON.stringify({ email: "deep33@example.com", password: PASSWORD, profile: nested(33) }),
      );
      expectRefused(answer, "body.profile");
      const signin = await post("/signin", JSON.stringify({ email: "deep33@example.com", password: PASSWORD }));
      expect(signin.status).toBe(401);
    });

    it("refuses a body nested 5,000 levels with INVALID_INPUT, never a 500", async () => {
      const answer = await signupWith(deepArrayText(5000));
      expect(answer.status).toBe(400);
      expect(answer.body.error?.code).toBe("INVALID_INPUT");
      const inObject = await signupWith(`{"a":${deepArrayText(5000)}}`);
      expect(inObject.status).toBe(400);
      expect(inObject.body.error?.code).toBe("INVALID_INPUT");
    });

    it("refuses a profile over 16 KiB, and accepts depth 8 and a profile of 16 KiB", async () => {
      expectRefused(await signupWith(JSON.stringify({ bio: "x".repeat(16 * 1024) })), "body.profile");
      const fits = JSON.stringify({ bio: "x".repeat(16 * 1024 - 10) });
      expect(Buffer.byteLength(fits)).toBe(16 * 1024);
      expect((await signupWith(fits)).status).toBe(200);
      expect((await signupWith(JSON.stringify(nested(8)))).status).toBe(200);
      expectRefused(await signupWith(JSON.stringify(nested(9))), "body.profile");
    });

    it("refuses organization settings nested too deep or too large, on create and update", async () => {
      const create = (settings: unknown): Promise<Answer> =>
        post("/organizations", JSON.stringify({ name: `Org ${++seq}`, settings }), token);
      expectRefused(await create(nested(33)), "body.settings");
      expectRefused(await create({ blob: "y".repeat(20_000) }), "body.settings");
      const update = (settings: unknown): Promise<Answer> =>
        post(`/organizations/${orgId}`, JSON.stringify({ settings }), token, "PATCH");
      expectRefused(await update(nested(33)), "body.settings");
      expectRefused(await update({ blob: "y".repeat(20_000) }), "body.settings");
      expect((await update(nested(8))).status).toBe(200);
    });
  });
});
