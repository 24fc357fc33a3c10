import { describe, expect, it } from "vitest";
import { nodeHeaderReader } from "./handler.js";

describe("nodeHeaderReader", () => {
  it("answers as Headers.get would: repeated values joined, a missing header null", () => {
    const read = nodeHeaderReader({ authorization: "Bearer x", "x-many": ["a", "b"], "x-none": undefined });
    const web = new Headers([
      ["authorization", "Bearer x"],
      ["x-many", "a"],
      ["x-many", "b"],
    ]);
    for (const name of ["authorization", "x-many", "x-none", "absent"]) expect(read(name)).toBe(web.get(name));
  });
});
