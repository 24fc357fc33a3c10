import { createServer, type Server, type Socket, connect as tcpConnect } from "node:net";

/**
 * How a {@link TcpProxy} cuts its target off:
 * - `refuse`: open connections are reset and new ones are closed at once (a server that went down);
 * - `blackhole`: connections stay open but nothing passes either way, and new ones are accepted and left hanging
 *   (a network partition: the client learns nothing until its own timeout).
 */
export type CutMode = "refuse" | "blackhole";

/** A TCP proxy in front of one of the shared services, which a test cuts and restores without touching it. */
export interface TcpProxy {
  /** The port to connect to instead of the service's. */
  readonly port: number;
  /** Cuts the target off (see {@link CutMode}). */
  cut(mode: CutMode): void;
  /** Lets traffic through again (connections cut while blackholed stay dead: clients must reconnect). */
  restore(): void;
  /** Connections accepted so far. */
  readonly accepted: number;
  close(): Promise<void>;
}

/**
 * Starts a proxy on a free loopback port that forwards to `target`. Tests put it between tenantauth and MariaDB,
 * PostgreSQL, Redis or an SMTP server to cut the dependency mid-test; the shared service itself is never stopped.
 */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let mode: CutMode | null = null;
  let accepted = 0;
  const pairs = new Set<{ client: Socket; upstream: Socket }>();
  const hanging = new Set<Socket>();

  const server: Server = createServer((client) => {
    accepted += 1;
    client.on("error", () => undefined);
    if (mode === "refuse") {
      client.resetAndDestroy();
      return;
    }
    if (mode === "blackhole") {
      hanging.add(client);
      client.on("close", () => hanging.delete(client));
      return;
    }
    const upstream = tcpConnect(target.port, target.host);
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
    const pair = { client, upstream };
    pairs.add(pair);
    const drop = (): void => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on("close", drop);
    upstream.on("close", drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("the proxy has no TCP port");

  return {
    port: address.port,
    get accepted() {
      return accepted;
    },
    cut(next) {
      mode = next;
      for (const pair of pairs) {
        if (next === "refuse") {
          pair.client.resetAndDestroy();
          pair.upstream.destroy();
        } else {
          // Nothing more passes either way; the sockets stay open, as across a partition.
          pair.client.unpipe(pair.upstream);
          pair.upstream.unpipe(pair.client);
          pair.client.pause();
          pair.upstream.pause();
          hanging.add(pair.client);
          hanging.add(pair.upstream);
        }
      }
      if (next === "blackhole") pairs.clear();
    },
    restore() {
      mode = null;
      // A partition that heals does not revive what timed out on the client side: drop the frozen sockets.
      for (const socket of hanging) socket.destroy();
      hanging.clear();
    },
    async close() {
      for (const pair of pairs) {
        pair.client.destroy();
        pair.upstream.destroy();
      }
      for (const socket of hanging) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
