/**
 * Popularity on HetRec 2011 Last.fm-2k under the random protocol must match the reference harness
 * (NDCG@10 0.0796, P@10 0.0698 — per user a random 20% of the artists held out, all items ranked,
 * played items excluded). A single seed varies by about ±0.003 between splits, so the test compares
 * the mean over seeds 0–4, whose standard error is about 0.0014.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Store } from "../../src/store/store.js";
import { importPaths } from "../../src/ingest/import-files.js";
import { splitSource } from "../../src/evaluation/protocols.js";
import { evaluateModels } from "../../src/evaluation/evaluate.js";
import { evaluationModel } from "../../src/evaluation/models.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const hetrec = path.resolve(repoRoot, "../shared/data/hetrec2011-lastfm-2k");
const present = fs.existsSync(path.join(hetrec, "user_artists.dat"));

const REFERENCE = { ndcg: 0.0796, precision: 0.0698 };

describe.skipIf(!present)(`popularity on HetRec matches the reference harness (needs ${hetrec})`, () => {
  let store: Store;
  beforeAll(async () => {
    store = await Store.open(":memory:");
    await importPaths(store, [hetrec]);
  });
  afterAll(() => store.close());

  it("mean NDCG@10 and P@10 over seeds 0-4 within 0.003 of the reference", async () => {
    const source = await splitSource(store, { protocol: "random", testFraction: 0.2, lastN: 1, minUserItems: 1, minItemUsers: 1 });
    expect(source.userNames).toHaveLength(1892);
    expect(source.catalog.keys).toHaveLength(17632);
    const result = await evaluateModels(source, { models: ["popularity"], k: 10, seeds: [0, 1, 2, 3, 4], createModel: evaluationModel });
    const [popularity] = result.results;
    expect(popularity.users).toBe(1883);
    expect(Math.abs(popularity.mean.ndcg - REFERENCE.ndcg)).toBeLessThan(0.003);
    expect(Math.abs(popularity.mean.precision - REFERENCE.precision)).toBeLessThan(0.003);
    // Recall is close to precision on HetRec: almost every user has 50 artists, so 10 test items.
    expect(Math.abs(popularity.mean.recall - popularity.mean.precision)).toBeLessThan(0.003);
  });
});

if (!present) console.warn(`skipping the HetRec reference test: ${hetrec} is absent`);
