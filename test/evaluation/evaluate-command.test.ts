import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { parseFlags, registerEvaluate } from "../../src/cli/commands/evaluate.js";
import { Store } from "../../src/store/store.js";
import { importPaths } from "../../src/ingest/import-files.js";
import { UserError } from "../../src/util/errors.js";
import { kaggleCsv, scrobbles } from "./fixtures.js";

const defaults = { testFraction: "0.2", lastN: "1", seed: "0", k: "10", curveK: "1,5,10,20,50", minUserItems: "5", minItemUsers: "5" };

describe("evaluate flags", () => {
  it("parses valid flags", () => {
    const parsed = parseFlags({ ...defaults, protocol: "last", seeds: "0,1,1,2", models: "svd, popularity", item: "artist", lastN: "3" });
    expect(parsed).toMatchObject({ protocol: "last", level: "artist", seeds: [0, 1, 2], models: ["svd", "popularity"], lastN: 3, k: 10, curveKs: [1, 5, 10, 20, 50] });
    expect(parseFlags(defaults).models).toEqual(["popularity", "content", "svd", "als", "hybrid"]);
    expect(parseFlags(defaults).protocol).toBeUndefined();
  });

  it.each([
    [{ protocol: "leave-one-out" }, /--protocol must be one of time, random, last/],
    [{ testFraction: "1" }, /--test-fraction/],
    [{ testFraction: "abc" }, /--test-fraction/],
    [{ k: "0" }, /-k must be a positive integer, got "0"/],
    [{ k: "2.5" }, /-k must be a positive integer/],
    [{ seeds: "0,x" }, /--seeds must be a non-negative integer/],
    [{ seed: "-1" }, /--seed must be a non-negative integer/],
    [{ models: "svd,bogus" }, /--models: unknown model "bogus"/],
    [{ minUserItems: "0" }, /--min-user-items/],
    [{ minItemUsers: "-1" }, /--min-item-users/],
    [{ item: "album" }, /--item must be one of artist, track/],
    [{ lastN: "0" }, /--last-n/],
    [{ curveK: "1,,5" }, /--curve-k/],
  ])("rejects %o with a UserError naming the flag", (override, message) => {
    expect(() => parseFlags({ ...defaults, ...override })).toThrow(UserError);
    expect(() => parseFlags({ ...defaults, ...override })).toThrow(message);
  });
});

describe("musicrec evaluate", () => {
  let dir = "";
  let db = "";

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "evaluate-cli-"));
    const csv = path.join(dir, "scrobbles.csv");
    fs.writeFileSync(csv, kaggleCsv(scrobbles()));
    db = path.join(dir, "store.duckdb");
    const store = await Store.open(db);
    await importPaths(store, [csv]);
    store.close();
  });
  afterAll(() => fs.rmSync(dir, { recursive: true }));

  async function run(...args: string[]): Promise<string> {
    const program = new Command().option("--db <file>").exitOverride();
    registerEvaluate(program);
    let out = "";
    const write = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      out += String(chunk);
      return true;
    });
    const errors = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      await program.parseAsync(["node", "musicrec", "--db", db, "evaluate", ...args]);
    } finally {
      write.mockRestore();
      errors.mockRestore();
    }
    return out;
  }

  it("--json prints the documented shape for the time protocol, popularity included", async () => {
    const json = JSON.parse(await run("--protocol", "time", "--models", "popularity,svd", "--min-user-items", "1", "--min-item-users", "1", "--json"));
    expect(json.protocol).toBe("time");
    expect(json.k).toBe(10);
    expect(json.results.map((r: { model: string }) => r.model)).toEqual(["popularity", "svd"]);
    for (const r of json.results) {
      for (const key of ["precision", "recall", "ndcg", "map", "hitRate", "mrr", "coverage", "novelty"]) {
        expect(typeof r[key]).toBe("number");
        expect(Number.isFinite(r[key])).toBe(true);
      }
      expect(r.users).toBeGreaterThan(0);
    }
  });

  it("prints a table and writes the report with its charts", async () => {
    const report = path.join(dir, "out", "report.md");
    const out = await run("--protocol", "random", "--seeds", "0,1", "-k", "5", "--models", "popularity", "--min-user-items", "1", "--min-item-users", "1", "--report", report);
    expect(out).toContain("random protocol");
    expect(out).toMatch(/popularity\s+0\.\d{4} ± 0\.\d{4}/);
    expect(fs.readFileSync(report, "utf8")).toContain("## Results at K = 5");
    expect(fs.existsSync(path.join(dir, "out", "report-ndcg.svg"))).toBe(true);
    expect(fs.existsSync(path.join(dir, "out", "report-recall.svg"))).toBe(true);
  });
});
