import * as z from "zod";

/** How deep a free-form JSON field may nest: the field's own object is level 1. */
export const MAX_JSON_DEPTH = 8;
/** How large a free-form JSON field may be, serialized as UTF-8 JSON, in bytes (16 KiB). */
export const MAX_JSON_BYTES = 16 * 1024;

const isPlainObject = (value: object): boolean => {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
};

/**
 * Why `value` is not a bounded JSON value, or null when it is one. Walks at most `maxDepth` levels, so a value
 * nested thousands of levels (or a cycle) is refused without deep recursion.
 */
function jsonProblem(value: unknown, depth: number, maxDepth: number): "depth" | "type" | null {
  switch (typeof value) {
    case "string":
    case "boolean":
      return null;
    case "number":
      return Number.isFinite(value) ? null : "type";
    case "object": {
      if (value === null) return null;
      if (!Array.isArray(value) && !isPlainObject(value)) return "type";
      if (depth > maxDepth) return "depth";
      const items = Array.isArray(value) ? value : Object.values(value);
      for (const item of items) {
        // An undefined property is dropped by JSON, as JSON.stringify drops it; in an array it is not JSON.
        if (item === undefined && !Array.isArray(value)) continue;
        const problem = jsonProblem(item, depth + 1, maxDepth);
        if (problem) return problem;
      }
      return null;
    }
    default:
      return "type";
  }
}

const encoder = new TextEncoder();

/**
 * The one schema of every free-form JSON object a client may send (a user's `profile`, an organization's
 * `settings` …): a plain object of JSON values, nested at most {@link MAX_JSON_DEPTH} levels and at most
 * {@link MAX_JSON_BYTES} bytes as JSON. Anything else fails with an issue on the field, so it is refused with
 * `INVALID_INPUT` before any I/O, and no database ever sees a value it cannot store (MySQL's JSON depth limit).
 * The output is the value as the database will hold it (undefined properties dropped).
 *
 * @example
 * const input = z.strictObject({ profile: freeFormJsonObject().optional() });
 */
export function freeFormJsonObject(
  limits: { maxDepth?: number; maxBytes?: number } = {},
): z.ZodType<Record<string, unknown>> {
  const maxDepth = limits.maxDepth ?? MAX_JSON_DEPTH;
  const maxBytes = limits.maxBytes ?? MAX_JSON_BYTES;
  return z
    .record(z.string(), z.unknown(), { error: "must be an object" })
    .transform((value, ctx) => {
      const problem = jsonProblem(value, 1, maxDepth);
      if (problem === "depth") {
        ctx.addIssue({ code: "custom", message: `must be nested at most ${maxDepth} levels deep` });
        return z.NEVER;
      }
      if (problem === "type") {
        ctx.addIssue({
          code: "custom",
          message: "must hold only JSON values (strings, finite numbers, booleans, null)",
        });
        return z.NEVER;
      }
      const text = JSON.stringify(value);
      if (encoder.encode(text).byteLength > maxBytes) {
        ctx.addIssue({ code: "custom", message: `must be at most ${maxBytes} bytes as JSON` });
        return z.NEVER;
      }
      return JSON.parse(text) as Record<string, unknown>;
    })
    .describe(`a JSON object, nested at most ${maxDepth} levels deep and at most ${maxBytes} bytes as JSON`);
}
