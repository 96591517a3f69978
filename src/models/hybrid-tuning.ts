/**
 * Chooses the hybrid's fusion weights on a validation split of the training data: the parts are
 * fitted on the rest, and every weight combination on a simplex grid (step 0.1) × every
 * history-length shrinkage is scored by mean NDCG@10 over (a sample of) validation users.
 *
 * Per user only the union of each part's top candidates is fused (an item outside every part's
 * top 100 cannot reach a fused top 10 in practice), which keeps the grid search to ~10⁸ simple
 * operations for thousands of users.
 */
import type { CsrMatrix } from "../data/csr.js";
import { ndcgAtK } from "../util/ranking-metrics.js";
import { Random } from "../util/random.js";
import { topK } from "../util/top-k.js";
import type { BaseRecommender } from "./base-recommender.js";
import { meanAndStd } from "./standardize.js";
import type { UserHistory } from "./recommender.js";

export const TUNING_K = 10;
const CANDIDATES_PER_PART = 100;
const GRID_STEP = 0.1;
/** Users whose part scores are computed together (factor parts score them in one pass over Y). */
const TUNING_BATCH = 32;
export const SHRINKAGE_GRID = [0, 2, 5, 10, 20];

export interface FusionWeights {
  /** One weight per part, summing to 1. */
  weights: number[];
  /** CF parts are scaled by n / (n + shrinkage) for a history of n items. */
  shrinkage: number;
  validationNdcg: number;
  /** Validation NDCG@10 of each part alone, for the record. */
  partNdcg: number[];
}

/** Weight of part p for a history of n items: CF parts fade for short histories, content does not. */
export function partWeight(weight: number, isCollaborative: boolean, shrinkage: number, n: number): number {
  return isCollaborative && shrinkage > 0 ? (weight * n) / (n + shrinkage) : weight;
}

export function tuneFusion(
  parts: BaseRecommender[],
  train: CsrMatrix,
  validation: CsrMatrix,
  options: {
    maxUsers: number;
    seed: number;
    isCollaborative: boolean[];
    /**
     * Part p's scores for each of `users` of `train` (default: of their histories, one by one);
     * parts fitted on `train` may use what they learned, and score many users at once.
     */
    scoresOf?: (p: number, users: number[], histories: UserHistory[]) => Float32Array[];
  },
): FusionWeights {
  const users: number[] = [];
  for (let u = 0; u < validation.rows; u++) if (validation.rowNnz(u) > 0 && train.rowNnz(u) > 0) users.push(u);
  new Random(options.seed).shuffle(users);
  users.length = Math.min(users.length, options.maxUsers);
  const scoresOf = options.scoresOf ?? ((p: number, _users: number[], histories: UserHistory[]) => histories.map((h) => parts[p].scores(h)));
  const historyOf = (user: number): UserHistory => ({ items: train.rowIndices(user), plays: train.rowData(user) });

  const grid = simplexGrid(parts.length);
  const combos = grid.flatMap((weights) => SHRINKAGE_GRID.map((shrinkage) => ({ weights, shrinkage })));
  const totals = new Float64Array(combos.length);
  const played = new Uint8Array(train.cols);
  const notPlayed = (i: number) => played[i] === 0;
  const ranked = new Int32Array(TUNING_K);
  let batch: { users: number[]; scores: Float32Array[][] } = { users: [], scores: [] };
  users.forEach((user, u) => {
    if (u % TUNING_BATCH === 0) {
      const next = users.slice(u, u + TUNING_BATCH);
      batch = { users: next, scores: parts.map((_, p) => scoresOf(p, next, next.map(historyOf))) };
    }
    const history = historyOf(user);
    for (const item of history.items) played[item] = 1;
    // z-scores are monotone in the scores: rank the raw scores, standardize only the candidates.
    const raw = batch.scores.map((scores) => scores[u % TUNING_BATCH]);
    const candidateSet = new Set<number>();
    for (const scores of raw) for (const item of topK(scores, CANDIDATES_PER_PART, notPlayed)) candidateSet.add(item);
    for (const item of history.items) played[item] = 0;
    const candidates = Int32Array.from(candidateSet);
    const partScores = raw.map((scores) => {
      const { mean, std } = meanAndStd(scores);
      return Float32Array.from(candidates, (item) => (std > 0 ? (scores[item] - mean) / std : 0));
    });
    const relevant = new Set(validation.rowIndices(user));
    const fused = new Float32Array(candidates.length);
    const n = history.items.length;
    combos.forEach(({ weights, shrinkage }, c) => {
      fused.fill(0);
      for (let p = 0; p < parts.length; p++) {
        const w = partWeight(weights[p], options.isCollaborative[p], shrinkage, n);
        if (w === 0) continue;
        const s = partScores[p];
        for (let i = 0; i < fused.length; i++) fused[i] += w * s[i];
      }
      const count = largest(fused, ranked);
      for (let r = 0; r < count; r++) ranked[r] = candidates[ranked[r]];
      totals[c] += ndcgAtK(ranked.subarray(0, count), relevant, TUNING_K);
    });
  });
  let best = 0;
  for (let c = 1; c < combos.length; c++) if (totals[c] > totals[best]) best = c;
  const mean = (c: number) => (users.length > 0 ? totals[c] / users.length : 0);
  const partNdcg = parts.map((_, p) => mean(combos.findIndex((x) => x.shrinkage === 0 && x.weights[p] === 1)));
  return { ...combos[best], validationNdcg: mean(best), partNdcg };
}

/**
 * Indices of the out.length largest values into `out`, best first, ties towards the lower index
 * (as topK): insertion into the short sorted list, run ~10⁵ times per tuning so it must not allocate.
 */
function largest(values: Float32Array, out: Int32Array): number {
  let size = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) continue;
    if (size === out.length && !(v > values[out[size - 1]])) continue;
    let at = size < out.length ? size++ : size - 1;
    while (at > 0 && v > values[out[at - 1]]) {
      out[at] = out[at - 1];
      at--;
    }
    out[at] = i;
  }
  return size;
}

/** All weight vectors of `parts` non-negative multiples of GRID_STEP summing to 1. */
function simplexGrid(parts: number): number[][] {
  const steps = Math.round(1 / GRID_STEP);
  const out: number[][] = [];
  const walk = (prefix: number[], left: number) => {
    if (prefix.length === parts - 1) {
      out.push([...prefix, left].map((s) => s / steps));
      return;
    }
    for (let s = 0; s <= left; s++) walk([...prefix, s], left - s);
  };
  walk([], steps);
  return out;
}
