import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type AgentOptions, agentOn, type TestAgent, type Transport } from "./test-request.js";

export type { AgentOptions, AuthAs, TestAgent, TestRequest, TestResponse } from "./test-request.js";

/** An Express app, or any Node request listener. */
export type NodeApp = (req: IncomingMessage, res: ServerResponse) => void;

/** Serves `app` on an ephemeral port of 127.0.0.1 for one request, sends it with `fetch` and closes again. */
const nodeTransport =
  (app: NodeApp): Transport =>
  async (request) => {
    const server = createServer(app);
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", resolve);
    });
    try {
      const { port } = server.address() as AddressInfo;
      const url = new URL(request.url);
      const response = await fetch(`http://127.0.0.1:${port}${url.pathname}${url.search}`, {
        method: request.method,
        headers: request.headers,
        body: request.body === null ? undefined : await request.text(),
        redirect: "manual",
      });
      // Read the body before the server goes away.
      const body = await response.arrayBuffer();
      return new Response(request.method === "HEAD" || body.byteLength === 0 ? null : body, {
        status: response.status,
        headers: response.headers,
      });
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  };

/**
 * A supertest-style agent for an Express app (or any Node request listener), with no dependency: each request
 * starts the app on an ephemeral port with `node:http` and sends it with `fetch`.
 *
 * @example
 * import { agent } from "@tenantauth/testing/express";
 *
 * const res = await agent(app).get("/api/orgs/1/projects").auth(session);
 * expect(res.status).toBe(200);
 */
export function agent(app: NodeApp, options?: AgentOptions): TestAgent {
  return agentOn(nodeTransport(app), options);
}
