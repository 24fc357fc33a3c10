import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const doc = readFileSync(`${root}docs/security.md`, "utf8");
/** Table rows of the ASVS mapping: the rows of every table whose header starts with "| ASVS" (header and rule left out). */
const rows: string[][] = [];
let inAsvsTable = false;
for (const line of doc.split("\n")) {
  if (!line.startsWith("|")) inAsvsTable = false;
  else if (line.startsWith("| ASVS")) inAsvsTable = true;
  else if (inAsvsTable && !line.startsWith("| ---")) rows.push(line.split("|").map((cell) => cell.trim()));
}
/**
 * A proof: `file` › "title" (more titles may follow: › "a", "b"), or `file` _(pending merge)_ for a test file
 * written on another branch.
 */
const PROOF =
  /`((?:test|packages)\/[^`\s]+\.test\.ts)`(?:\s*›\s*((?:"[^"]+"(?:,\s*)?)+))?(\s*[*_]\(pending merge\)[*_])?/g;
const titlesOf = (list: string | undefined): (string | undefined)[] =>
  list === undefined ? [undefined] : [...list.matchAll(/"([^"]+)"/g)].map((t) => t[1]?.replace(/\s+/g, " "));

interface Proof {
  requirement: string;
  file: string;
  title: string | undefined;
  pending: boolean;
}

const proofsIn = (text: string, requirement: string): Proof[] =>
  [...text.matchAll(PROOF)].flatMap((m) =>
    titlesOf(m[2]).map((title) => ({ requirement, file: m[1] as string, title, pending: m[3] !== undefined })),
  );

/** The proofs of the ASVS rows. */
const proofs: Proof[] = rows.flatMap((cells) => proofsIn(cells[5] ?? "", cells[1] ?? ""));

/** Proofs named in the prose (outside the ASVS tables), each under the heading or bold lead it belongs to. */
const proseProofs: Proof[] = doc
  .split("\n\n")
  .filter((paragraph) => !paragraph.startsWith("| ASVS"))
  .flatMap((paragraph) => proofsIn(paragraph, `prose: ${paragraph.trim().slice(0, 40)}…`))
  // A file named without a test title in the prose is a pointer, not a proof.
  .filter((proof) => proof.title !== undefined);

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

  it.each([...proofs, ...proseProofs].filter((p) => !p.pending))(
    "$requirement: $file contains the test “$title”",
    ({ file, title }) => {
      expect(existsSync(`${root}${file}`), `${file} does not exist`).toBe(true);
      expect(title, `${file}: name the test, e.g. \`${file}\` › "title"`).toBeDefined();
      expect(readFileSync(`${root}${file}`, "utf8")).toContain(title);
    },
  );

  it("rows marked (pending merge) point at files that do not exist yet; once they do, name a test instead", () => {
    const arrived = proofs.filter((p) => p.pending && existsSync(`${root}${p.file}`));
    expect(
      arrived.map((p) => `${p.requirement}: ${p.file} exists now: replace _(pending merge)_ with › "test title"`),
    ).toEqual([]);
  });
});
