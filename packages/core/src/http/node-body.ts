/**
 * Node's request body (`http.IncomingMessage`), as far as the adapters on Node read it. Structural, so core needs
 * no Node types; Express's request and @hono/node-server's `c.env.incoming` both fit.
 */
export interface NodeRequestBody {
  /** True once the body has been read to its end. */
  readonly readableEnded: boolean;
  /** True once every byte of the request has arrived. */
  readonly complete: boolean;
  /** Null until someone reads the body (`on("data")`, `pipe`, `resume`). */
  readonly readableFlowing: boolean | null;
  on(event: "data", listener: (chunk: Uint8Array) => void): unknown;
  once(event: "end" | "close", listener: () => void): unknown;
  once(event: "error", listener: (error: unknown) => void): unknown;
  pause(): unknown;
  resume(): unknown;
}

const abandonments = new WeakMap<NodeRequestBody, () => void>();

/**
 * The request body as a Web stream that reads only when pulled. Cancelling it (a body over the size limit)
 * discards the rest instead of destroying the socket, so the client's connection stays usable.
 */
export function nodeBodyStream(req: NodeRequestBody): ReadableStream<Uint8Array> {
  let abandoned = false;
  abandonments.set(req, () => {
    abandoned = true;
  });
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        req.on("data", (chunk) => {
          if (abandoned) return;
          controller.enqueue(new Uint8Array(chunk));
          if ((controller.desiredSize ?? 0) <= 0) req.pause();
        });
        req.once("end", () => {
          if (!abandoned) controller.close();
        });
        req.once("error", (error) => {
          if (!abandoned) controller.error(error);
        });
        req.pause();
      },
      pull() {
        req.resume();
      },
      cancel() {
        abandoned = true;
        req.resume();
      },
    },
    { highWaterMark: 1 },
  );
}

/**
 * Reads and discards what is left of a request body the handler did not read, and resolves when all of it has
 * arrived (or the connection is gone). Both adapters call it before they answer: an answer sent while the client
 * still sends makes the server close the connection with unread bytes (@hono/node-server gives a body 500 ms after
 * the answer, then closes), which the client sees as a reset instead of the answer.
 */
export async function drainNodeBody(req: NodeRequestBody): Promise<void> {
  if (req.readableEnded) return;
  abandonments.get(req)?.();
  // Every byte has arrived (always so for a request without a body): Node discards what is left unread.
  if (req.complete) return;
  await new Promise<void>((resolve) => {
    req.once("end", resolve);
    req.once("close", resolve);
    req.once("error", () => resolve());
    req.resume();
  });
}
