import { type AgentOptions, agentOn, type TestAgent } from "./test-request.js";

export type { AgentOptions, AuthAs, TestAgent, TestRequest, TestResponse } from "./test-request.js";

/** A Hono app, or anything with Hono's `app.request(request)`. */
export interface RequestableApp {
  request(request: Request): Response | Promise<Response>;
}

/**
 * An agent for a Hono app: each request goes through `app.request()`, in process, with no server.
 *
 * @example
 * import { agent } from "@tenantauth/testing/hono";
 *
 * const res = await agent(app).post("/api/orgs/1/projects", { name: "Apollo" }).auth(session);
 * expect(res.status).toBe(201);
 */
export function agent(app: RequestableApp, options?: AgentOptions): TestAgent {
  return agentOn(async (request) => app.request(request), options);
}
