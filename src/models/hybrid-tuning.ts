/**
 * Chooses the hybrid's fusion weights on a validation split of the training data: the parts are
 * fitted on the rest, and every weight combination on a simplex grid (step 0.1) × every
 * history-length shrinkage is scored by mean NDCG@10 over (a sample of) validation users.
 *
 * Per user only the union of each part's top candidates is fused (an item outside every part's
 * top 100 cannot reach a fused top 10 in practice), which keeps the grid search to ~10⁸ simple
 * operations for thousands of users.
 *
 * Users are scored in fixed units of TUNING_BATCH; each unit sums its users' NDCG per combination
 * into a row of its own, and the rows are added in unit order afterwards — so the units can run on
 * worker threads (hybrid-tuning-worker.ts) in any order and the weights do not depend on the
 * thread count.
 */
import { CsrMatrix } from "../data/csr.js";
import type { TrainingSet } from "../data/training-set.js";
import { BATCH as SCORER_BATCH, FactorScorer } from "../linalg/factor-scorer.js";
import { ndcgAtK } from "../util/ranking-metrics.js";
import { Random } from "../util/random.js";
import { topK } from "../util/top-k.js";
import { WorkerPool } from "../util/worker-pool.js";
import type { BaseRecommender } from "./base-recommender.js";
import { FactorRecommender } from "./factor-recommender.js";
import { meanAndStd } from "./standardize.js";
import type { UserHistory } from "./recommender.js";
import type { ModelState } from "./model-state.js";

export const TUNING_K = 10;
const CANDIDATES_PER_PART = 100;
const GRID_STEP = 0.1;
/** Users whose part scores are computed together (factor parts score them in one pass over Y): one unit of work. */
const TUNING_BATCH = SCORER_BATCH;
export const SHRINKAGE_GRID = [0, 2, 5, 10, 20];
/**
 * Below this many scores to compute (users × items × parts) starting worker threads (each loads
 * the models and copies the factors) costs more than it saves: HetRec-size data tunes inline.
 */
const MIN_PARALLEL_SCORES = 100_000_000;

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

/** What the tuning scores: the validation parts (those learning from plays fitted on `train`), and the split. */
export interface TuningProblem {
  parts: BaseRecommender[];
  isCollaborative: boolean[];
  train: CsrMatrix;
  validation: CsrMatrix;
}

export interface TuningOptions {
  maxUsers: number;
  seed: number;
  /** Threads to score users on (1 = inline; see tuningThreads); the weights are the same for any number. */
  threads: number;
  /** The training set the parts were fitted on (its plays are `train`), for restoring them on worker threads. */
  training: TrainingSet;
}

/** `available` threads, or 1 when scoring `users` × `items` × `parts` is too little work to share. */
export function tuningThreads(users: number, items: number, parts: number, available: number): number {
  return users * items * parts < MIN_PARALLEL_SCORES ? 1 : available;
}

type Combo = { weights: number[]; shrinkage: number };

export async function tuneFusion(problem: TuningProblem, options: TuningOptions): Promise<FusionWeights> {
  const users = tuningUsers(problem.train, problem.validation, options.maxUsers, options.seed);
  const combos = fusionCombos(problem.parts.length);
  const units = Math.ceil(users.length / TUNING_BATCH);
  const threads = Math.min(options.threads, units);
  let totals: Float64Array;
  if (threads <= 1) {
    totals = new Float64Array(units * combos.length);
    let next = 0;
    scoreUnits(problem, users, combos, () => next++, totals);
  } else {
    totals = await scoreUnitsOnThreads(problem, users, combos, units, threads, options.training);
  }
  return bestFusion(totals, combos, users.length);
}

/** Validation users with a training history, shuffled by `seed`, at most `maxUsers`. */
function tuningUsers(train: CsrMatrix, validation: CsrMatrix, maxUsers: number, seed: number): Int32Array {
  const users: number[] = [];
  for (let u = 0; u < validation.rows; u++) if (validation.rowNnz(u) > 0 && train.rowNnz(u) > 0) users.push(u);
  new Random(seed).shuffle(users);
  return Int32Array.from(users.slice(0, maxUsers));
}

function fusionCombos(parts: number): Combo[] {
  return simplexGrid(parts).flatMap((weights) => SHRINKAGE_GRID.map((shrinkage) => ({ weights, shrinkage })));
}

/** The best combination of the unit rows' sums (added in unit order), with each part's NDCG alone. */
function bestFusion(unitTotals: Float64Array, combos: Combo[], userCount: number): FusionWeights {
  const totals = new Float64Array(combos.length);
  for (let at = 0; at < unitTotals.length; at += combos.length) for (let c = 0; c < combos.length; c++) totals[c] += unitTotals[at + c];
  let best = 0;
  for (let c = 1; c < combos.length; c++) if (totals[c] > totals[best]) best = c;
  const mean = (c: number) => (userCount > 0 ? totals[c] / userCount : 0);
  const parts = combos[0].weights.length;
  const partNdcg = Array.from({ length: parts }, (_, p) => mean(combos.findIndex((x) => x.shrinkage === 0 && x.weights[p] === 1)));
  return { ...combos[best], validationNdcg: mean(best), partNdcg };
}

/**
 * Scores the units `claim` hands out (until it returns one past the last) into their rows of
 * `totals` (units × combos): each user's NDCG@10 under every combination.
 */
export function scoreUnits(problem: TuningProblem, users: Int32Array, combos: Combo[], claim: () => number, totals: Float64Array): void {
  const { parts, train, validation, isCollaborative } = problem;
  const scoresOf = validationScores(parts);
  const historyOf = (user: number): UserHistory => ({ items: train.rowIndices(user), plays: train.rowData(user) });
  const played = new Uint8Array(train.cols);
  const notPlayed = (i: number) => played[i] === 0;
  const ranked = new Int32Array(TUNING_K);
  const units = Math.ceil(users.length / TUNING_BATCH);
  for (let unit = claim(); unit < units; unit = claim()) {
    const batch = Array.from(users.subarray(unit * TUNING_BATCH, (unit + 1) * TUNING_BATCH));
    const batchScores = parts.map((_, p) => scoresOf(p, batch, batch.map(historyOf)));
    const row = totals.subarray(unit * combos.length, (unit + 1) * combos.length);
    batch.forEach((user, b) => {
      const history = historyOf(user);
      for (const item of history.items) played[item] = 1;
      // z-scores are monotone in the scores: rank the raw scores, standardize only the candidates.
      const raw = batchScores.map((scores) => scores[b]);
      const candidateSet = new Set<number>();
      for (const scores of raw) for (const item of topK(scores, CANDIDATES_PER_PART, notPlayed)) candidateSet.add(item);
      for (const item of history.items) played[item] = 0;
      const candidates = Int32Array.from(candidateSet);
      const partScores = raw.map((scores) => {
        const { mean, std } = meanAndStd(scores);
        const z = new Float32Array(candidates.length);
        if (std > 0) for (let i = 0; i < candidates.length; i++) z[i] = (scores[candidates[i]] - mean) / std;
        return z;
      });
      const relevant = new Set(validation.rowIndices(user));
      const fused = new Float32Array(candidates.length);
      const n = history.items.length;
      combos.forEach(({ weights, shrinkage }, c) => {
        fused.fill(0);
        for (let p = 0; p < parts.length; p++) {
          const w = partWeight(weights[p], isCollaborative[p], shrinkage, n);
          if (w === 0) continue;
          const s = partScores[p];
          for (let i = 0; i < fused.length; i++) fused[i] += w * s[i];
        }
        const count = largest(fused, ranked);
        for (let r = 0; r < count; r++) ranked[r] = candidates[ranked[r]];
        row[c] += ndcgAtK(ranked.subarray(0, count), relevant, TUNING_K);
      });
    });
  }
}

/**
 * Part p's scores for training users `users` of the split: parts fitted on it score from what they
 * learned (no fold-in solve), factor models by the SIMD kernel (Y·x for a thousand users is most
 * of the tuning; views valid until the part's next batch); a part that does not learn from plays
 * scores the histories.
 */
function validationScores(parts: BaseRecommender[]): (p: number, users: number[], histories: UserHistory[]) => Float32Array[] {
  const scorers = parts.map((part) => (part.learnsFromPlays && part instanceof FactorRecommender ? FactorScorer.for(part.learned.itemFactors) : null));
  return (p, users, histories) => {
    const part = parts[p];
    if (!part.learnsFromPlays) return histories.map((history) => part.scores(history));
    const scorer = scorers[p];
    if (scorer && part instanceof FactorRecommender) return scorer.scoreBatch(users.map((user) => part.trainingUserVector(user)));
    return users.map((user) => part.trainingScores(user));
  };
}

/** What every tuning worker is sent: the parts' states and the split in shared memory, and where to count and sum. */
export interface TuningTask {
  parts: { name: string; state: ModelState }[];
  isCollaborative: boolean[];
  train: SharedMatrix;
  validation: SharedMatrix;
  /** The training set's other fields, for restoring the parts. */
  catalog: TrainingSet["catalog"];
  userNames: string[];
  users: Int32Array;
  combos: Combo[];
  /** [0]: units claimed so far. */
  counter: Int32Array;
  totals: Float64Array;
}

type SharedMatrix = Pick<CsrMatrix, "rows" | "cols" | "indptr" | "indices" | "data">;

async function scoreUnitsOnThreads(problem: TuningProblem, users: Int32Array, combos: Combo[], units: number, threads: number, training: TrainingSet): Promise<Float64Array> {
  const totals = new Float64Array(new SharedArrayBuffer(units * combos.length * 8));
  const task: TuningTask = {
    parts: problem.parts.map((part) => {
      const { params, learned } = part.exportState();
      return { name: part.name, state: { params, learned: inSharedMemory(learned) as object } };
    }),
    isCollaborative: problem.isCollaborative,
    train: inSharedMemory(matrixFields(problem.train)) as SharedMatrix,
    validation: inSharedMemory(matrixFields(problem.validation)) as SharedMatrix,
    catalog: training.catalog,
    userNames: training.userNames,
    users: inSharedMemory(users) as Int32Array,
    combos,
    counter: new Int32Array(new SharedArrayBuffer(4)),
    totals,
  };
  const pool = new WorkerPool<TuningTask>(import.meta.url, "hybrid-tuning-worker", threads);
  try {
    await pool.run(task);
  } finally {
    await pool.close();
  }
  return totals;
}

/** A CSR matrix as the worker rebuilds it. */
export function matrixFrom(m: SharedMatrix): CsrMatrix {
  return new CsrMatrix(m.rows, m.cols, m.indptr, m.indices, m.data);
}

function matrixFields(m: CsrMatrix): SharedMatrix {
  return { rows: m.rows, cols: m.cols, indptr: m.indptr, indices: m.indices, data: m.data };
}

/** `value` with every typed array copied into SharedArrayBuffer memory (posted to workers without a copy each). */
function inSharedMemory(value: unknown): unknown {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const array = value as Float32Array;
    const Ctor = array.constructor as new (buffer: SharedArrayBuffer) => Float32Array;
    const out = new Ctor(new SharedArrayBuffer(array.byteLength));
    out.set(array);
    return out;
  }
  if (Array.isArray(value)) return value.map(inSharedMemory);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, inSharedMemory(v)]));
  return value;
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
