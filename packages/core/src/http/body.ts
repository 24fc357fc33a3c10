import { AuthError } from "../errors.js";

/** Reads a JSON body of at most `limit` bytes. Wrong content type, oversize and bad JSON are 4xx AuthErrors. */
export async function readJsonBody(request: Request, limit: number): Promise<unknown> {
  const type = request.headers.get("content-type") ?? "";
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (!request.body || (declared === 0 && !type)) {
    throw new AuthError("INVALID_INPUT", "A JSON body is required", {
      details: { issues: [{ path: "", message: "a JSON body is required" }] },
    });
  }
  if (!/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(type)) {
    throw new AuthError("UNSUPPORTED_MEDIA_TYPE", "Send the body as application/json");
  }
  if (declared > limit) throw tooLarge(limit);
  const bytes = await readLimited(request, limit);
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw new AuthError("MALFORMED_JSON", "The request body is not valid JSON");
  }
}

const tooLarge = (limit: number): AuthError =>
  new AuthError("PAYLOAD_TOO_LARGE", `The request body is larger than ${limit} bytes`, { details: { limit } });

async function readLimited(request: Request, limit: number): Promise<Uint8Array> {
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
