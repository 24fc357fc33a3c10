import { AuthError } from "@tenantauth/core";
import { expect } from "vitest";

/** Awaits `promise`, expects it to reject with an AuthError, and returns that error. */
export async function authErrorOf(promise: Promise<unknown>): Promise<AuthError> {
  const outcome = await promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  if (outcome.ok) throw new Error(`expected an AuthError, got a result: ${JSON.stringify(outcome.value)}`);
  expect(outcome.error).toBeInstanceOf(AuthError);
  return outcome.error as AuthError;
}

/** Expects `promise` to reject with an AuthError of `code`. */
export async function expectAuthError(promise: Promise<unknown>, code: string): Promise<AuthError> {
  const error = await authErrorOf(promise);
  expect(error.code, error.message).toBe(code);
  return error;
}
