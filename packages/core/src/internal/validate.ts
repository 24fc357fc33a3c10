import type * as z from "zod";
import { AuthError } from "../errors.js";

/** One failed rule of an input, as sent to clients in `error.details.issues`. */
export interface InputIssue {
  /** Dotted path of the field (`""` for the input itself). */
  path: string;
  message: string;
}

/** Turns zod issues into client-safe `{ path, message }` pairs. */
export function toIssues(error: z.ZodError): InputIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join("."),
    message:
      issue.code === "unrecognized_keys"
        ? `unknown field(s): ${issue.keys.join(", ")}`
        : issue.code === "invalid_type" && issue.message.startsWith("Invalid input")
          ? `must be of type ${issue.expected}`
          : issue.message,
  }));
}

/**
 * Validates `input` with `schema` before any I/O. Bad input throws `AuthError("INVALID_INPUT")` whose
 * `details.issues` names each field and rule; it never throws a TypeError or a zod error.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = toIssues(result.error);
  const summary = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; ");
  throw new AuthError("INVALID_INPUT", `Invalid input: ${summary}`, { details: { issues } });
}
