import { decodeBase64urlIgnorePadding, encodeBase64urlNoPadding } from "@oslojs/encoding";
import * as z from "zod";
import { bytesOf } from "./crypto.js";

/** An opaque page cursor of a keyset by id: the base64url of the last id of the page. */
export const idCursor = (id: number): string => encodeBase64urlNoPadding(bytesOf(String(id)));

/** A cursor {@link idCursor} made, read back to its id; anything else is an issue of the input. */
export const idCursorSchema = z
  .string({ error: "must be a string" })
  .max(64)
  .transform((value, ctx) => {
    try {
      const id = Number(new TextDecoder().decode(decodeBase64urlIgnorePadding(value)));
      if (Number.isSafeInteger(id) && id > 0) return id;
    } catch {
      // fall through
    }
    ctx.addIssue({ code: "custom", message: "is not a cursor this API returned" });
    return z.NEVER;
  });
