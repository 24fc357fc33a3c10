import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const root = fileURLToPath(new URL("../..", import.meta.url));

/** One ```ts block of a Markdown file. */
export interface CodeBlock {
  /** Path of the Markdown file, relative to the repository root. */
  file: string;
  /** 1-based line of the block's first code line in that file. */
  line: number;
  code: string;
  /**
   * Code put before the block and not shown: the body of an HTML comment `<!-- prelude … -->` right above the fence
   * (declarations such as `declare const app: Hono;`).
   */
  prelude: string;
  /** Marked ```ts fragment: deliberately incomplete, not checked. */
  fragment: boolean;
  /** Marked ```ts run: also executed by test/docs-code.test.ts (inside vitest, so it may use `expect`). */
  run: boolean;
}

const FENCE = /^```(ts|typescript)\b(.*)$/;

/** Every ```ts / ```typescript block of a Markdown text. */
export function extractBlocks(markdown: string, file: string): CodeBlock[] {
  const lines = markdown.split("\n");
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i] ?? "");
    if (!open) continue;
    const end = lines.findIndex((l, j) => j > i && l.startsWith("```"));
    if (end < 0) throw new Error(`${file}:${i + 1}: code block is not closed`);
    // A prelude is an HTML comment that starts with `<!-- prelude` and ends on the line right above the fence.
    let prelude = "";
    if ((lines[i - 1] ?? "").trim().endsWith("-->")) {
      let start = i - 1;
      while (start >= 0 && !(lines[start] ?? "").trimStart().startsWith("<!--")) start--;
      const comment = lines.slice(Math.max(start, 0), i).join("\n");
      const match = /^\s*<!--\s*prelude\b([\s\S]*)-->\s*$/.exec(comment);
      if (match) prelude = match[1]?.trim() ?? "";
    }
    blocks.push({
      file,
      line: i + 2,
      code: lines.slice(i + 1, end).join("\n"),
      prelude,
      fragment: /\bfragment\b/.test(open[2] ?? ""),
      run: /\brun\b/.test(open[2] ?? ""),
    });
    i = end;
  }
  return blocks;
}

/** README.md and every docs/*.md. */
export function documentationFiles(): string[] {
  const docs = readdirSync(join(root, "docs"))
    .filter((f) => f.endsWith(".md"))
    .sort()
    .map((f) => `docs/${f}`);
  return ["README.md", ...docs];
}

/** Every code block of the documentation. */
export function documentationBlocks(): CodeBlock[] {
  return documentationFiles().flatMap((file) => extractBlocks(readFileSync(join(root, file), "utf8"), file));
}

/** The workspace aliases of test/tsconfig.json, so a block imports `@tenantauth/*` as a reader would. */
function compilerOptions(): ts.CompilerOptions {
  const configFile = join(root, "test/tsconfig.json");
  const read = ts.readConfigFile(configFile, ts.sys.readFile);
  if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, "\n"));
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, join(root, "test"), undefined, configFile);
  return { ...parsed.options, noEmit: true, noUnusedLocals: false, noUnusedParameters: false, incremental: false };
}

/**
 * Type-checks blocks as modules, all in one program: each is written (after its prelude) to its own file in a
 * folder under node_modules/.cache, so imports of installed packages resolve as in the workspace. Returns one
 * message per error, `file:line:column message`, pointing into the Markdown file.
 */
export function typeCheckBlocks(blocks: CodeBlock[]): string[] {
  const dir = join(root, "node_modules/.cache/tenantauth-docs-code", String(process.pid));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const checked = blocks.filter((b) => !b.fragment);
  const files = checked.map((block, index) => {
    const path = join(dir, `block-${index}.ts`);
    const prelude = block.prelude === "" ? "" : `${block.prelude}\n`;
    writeFileSync(path, `${prelude}${block.code}\nexport {};\n`);
    return { path, block, preludeLines: prelude === "" ? 0 : prelude.split("\n").length - 1 };
  });
  try {
    const program = ts.createProgram(
      files.map((f) => f.path),
      compilerOptions(),
    );
    const messages: string[] = [];
    for (const { path, block, preludeLines } of files) {
      const source = program.getSourceFile(path);
      if (!source) throw new Error(`${block.file}:${block.line}: block not in the program`);
      const diagnostics = [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
      for (const d of diagnostics) {
        const at = d.start === undefined ? { line: 0, character: 0 } : source.getLineAndCharacterOfPosition(d.start);
        const where =
          at.line < preludeLines
            ? `${block.file}:${block.line - 1} (prelude line ${at.line + 1})`
            : `${block.file}:${block.line + at.line - preludeLines}:${at.character + 1}`;
        messages.push(`${where} ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`);
      }
    }
    return messages;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Writes each block (after its prelude) as a module under test/.tmp (inside the repository, so vitest transforms
 * it and resolves the workspace aliases), for a test to `import()`. Returns the files and a function that removes them.
 */
export function writeRunnableBlocks(blocks: CodeBlock[]): {
  files: Array<{ block: CodeBlock; path: string }>;
  remove(): void;
} {
  const dir = join(root, "test/.tmp", `docs-run-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const files = blocks.map((block, index) => {
    const path = join(dir, `block-${index}.ts`);
    writeFileSync(path, `${block.prelude}\n${block.code}\nexport {};\n`);
    return { block, path };
  });
  return { files, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
