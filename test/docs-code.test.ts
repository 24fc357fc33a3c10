import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { documentationBlocks, extractBlocks, typeCheckBlocks, writeRunnableBlocks } from "./docs/code-blocks.js";

describe("code blocks marked ```ts run", () => {
  const runnable = writeRunnableBlocks(documentationBlocks().filter((b) => b.run && !b.fragment));
  afterAll(() => runnable.remove());

  it("exist", () => {
    expect(runnable.files.length).toBeGreaterThanOrEqual(3);
  });

  it.each(runnable.files.map((f) => [`${f.block.file}:${f.block.line}`, f.path] as const))(
    "%s runs",
    async (_, path) => {
      await import(pathToFileURL(path).href);
    },
  );
});

describe("code blocks in README.md and docs/*.md", () => {
  it("type-check against the workspace packages (blocks marked ```ts fragment excepted)", () => {
    const blocks = documentationBlocks();
    expect(blocks.length).toBeGreaterThan(10);
    expect(typeCheckBlocks(blocks)).toEqual([]);
  });

  it("few blocks are marked as fragments", () => {
    const fragments = documentationBlocks().filter((b) => b.fragment);
    expect(fragments.map((b) => `${b.file}:${b.line}`).length).toBeLessThanOrEqual(3);
  });

  it("fail, pointing at the Markdown line, when a block uses an option or function that does not exist", () => {
    const markdown = [
      "# Example",
      "",
      "<!-- prelude",
      "declare const secret: string;",
      "-->",
      "```ts",
      'import { createAuth, createTestAuth } from "@tenantauth/core";',
      'import { memoryStorage } from "@tenantauth/testing";',
      "",
      "createAuth({ secret, storage: memoryStorage(), accessToken: { lifetime: 60 } });",
      "```",
      "",
      "```ts fragment",
      "this is not TypeScript at all",
      "```",
    ].join("\n");
    const blocks = extractBlocks(markdown, "docs/example.md");
    expect(blocks.map((b) => [b.line, b.fragment])).toEqual([
      [7, false],
      [14, true],
    ]);
    const compiles = extractBlocks(
      ["```ts", 'import { createTestAuth } from "@tenantauth/testing";', "createTestAuth().auth.signup;", "```"].join(
        "\n",
      ),
      "docs/fine.md",
    );
    // One program for both, as for the real docs: only the broken block is reported.
    const errors = typeCheckBlocks([...blocks, ...compiles]);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/^docs\/example\.md:7:\d+ .*'createTestAuth'/);
    expect(errors[1]).toMatch(/^docs\/example\.md:10:\d+ .*'lifetime'/);
  });
});
