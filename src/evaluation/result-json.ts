/**
 * The `--json` form of an evaluation: `{"protocol", "k", "results": [{"model", "precision",
 * "recall", "ndcg", "map", "hitRate", "mrr", "coverage", "novelty", ...}]}` with the headline
 * metrics flat on each result (means over seeds), plus their std, users, timings and the K curve.
 */
import type { EvaluationResult } from "./evaluate.js";
import type { MetricValues } from "./rank-users.js";

export interface EvaluationJson {
  protocol: string;
  k: number;
  includePlayed: boolean;
  description: string;
  seeds: number[];
  users: number;
  items: number;
  splits: EvaluationResult["splits"];
  seconds: number;
  results: (MetricValues & {
    model: string;
    std: MetricValues;
    users: number;
    fitSeconds: number;
    rankSeconds: number;
    curve: (MetricValues & { k: number })[];
  })[];
}

export function evaluationJson(result: EvaluationResult): EvaluationJson {
  return {
    protocol: result.protocol,
    k: result.k,
    includePlayed: result.includePlayed,
    description: result.description,
    seeds: result.seeds,
    users: result.users,
    items: result.items,
    splits: result.splits,
    seconds: round(result.seconds),
    results: result.results.map((r) => ({
      model: r.model,
      ...r.mean,
      std: r.std,
      users: r.users,
      fitSeconds: round(r.fitSeconds),
      rankSeconds: round(r.rankSeconds),
      curve: r.curve.map((point) => ({ k: point.k, ...point.mean })),
    })),
  };
}

const round = (seconds: number) => Math.round(seconds * 1000) / 1000;
