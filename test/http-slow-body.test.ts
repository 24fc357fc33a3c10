import { connect } from "node:net";
import { createAuth } from "@tenantauth/core";
import { memoryStorage } from "@tenantauth/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, servers } from "./support/http-servers.js";

/**
 * Sends `head`, then `body` in two halves `pauseMs` apart, then a second request on the same connection; resolves
 * with everything the server sent and how the connection ended.
 */
function slowExchange(baseUrl: string, head: string, body: string, pauseMs: number, next: string) {
  const { hostname, port } = new URL(baseUrl);
  return new Promise<{ received: string; error: string | null }>((resolve) => {
    const socket = connect(Number(port), hostname);
    let received = "";
    let error: string | null = null;
    const done = () => resolve({ received, error });
    socket.on("data", (chunk) => {
      received += chunk.toString("latin1");
      if ((received.match(/HTTP\/1\.1 \d{3}/g) ?? []).length >= 2) socket.end();
    });
    socket.on("error", (e: NodeJS.ErrnoException) => {
      error = e.code ?? e.message;
    });
    socket.on("close", done);
    socket.setTimeout(10_000, () => socket.destroy());
    socket.on("connect", () => {
      const half = Math.floor(body.length / 2);
      socket.write(`${head}${body.slice(0, half)}`);
      setTimeout(() => {
        if (socket.destroyed) return;
        socket.write(body.slice(half), () => {
          if (!socket.destroyed) socket.write(next);
        });
      }, pauseMs);
    });
  });
}

describe.each(servers)("a request body that arrives slowly on $name", ({ start }) => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await start(
      createAuth({ secret: "slow-body-test-secret-of-at-least-32-bytes", storage: memoryStorage() }),
    );
  });
  afterAll(async () => {
    await server.close();
  });

  it.each([
    ["a wrong method (405)", "DELETE", "/auth/signin", ""],
    ["a missing token (401)", "POST", "/auth/organizations", ""],
    ["a declared size over the limit (413)", "POST", "/auth/signin", "big"],
  ])(
    "answering %s before the body has arrived neither resets nor closes the connection",
    async (_what, method, path, size) => {
      const body = size === "big" ? "x".repeat(70_000) : JSON.stringify({ name: "x".repeat(2_000) });
      const head = `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
      const next = "GET /auth/me HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
      const { received, error } = await slowExchange(server.baseUrl, head, body, 800, next);
      expect(error, received.slice(0, 300)).toBeNull();
      const statuses = [...received.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => Number(m[1]));
      expect(statuses).toHaveLength(2);
      expect(statuses[1]).toBe(401); // the second request on the same connection got its answer
    },
  );
});
