import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { evaluateModels } from "../../src/evaluation/evaluate.js";
import { randomHoldout } from "../../src/data/split.js";
import { writeReport } from "../../src/evaluation/report.js";
import { markdownTable, terminalTable } from "../../src/evaluation/result-table.js";
import { CountModel, catalogOf, skewedPlays } from "./fixtures.js";

async function sampleResult(seeds: number[]) {
  const plays = skewedPlays(5);
  return evaluateModels(
    {
      protocol: "random",
      description: "per user, a random 20% held out",
      catalog: catalogOf(plays.cols),
      userNames: Array.from({ length: plays.rows }, (_, u) => `u${u}`),
      split: (seed) => randomHoldout(plays, 0.2, seed),
    },
    { models: ["popularity"], k: 10, seeds, createModel: () => new CountModel() },
  );
}

describe("result tables", () => {
  it("terminal table aligns a row per model, with ± only for several seeds", async () => {
    const one = terminalTable(await sampleResult([0]));
    const lines = one.split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^model\s+P@10\s+R@10\s+NDCG@10\s+MAP@10\s+HR@10\s+MRR@10\s+Cov@10\s+Nov@10\s+users/);
    expect(lines[2]).toMatch(/^popularity\s+0\.\d{4}\s/);
    expect(one).not.toContain("±");
    expect(terminalTable(await sampleResult([0, 1]))).toMatch(/0\.\d{4} ± 0\.\d{4}/);
  });

  it("markdown table escapes pipes", () => {
    expect(markdownTable(["a", "b"], [["x|y", "1"]], [false, true])).toBe("| a | b |\n| --- | ---: |\n| x\\|y | 1 |");
  });
});

describe("writeReport", () => {
  it("writes the Markdown report and one SVG chart per curve next to it", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "report-"));
    const file = path.join(dir, "eval.md");
    const result = await sampleResult([0, 1]);
    const written = await writeReport(file, result, { store: "/tmp/x.duckdb", level: "artist", minUserItems: 1, minItemUsers: 1 });
    expect(written.map((f) => path.basename(f))).toEqual(["eval.md", "eval-ndcg.svg", "eval-recall.svg"]);
    const md = fs.readFileSync(file, "utf8");
    expect(md).toContain("# musicrec evaluation: random protocol, K = 10");
    expect(md).toContain("![NDCG@K by model](eval-ndcg.svg)");
    expect(md).toContain("| model | K=1 | K=5 | K=10 | K=20 | K=50 |");
    const ndcg10 = result.results[0].mean.ndcg.toFixed(4);
    expect(md).toContain(ndcg10);
    const svg = fs.readFileSync(path.join(dir, "eval-ndcg.svg"), "utf8");
    expect(svg).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain(">popularity<");
    expect(fs.readdirSync(dir).sort()).toEqual(["eval-ndcg.svg", "eval-recall.svg", "eval.md"]);
    fs.rmSync(dir, { recursive: true });
  });
});
