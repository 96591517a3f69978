import { describe, expect, it } from "vitest";
import type { ModelName, UserHistory } from "../../src/models/recommender.js";
import { randomHoldout, type Split } from "../../src/data/split.js";
import { rankUsers } from "../../src/evaluation/rank-users.js";
import { evaluateModels, summarize, type SplitSource } from "../../src/evaluation/evaluate.js";
import { ndcgAtK, precisionAtK } from "../../src/util/ranking-metrics.js";
import { CountModel, catalogOf, skewedPlays } from "./fixtures.js";

/** Knows the test set: scores a user's test items 1, everything else 0. */
class OracleModel extends CountModel {
  override readonly name: ModelName = "svd";
  constructor(private readonly split: Split) {
    super();
  }
  override scores(history: UserHistory) {
    const scores = new Float32Array(this.split.test.cols);
    // Identify the user by their train row.
    for (let u = 0; u < this.split.train.rows; u++) {
      const row = this.split.train.rowIndices(u);
      if (row.length === history.items.length && row.every((v, i) => v === history.items[i])) {
        for (const i of this.split.test.rowIndices(u)) scores[i] = 1;
        break;
      }
    }
    return scores;
  }
}

describe("rankUsers", () => {
  it("matches a brute-force evaluation: popular unplayed items first, metrics averaged over test users", () => {
    const plays = skewedPlays(1);
    const split = randomHoldout(plays, 0.3, 0);
    const model = new CountModel();
    model.fit({ plays: split.train, catalog: catalogOf(plays.cols), userNames: [] });
    const result = rankUsers(model, split, [5, 10]);

    let users = 0;
    let precision = 0;
    let ndcg = 0;
    const order = Array.from(model.counts.keys()).sort((a, b) => model.counts[b] - model.counts[a] || a - b);
    for (let u = 0; u < plays.rows; u++) {
      if (split.test.rowNnz(u) === 0) continue;
      const trainItems = new Set(split.train.rowIndices(u));
      const ranked = Int32Array.from(order.filter((i) => !trainItems.has(i)).slice(0, 10));
      const relevant = new Set(split.test.rowIndices(u));
      users++;
      precision += precisionAtK(ranked, relevant, 10);
      ndcg += ndcgAtK(ranked, relevant, 10);
    }
    expect(users).toBeGreaterThan(30);
    expect(result.users).toBe(users);
    expect(result.byK.map((p) => p.k)).toEqual([5, 10]);
    const at10 = result.byK[1].metrics;
    expect(at10.precision).toBeCloseTo(precision / users, 10);
    expect(at10.ndcg).toBeCloseTo(ndcg / users, 10);
    expect(at10.coverage).toBeGreaterThan(0);
    expect(at10.coverage).toBeLessThanOrEqual(1);
  });

  it("never recommends a train item and gives an oracle perfect scores", () => {
    // Dense enough that no two users share a train row (the oracle recognises users by it).
    const plays = skewedPlays(2, 30, 200, 3);
    const split = randomHoldout(plays, 0.3, 1);
    const oracle = new OracleModel(split);
    const { byK } = rankUsers(oracle, split, [50]);
    expect(byK[0].metrics.ndcg).toBeCloseTo(1, 10);
    expect(byK[0].metrics.recall).toBeCloseTo(1, 10);
    expect(byK[0].metrics.map).toBeCloseTo(1, 10);
    expect(byK[0].metrics.hitRate).toBe(1);
    expect(byK[0].metrics.mrr).toBe(1);
  });

  it("a model that scores train items highest still only recommends unplayed ones, unless played items are included", () => {
    const plays = skewedPlays(2, 30, 200, 3);
    const split = randomHoldout(plays, 0.3, 2);
    const memorizer = new OracleModel({ train: split.train, test: split.train });
    // With train items excluded, the "memorised" scores are all ties at 0: the ranking is by index.
    const excluded = rankUsers(memorizer, split, [10]).byK[0].metrics;
    expect(excluded.ndcg).toBeLessThan(1);
    expect(excluded.ndcg).toBeGreaterThan(0);
    // Included, the top 10 are train items, never relevant: every metric is 0.
    const included = rankUsers(memorizer, split, [10], { includePlayed: true }).byK[0].metrics;
    expect(included.hitRate).toBe(0);
    // And re-listens count when the test set is the train set itself.
    const relisten = rankUsers(memorizer, { train: split.train, test: split.train }, [10], { includePlayed: true }).byK[0].metrics;
    expect(relisten.ndcg).toBeCloseTo(1, 10);
  });
});

describe("evaluateModels", () => {
  const plays = skewedPlays(4);
  const source: SplitSource = {
    protocol: "random",
    description: "test",
    catalog: catalogOf(plays.cols),
    userNames: Array.from({ length: plays.rows }, (_, u) => `user ${u}`),
    split: (seed) => randomHoldout(plays, 0.2, seed),
  };

  it("reports mean ± std over seeds and a curve over K", async () => {
    const result = await evaluateModels(source, { models: ["popularity"], k: 10, seeds: [0, 1, 2], createModel: () => new CountModel() });
    expect(result.splits).toHaveLength(3);
    const [pop] = result.results;
    expect(pop.curve.map((p) => p.k)).toEqual([1, 5, 10, 20, 50]);
    const perSeed = [0, 1, 2].map((seed) => {
      const split = randomHoldout(plays, 0.2, seed);
      const m = new CountModel();
      m.fit({ plays: split.train, catalog: source.catalog, userNames: source.userNames });
      return rankUsers(m, split, [10]).byK[0].metrics;
    });
    const expected = summarize(perSeed);
    expect(pop.mean.ndcg).toBeCloseTo(expected.mean.ndcg, 12);
    expect(pop.std.ndcg).toBeCloseTo(expected.std.ndcg, 12);
    expect(pop.std.ndcg).toBeGreaterThan(0);
  });

  it("summarize uses the sample standard deviation", () => {
    const base = { precision: 0, recall: 0, ndcg: 0, map: 0, hitRate: 0, mrr: 0, coverage: 0, novelty: 0 };
    const { mean, std } = summarize([{ ...base, ndcg: 1 }, { ...base, ndcg: 2 }, { ...base, ndcg: 3 }]);
    expect(mean.ndcg).toBe(2);
    expect(std.ndcg).toBe(1);
    expect(summarize([{ ...base, ndcg: 5 }]).std.ndcg).toBe(0);
  });
});
