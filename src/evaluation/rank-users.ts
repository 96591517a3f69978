/**
 * Scores one fitted model on one split: for every user with at least one test item, rank ALL
 * catalogue items by `model.scores(train history)`, leave out the user's train items (unless
 * `includePlayed`), keep the top max(K) (ties to the lower item index, see src/util/top-k.ts) and
 * average the metrics at each K over those users. No sampled negatives. Every model goes through
 * this same path.
 */
import type { Recommender, UserHistory } from "../models/recommender.js";
import type { Progress } from "../util/progress.js";
import { silentProgress } from "../util/progress.js";
import { topK } from "../util/top-k.js";
import { listenerCounts } from "../data/listener-counts.js";
import type { Split } from "../data/split.js";
import {
  averagePrecisionAtK,
  hitAtK,
  ndcgAtK,
  precisionAtK,
  recallAtK,
  reciprocalRankAtK,
  catalogueCoverage,
  novelty,
} from "../util/ranking-metrics.js";

export const METRIC_NAMES = ["precision", "recall", "ndcg", "map", "hitRate", "mrr", "coverage", "novelty"] as const;
export type MetricName = (typeof METRIC_NAMES)[number];
export type MetricValues = Record<MetricName, number>;

/** The per-user metrics, averaged over the evaluated users. */
const USER_METRICS = [
  ["precision", precisionAtK],
  ["recall", recallAtK],
  ["ndcg", ndcgAtK],
  ["map", averagePrecisionAtK],
  ["hitRate", hitAtK],
  ["mrr", reciprocalRankAtK],
] as const;

export interface RankingResult {
  /** Users with at least one test item (and at least one train item to fold in). */
  users: number;
  /** Metrics at each requested K, ascending K. */
  byK: { k: number; metrics: MetricValues }[];
}

/** Coverage and novelty at K use `catalogueCoverage` / `novelty` over the top-K prefixes of all evaluated users' lists. */
export interface RankOptions {
  progress?: Progress;
  /** Rank the user's train items too (to predict re-listening); default false. */
  includePlayed?: boolean;
}

export function rankUsers(model: Recommender, split: Split, ks: readonly number[], options: RankOptions = {}): RankingResult {
  const progress = options.progress ?? silentProgress;
  const { train, test } = split;
  const sortedKs = [...new Set(ks)].sort((a, b) => a - b);
  const maxK = sortedKs[sortedKs.length - 1];
  const items = train.cols;
  const itemUsers = listenerCounts(train);
  let trainUsers = 0;
  for (let u = 0; u < train.rows; u++) if (train.rowNnz(u) > 0) trainUsers++;

  const evaluated: number[] = [];
  for (let u = 0; u < test.rows; u++) if (test.rowNnz(u) > 0 && train.rowNnz(u) > 0) evaluated.push(u);
  const sums = sortedKs.map(() => ({ precision: 0, recall: 0, ndcg: 0, map: 0, hitRate: 0, mrr: 0 }));
  const lists: Int32Array[] = new Array(evaluated.length);
  // Played items are masked as NaN (which topK skips) in a copy: the model's array is not ours to change.
  const masked = new Float32Array(items);

  progress.start(`ranking ${items.toLocaleString("en")} items with ${model.name}`, evaluated.length);
  for (let n = 0; n < evaluated.length; n++) {
    const u = evaluated[n];
    const history: UserHistory = { items: train.rowIndices(u), plays: train.rowData(u) };
    let scores = model.scores(history);
    if (!options.includePlayed) {
      masked.set(scores);
      for (let p = 0; p < history.items.length; p++) masked[history.items[p]] = NaN;
      scores = masked;
    }
    const ranked = topK(scores, maxK);
    lists[n] = ranked;
    const relevant = new Set(test.rowIndices(u));
    for (let j = 0; j < sortedKs.length; j++) {
      for (const [name, metric] of USER_METRICS) sums[j][name] += metric(ranked, relevant, sortedKs[j]);
    }
    if (n % 64 === 0) progress.update(n);
  }
  progress.done(`${evaluated.length.toLocaleString("en")} users`);

  const users = evaluated.length;
  const mean = (value: number) => (users === 0 ? 0 : value / users);
  const byK = sortedKs.map((k, j) => {
    const prefixes = lists.map((list) => list.subarray(0, k));
    const metrics: MetricValues = {
      precision: mean(sums[j].precision),
      recall: mean(sums[j].recall),
      ndcg: mean(sums[j].ndcg),
      map: mean(sums[j].map),
      hitRate: mean(sums[j].hitRate),
      mrr: mean(sums[j].mrr),
      coverage: catalogueCoverage(prefixes, items),
      novelty: novelty(prefixes, itemUsers, trainUsers),
    };
    return { k, metrics };
  });
  return { users, byK };
}
