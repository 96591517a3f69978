/**
 * The evaluation run: for every seed, split once, then fit every model on the train part and rank
 * all items for every test user (src/evaluation/rank-users.ts). Results are the mean and the sample
 * standard deviation over seeds of each metric at each K.
 */
import { alignWithMatrix } from "../data/csr.js";
import type { ItemCatalog } from "../data/interactions.js";
import { fitModels } from "../models/fit-models.js";
import type { KCoreChoice } from "../data/k-core-choice.js";
import type { ModelName, Recommender } from "../models/recommender.js";
import type { TrainingSet } from "../data/training-set.js";
import type { Progress } from "../util/progress.js";
import { silentProgress } from "../util/progress.js";
import { UserError } from "../util/errors.js";
import type { Split } from "../data/split.js";
import { METRIC_NAMES, rankUsers, type MetricValues, type RankingResult } from "./rank-users.js";

export const PROTOCOLS = ["time", "random", "last"] as const;
export type Protocol = (typeof PROTOCOLS)[number];

/** Where the train/test splits come from (see src/evaluation/protocols.ts). */
export interface SplitSource {
  protocol: Protocol;
  /** One line for humans, e.g. "per user, a random 20% of distinct items held out". */
  description: string;
  catalog: ItemCatalog;
  userNames: string[];
  /** The k-core applied before splitting (see data/k-core-choice.ts). */
  kCore?: KCoreChoice;
  /** The split for a seed; protocols without randomness ignore it. */
  split(seed: number): Split | Promise<Split>;
  /**
   * Last-played times of the pairs the train parts are drawn from (in the split's index spaces),
   * when the data has timestamps: they reach the models as `TrainingSet.lastPlayed`. Never times
   * from the test period.
   */
  trainTimes?: PairTimes;
  /** The time protocol's cutoff: events at or after it are the test period. */
  cutoff?: Date;
}

export interface PairTimes {
  rows: Int32Array;
  cols: Int32Array;
  lastPlayed: Float64Array;
}

export interface EvaluateOptions<M extends Recommender = Recommender> {
  models: readonly ModelName[];
  /** The K of the headline metrics. */
  k: number;
  /** Further K values for the curves of the report (the headline K is always included). */
  curveKs?: readonly number[];
  seeds: readonly number[];
  /**
   * A fresh, unfitted model; `seed` drives its random initialisation. `fitted` holds the models
   * already fitted on this seed's train part, which a composite model (the hybrid) may reuse.
   */
  createModel(name: ModelName, seed: number, fitted: ReadonlyMap<ModelName, M>): M;
  /**
   * Models that are not fitted here but built for each train part (imported models trained
   * elsewhere on exactly this train part, see imported-models.ts); ranked after the fitted ones.
   */
  prebuilt?: readonly PrebuiltModel[];
  progress?: Progress;
  /** Rank already-played items too (see `RankOptions.includePlayed`). */
  includePlayed?: boolean;
}

export interface PrebuiltModel {
  name: string;
  build(training: TrainingSet): Promise<Recommender>;
}

export interface MetricSummary {
  mean: MetricValues;
  /** Sample standard deviation over the seeds (0 for a single seed). */
  std: MetricValues;
}

export interface ModelResult extends MetricSummary {
  /** A trained model's name, or an imported one's. */
  model: string;
  /** Users evaluated (with at least one test item), averaged over seeds. */
  users: number;
  /** Wall time over all seeds. */
  fitSeconds: number;
  rankSeconds: number;
  /** Metrics at every K of the curve, ascending. */
  curve: ({ k: number } & MetricSummary)[];
}

export interface SplitSize {
  seed: number;
  trainPairs: number;
  testPairs: number;
  testUsers: number;
}

export interface EvaluationResult {
  protocol: Protocol;
  includePlayed: boolean;
  description: string;
  k: number;
  seeds: number[];
  users: number;
  items: number;
  splits: SplitSize[];
  results: ModelResult[];
  seconds: number;
}

export const DEFAULT_CURVE_KS = [1, 5, 10, 20, 50] as const;

export async function evaluateModels<M extends Recommender>(source: SplitSource, options: EvaluateOptions<M>): Promise<EvaluationResult> {
  const progress = options.progress ?? silentProgress;
  const started = performance.now();
  const ks = [...new Set([...(options.curveKs ?? DEFAULT_CURVE_KS), options.k])].sort((a, b) => a - b);
  const prebuilt = options.prebuilt ?? [];
  const names = [...options.models, ...prebuilt.map((model) => model.name)];
  const runs = new Map<string, { rankings: RankingResult[]; fitSeconds: number; rankSeconds: number }>();
  for (const name of names) runs.set(name, { rankings: [], fitSeconds: 0, rankSeconds: 0 });
  const splits: SplitSize[] = [];

  for (const seed of options.seeds) {
    progress.start(`splitting (${source.protocol}, seed ${seed})`);
    const split = await source.split(seed);
    const size = splitSize(seed, split);
    if (size.testUsers === 0) {
      throw new UserError(
        `the ${source.protocol} split (seed ${seed}) left no user with a test item (${source.description}); ` +
          "the data is too small for it: use more data, lower --min-user-items / --min-item-users, or another --protocol" +
          (source.protocol === "time" && !options.includePlayed ? " (or --include-played to count re-listened items)" : ""),
      );
    }
    splits.push(size);
    progress.done(`${size.trainPairs.toLocaleString("en")} train / ${size.testPairs.toLocaleString("en")} test pairs, ${size.testUsers.toLocaleString("en")} test users`);
    const times = source.trainTimes;
    const training: TrainingSet = {
      plays: split.train,
      catalog: source.catalog,
      userNames: source.userNames,
      ...(times && { lastPlayed: alignWithMatrix(split.train, times.rows, times.cols, times.lastPlayed) }),
    };
    const rank = (name: string, model: Recommender, fitSeconds: number) => {
      const run = runs.get(name)!;
      run.fitSeconds += fitSeconds;
      const t = performance.now();
      run.rankings.push(rankUsers(model, split, ks, { progress, includePlayed: options.includePlayed }));
      run.rankSeconds += (performance.now() - t) / 1000;
    };
    await fitModels<M>(options.models, training, {
      create: (name, fitted) => options.createModel(name, seed, fitted),
      progress,
      onFitted: rank,
    });
    for (const model of prebuilt) {
      const t = performance.now();
      const built = await model.build(training);
      rank(model.name, built, (performance.now() - t) / 1000);
    }
  }

  const results = names.map((name): ModelResult => {
    const run = runs.get(name)!;
    const curve = ks.map((k, j) => ({ k, ...summarize(run.rankings.map((r) => r.byK[j].metrics)) }));
    const headline = curve.find((point) => point.k === options.k)!;
    return {
      model: name,
      mean: headline.mean,
      std: headline.std,
      users: run.rankings.reduce((sum, r) => sum + r.users, 0) / Math.max(1, run.rankings.length),
      fitSeconds: run.fitSeconds,
      rankSeconds: run.rankSeconds,
      curve,
    };
  });
  return {
    protocol: source.protocol,
    includePlayed: Boolean(options.includePlayed),
    description: source.description,
    k: options.k,
    seeds: [...options.seeds],
    users: source.userNames.length,
    items: source.catalog.keys.length,
    splits,
    results,
    seconds: (performance.now() - started) / 1000,
  };
}

/** Mean and sample standard deviation (n − 1) of each metric over runs. */
export function summarize(runs: readonly MetricValues[]): MetricSummary {
  const mean = {} as MetricValues;
  const std = {} as MetricValues;
  for (const name of METRIC_NAMES) {
    const values = runs.map((r) => r[name]);
    const m = values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
    const variance = values.length > 1 ? values.reduce((a, v) => a + (v - m) ** 2, 0) / (values.length - 1) : 0;
    mean[name] = m;
    std[name] = Math.sqrt(variance);
  }
  return { mean, std };
}

function splitSize(seed: number, split: Split): SplitSize {
  let testUsers = 0;
  for (let u = 0; u < split.test.rows; u++) if (split.test.rowNnz(u) > 0 && split.train.rowNnz(u) > 0) testUsers++;
  return { seed, trainPairs: split.train.nnz, testPairs: split.test.nnz, testUsers };
}
