import { createAuth } from "@tenantauth/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "./support/backends.js";
import { expressServer, type RunningServer } from "./support/http-servers.js";
import { PASSWORD, SECRET } from "./support/world.js";

interface Answer {
  status: number;
  code: string | undefined;
  body: Record<string, unknown>;
}

/**
 * Organization and role names that only look different (case, NFKC form, invisible characters) are one name:
 * refused as taken (409) or, when they carry control or invisible characters, as invalid (400). Over HTTP, on
 * every backend; the database enforces it, so a race of look-alikes has one winner.
 */
describe.each(backends)("look-alike names on $name", (backend) => {
  let server: RunningServer;
  let cleanup: () => Promise<void>;
  let token: string;
  let orgId: number;
  let seq = 0;

  const call = async (method: string, path: string, body: unknown, bearer?: string): Promise<Answer> => {
    const response = await fetch(`${server.baseUrl}/auth${path}`, {
      method,
      headers: { "content-type": "application/json", ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
      body: JSON.stringify(body),
    });
    const parsed = (await response.json()) as Record<string, unknown>;
    return { status: response.status, code: (parsed.error as { code?: string } | undefined)?.code, body: parsed };
  };
  const signup = (organizationName: string, email = `user${++seq}@example.com`): Promise<Answer> =>
    call("POST", "/signup", { email, password: PASSWORD, organization_name: organizationName });
  const createOrg = (name: string): Promise<Answer> => call("POST", "/organizations", { name }, token);
  const renameOrg = (id: number, name: string): Promise<Answer> =>
    call("PATCH", `/organizations/${id}`, { name }, token);
  const createRole = (name: string): Promise<Answer> =>
    call("POST", `/organizations/${orgId}/roles`, { name, permissions: [] }, token);

  beforeAll(async () => {
    const created = await backend.create();
    cleanup = created.cleanup;
    server = await expressServer(
      createAuth({
        secret: SECRET,
        storage: created.storage,
        emailVerification: { required: false },
        // Many signups from one address in this file.
        rateLimit: { enabled: false },
      }),
    );
    const owner = await signup("Acme Corp", "owner@example.com");
    expect(owner.status).toBe(200);
    orgId = owner.body.org_id as number;
    const signin = await call("POST", "/signin", { email: "owner@example.com", password: PASSWORD });
    token = signin.body.access_token as string;
    expect((await createOrg("Café Zoë")).status).toBe(200);
    expect((await createRole("Billing Manager")).status).toBe(201);
  });
  afterAll(async () => {
    await server?.close();
    await cleanup?.();
  });

  const takenOrgNames = [
    ["in other case", "ACME CORP"],
    ["in full-width letters (NFKC)", "Ａｃｍｅ Ｃｏｒｐ"],
    ["with a no-break space (NFKC)", "Acme\u00a0Corp"],
    ["with two spaces", "Acme  Corp"],
    ["decomposed (NFD) and in other case", "CAFE\u0301 ZOE\u0308"],
    ["with a sharp s folded", "café zoë".toUpperCase()],
  ];
  it.each(takenOrgNames)(
    "an organization name %s is taken: ORG_NAME_TAKEN on signup, create and rename",
    async (_, name) => {
      const a = await signup(name);
      expect([a.status, a.code]).toEqual([409, "ORG_NAME_TAKEN"]);
      const b = await createOrg(name);
      expect([b.status, b.code]).toEqual([409, "ORG_NAME_TAKEN"]);
      const other = await createOrg(`Other ${++seq}`);
      const c = await renameOrg(other.body.org_id as number, name);
      expect([c.status, c.code]).toEqual([409, "ORG_NAME_TAKEN"]);
    },
  );

  const invisible = [
    ["a zero-width space", "Acme\u200bCorp"],
    ["a trailing zero-width space", "Acme Corp\u200b"],
    ["a zero-width joiner", "Acme\u200dCorp"],
    ["a byte-order mark inside", "Acme\ufeffCorp"],
    ["a right-to-left override", "Acme \u202eproC"],
    ["a control character", "Acme\u0007 Corp"],
    ["a line separator", "Acme\u2028Corp"],
    ["a Hangul filler", "Acme\u3164Corp"],
  ];
  it.each(invisible)("an organization or role name with %s is INVALID_INPUT", async (_, name) => {
    for (const answer of [await signup(name), await createOrg(name), await createRole(name)]) {
      expect([answer.status, answer.code]).toEqual([400, "INVALID_INPUT"]);
    }
  });

  it("leading and trailing white space (a tab, a byte-order mark) is trimmed, as before: the trimmed name is taken", async () => {
    const answer = await createOrg("\ufeff  Acme Corp \t");
    expect([answer.status, answer.code]).toEqual([409, "ORG_NAME_TAKEN"]);
  });

  it("role names that differ only by case, NFKC form or spacing are ROLE_NAME_TAKEN; built-in names stay refused", async () => {
    for (const name of [
      "billing manager",
      "ＢＩＬＬＩＮＧ ＭＡＮＡＧＥＲ",
      "Billing\u00a0Manager",
      "Billing   Manager",
    ]) {
      const answer = await createRole(name);
      expect([name, answer.status, answer.code]).toEqual([name, 409, "ROLE_NAME_TAKEN"]);
    }
    const mine = await createRole(`Auditor ${++seq}`);
    const rename = await call(
      "PATCH",
      `/organizations/${orgId}/roles/${mine.body.id as number}`,
      { name: "BILLING MANAGER" },
      token,
    );
    expect([rename.status, rename.code]).toEqual([409, "ROLE_NAME_TAKEN"]);
    for (const name of ["owner", "ＯＷＮＥＲ", "Ad\u00admin", "member\u200b"]) {
      const answer = await createRole(name);
      expect([name, answer.status, answer.code]).toEqual([name, 400, "INVALID_INPUT"]);
    }
    // Another organization may have its own "billing manager".
    const other = await createOrg(`Elsewhere ${++seq}`);
    const there = await call(
      "POST",
      `/organizations/${other.body.org_id as number}/roles`,
      { name: "billing manager", permissions: [] },
      token,
    );
    expect(there.status).toBe(201);
  });

  it("a race of look-alike organization names has exactly one winner", async () => {
    const variants = ["Zeta Labs", "zeta labs", "ZETA LABS", "Ｚｅｔａ Ｌａｂｓ", "Zeta\u00a0Labs", "zeta  labs"];
    const answers = await Promise.all(variants.map((name) => createOrg(name)));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    expect(answers.filter((a) => a.status !== 200).map((a) => a.code)).toEqual(
      Array(variants.length - 1).fill("ORG_NAME_TAKEN"),
    );
  });

  it("a race of look-alike role names has exactly one winner", async () => {
    const variants = ["Support Lead", "support lead", "SUPPORT LEAD", "Ｓｕｐｐｏｒｔ Ｌｅａｄ", "Support\u00a0Lead"];
    const answers = await Promise.all(variants.map((name) => createRole(name)));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.status !== 201).map((a) => a.code)).toEqual(
      Array(variants.length - 1).fill("ROLE_NAME_TAKEN"),
    );
  });

  it("an email's local part is at most 64 characters and the address at most 254", async () => {
    const domainOf = (length: number): string => {
      // Labels of at most 63 characters, ending in ".com".
      const labels: string[] = [];
      let left = length - 4;
      while (left > 0) {
        const size = Math.min(63, left === 64 ? 62 : left);
        labels.push("d".repeat(size));
        left -= size + 1;
      }
      const domain = `${labels.join(".")}.com`;
      expect(domain.length).toBe(length);
      return domain;
    };
    const signupAs = (email: string): Promise<Answer> =>
      call("POST", "/signup", { email, password: PASSWORD, organization_name: `Mail ${++seq}` });
    const local64 = `${"l".repeat(64)}@example.com`;
    expect((await signupAs(local64)).status).toBe(200);
    const local65 = await signupAs(`${"l".repeat(65)}@example.com`);
    expect([local65.status, local65.code]).toEqual([400, "INVALID_INPUT"]);
    const longest = `${"x".repeat(64)}@${domainOf(254 - 65)}`;
    expect(longest).toHaveLength(254);
    expect((await signupAs(longest)).status).toBe(200);
    const tooLong = `${"y".repeat(64)}@${domainOf(255 - 65)}`;
    expect(tooLong).toHaveLength(255);
    const refused = await signupAs(tooLong);
    expect([refused.status, refused.code]).toEqual([400, "INVALID_INPUT"]);
  });
});
