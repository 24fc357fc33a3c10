import { AuthError } from "../errors.js";

/**
 * How deep a request body may nest. Fields have their own, tighter bounds (free-form JSON: 8 levels); this one
 * keeps a body of thousands of levels from reaching any recursive code at all.
 */
export const MAX_BODY_DEPTH = 64;

/**
 * Reads a JSON body of at most `limit` bytes. Wrong content type, oversize and bad JSON are 4xx AuthErrors, and so
 * is a body nested deeper than {@link MAX_BODY_DEPTH} (`INVALID_INPUT`).
 */
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
  if (nestingDepth(bytes, MAX_BODY_DEPTH) > MAX_BODY_DEPTH) {
    throw new AuthError("INVALID_INPUT", `The request body is nested more than ${MAX_BODY_DEPTH} levels deep`, {
      details: { issues: [{ path: "body", message: `must be nested at most ${MAX_BODY_DEPTH} levels deep` }] },
    });
  }
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

/**
 * The deepest nesting of arrays and objects in JSON text (UTF-8 bytes; brackets inside strings do not count),
 * scanning only until it passes `stop`. Malformed text is JSON.parse's to refuse.
 */
export function nestingDepth(bytes: Uint8Array, stop: number): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (inString) {
      if (byte === 0x5c /* \\ */) i++;
      else if (byte === 0x22 /* " */) inString = false;
    } else if (byte === 0x22) {
      inString = true;
    } else if (byte === 0x5b /* [ */ || byte === 0x7b /* { */) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > stop) return deepest;
      }
    } else if (byte === 0x5d /* ] */ || byte === 0x7d /* } */) {
      depth--;
    }
  }
  return deepest;
}
