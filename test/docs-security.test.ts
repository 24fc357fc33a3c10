import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const doc = readFileSync(`${root}docs/security.md`, "utf8");
/** Table rows of the ASVS mapping (every line of a Markdown table, header and rule lines left out). */
const rows = doc
  .split("\n")
  .filter((line) => line.startsWith("| ") && !line.startsWith("| ASVS") && !line.startsWith("| ---"))
  .map((line) => line.split("|").map((cell) => cell.trim()));
/** A proof: `file` › "title", or `file` _(pending merge)_ for a test file written on another branch. */
const PROOF = /`((?:test|packages)\/[^`\s]+\.test\.ts)`(?:\s*›\s*"([^"]+)")?(\s*[*_]\(pending merge\)[*_])?/g;

interface Proof {
  requirement: string;
  file: string;
  title: string | undefined;
  pending: boolean;
}

const proofs: Proof[] = rows.flatMap((cells) =>
  [...(cells[5] ?? "").matchAll(PROOF)].map((m) => ({
    requirement: cells[1] ?? "",
    file: m[1] as string,
    title: m[2],
    pending: m[3] !== undefined,
  })),
);

describe("docs/security.md", () => {
  it("maps requirements of ASVS 5.0 chapters V6, V7 and V8, each row with a proof or a reason", () => {
    const chapters = new Set(rows.map((cells) => cells[1]?.split(".")[0]));
    expect([...chapters].sort()).toEqual(["6", "7", "8"]);
    for (const cells of rows) {
      expect(cells[1], `row ${cells.join(" | ")}`).toMatch(/^\d\.\d+\.\d+/);
      expect(cells[5], `row ${cells[1]} names no proof and no reason`).toMatch(/`[^`]+\.test\.ts`|— \(/);
    }
    expect(proofs.length).toBeGreaterThan(40);
  });

  it.each(proofs.filter((p) => !p.pending))("$requirement: $file contains the test “$title”", ({ file, title }) => {
    expect(existsSync(`${root}${file}`), `${file} does not exist`).toBe(true);
    expect(title, `${file}: name the test, e.g. \`${file}\` › "title"`).toBeDefined();
    expect(readFileSync(`${root}${file}`, "utf8")).toContain(title);
  });

  it("rows marked (pending merge) point at files that do not exist yet; once they do, name a test instead", () => {
    const arrived = proofs.filter((p) => p.pending && existsSync(`${root}${p.file}`));
    expect(
      arrived.map((p) => `${p.requirement}: ${p.file} exists now: replace _(pending merge)_ with › "test title"`),
    ).toEqual([]);
  });
});
