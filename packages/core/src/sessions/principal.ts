import * as z from "zod";
import { AuthError } from "../errors.js";
import type { Principal } from "./access-token.js";

const principalSchema = z.object({
  kind: z.literal("user"),
  userId: z.number().int().positive(),
  email: z.string(),
  sessionId: z.string().min(1),
  impersonatorId: z.number().int().positive().optional(),
  activeOrganization: z
    .object({
      id: z.number().int().positive(),
      role: z.object({ id: z.number().int().positive(), name: z.string(), permissions: z.array(z.string()) }),
    })
    .optional(),
});

/**
 * Checks that a value passed as a principal has the shape `authenticate()` returns; anything else is
 * `UNAUTHENTICATED` (never a TypeError deeper down).
 */
export function assertPrincipal(value: unknown): asserts value is Principal {
  if (!principalSchema.safeParse(value).success) {
    throw new AuthError("UNAUTHENTICATED", "Authentication required: pass the principal that authenticate() returned");
  }
}
