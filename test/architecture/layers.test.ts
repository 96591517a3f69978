/**
 * The source tree reads bottom-up as the data flows: a file may import from its own folder or from
 * a folder of a lower layer, never from a sibling of the same layer or from one above it.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

export const LAYERS: readonly (readonly string[])[] = [
  ["util"],
  ["data", "charts", "playlists"],
  ["store", "linalg"],
  ["ingest", "library"],
  ["sync", "datasets", "spark"],
  ["models"],
  ["evaluation", "service"],
  ["serving"],
  ["cli"],
  ["bench"],
];

const SRC = path.resolve(import.meta.dirname, "../../src");
const rank = new Map(LAYERS.flatMap((folders, i) => folders.map((f) => [f, i] as const)));

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(full) : e.name.endsWith(".ts") ? [full] : [];
  });
}

const topFolder = (file: string) => path.relative(SRC, file).split(path.sep)[0];

describe("layering", () => {
  const files = sourceFiles(SRC);

  it("puts every source file in a known layer folder", () => {
    const unknown = files.filter((f) => !rank.has(topFolder(f))).map((f) => path.relative(SRC, f));
    expect(unknown).toEqual([]);
  });

  it("never imports from a sibling or a higher layer", () => {
    const violations: string[] = [];
    for (const file of files) {
      const from = topFolder(file);
      const text = fs.readFileSync(file, "utf8");
      for (const match of text.matchAll(/(?:from\s+|import\(\s*)["'](\.{1,2}\/[^"']+)["']/g)) {
        const to = topFolder(path.resolve(path.dirname(file), match[1]));
        if (to === from) continue;
        if (!((rank.get(to) ?? Infinity) < (rank.get(from) ?? -Infinity))) {
          violations.push(`${path.relative(SRC, file)} imports ${match[1]} (${from} -> ${to})`);
        }
      }
    }
    expect(violations).toEqual([]);
  });
});
