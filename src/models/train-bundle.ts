/**
 * The training pipeline shared by `musicrec train` and `musicrec demo`: load the store's
 * interactions, k-core filter, fit the chosen models (parts before the hybrid, which reuses them)
 * and save the bundle next to the store. Models imported into the previous bundle (`musicrec
 * import-model`) are kept, their factors matched to the new catalogue by item key.
 */
import type { Progress } from "../util/progress.js";
import { bundleDirFor } from "../util/config.js";
import type { ItemLevel } from "../data/interactions.js";
import { trainingSetFor, type KCoreChoice } from "../data/k-core-choice.js";
import { UserError } from "../util/errors.js";
import { defaultLevel, loadInteractions } from "../store/load-interactions.js";
import { Store } from "../store/store.js";
import { BUNDLE_VERSION, loadBundle, saveBundle } from "./bundle.js";
import { ImportedAlsRecommender } from "./imported-als.js";
import type { TrainingSet } from "../data/training-set.js";
import { fitModels } from "./fit-models.js";
import { learnedSummary } from "./model-state.js";
import { MODEL_NAMES, type ModelName, type Recommender } from "./recommender.js";
import { DEFAULT_PARAMS, type ModelParams } from "./registry.js";

export interface TrainOptions {
  models?: readonly ModelName[];
  params?: ModelParams;
  /** Default: track when the store has tracks. */
  level?: ItemLevel;
  /** k-core thresholds; undefined = chosen from the data (data/k-core-choice.ts). */
  minUserItems?: number;
  minItemUsers?: number;
}

export interface TrainSummary {
  bundle: string;
  level: ItemLevel;
  users: number;
  items: number;
  interactions: number;
  kCore: KCoreChoice;
  seconds: Partial<Record<ModelName, number>>;
  params: ModelParams;
  /** What each model learned, arrays shown as type and length (e.g. the hybrid's fusion weights). */
  learned: Partial<Record<ModelName, unknown>>;
  /** Imported models kept from the previous bundle, with the catalogue items they have factors for. */
  imported: { name: string; coveredItems: number }[];
}

export async function trainBundle(dbPath: string, options: TrainOptions, progress: Progress): Promise<TrainSummary> {
  const names = options.models ?? MODEL_NAMES;
  const params = options.params ?? DEFAULT_PARAMS;

  const store = await Store.open(dbPath, { readOnly: true });
  let data;
  let synthetic;
  try {
    if (await store.isEmpty()) throw new UserError(`the store ${dbPath} is empty: import data first (musicrec import FILE)`);
    const level = options.level ?? (await defaultLevel(store));
    progress.start(`loading ${level}-level interactions`);
    data = await loadInteractions(store, { level });
    synthetic = await store.isSynthetic();
    progress.done(`${data.userNames.length.toLocaleString("en")} users, ${data.catalog.keys.length.toLocaleString("en")} items`);
  } finally {
    store.close();
  }
  progress.start("k-core filtering");
  const { training, kCore } = trainingSetFor(data, { minUserItems: options.minUserItems, minItemUsers: options.minItemUsers });
  progress.done(kCore.description);

  const { models, seconds } = await fitModels(
    MODEL_NAMES.filter((n) => names.includes(n)),
    training,
    { params, progress },
  );
  const dir = bundleDirFor(dbPath);
  const imported = await keptImports(dir, training);
  progress.start(`saving bundle to ${dir}`);
  await saveBundle(dir, {
    version: BUNDLE_VERSION,
    trainedAt: new Date().toISOString(),
    // The k-core as asked: chosen again from the data when it was chosen automatically.
    options: { level: training.catalog.level, minUserItems: options.minUserItems, minItemUsers: options.minItemUsers },
    training,
    models: new Map<string, Recommender>([...models, ...imported]),
    params,
    synthetic,
  });
  progress.done();

  return {
    bundle: dir,
    level: training.catalog.level,
    users: training.plays.rows,
    items: training.plays.cols,
    interactions: training.plays.nnz,
    kCore,
    seconds,
    params,
    learned: Object.fromEntries([...models].map(([name, model]) => [name, learnedSummary(model.learned)])),
    imported: [...imported].map(([name, model]) => ({ name, coveredItems: model.coveredItems })),
  };
}

/** The previous bundle's imported models over the new catalogue (none when there is no readable bundle of the same item level). */
async function keptImports(dir: string, training: TrainingSet): Promise<Map<string, ImportedAlsRecommender>> {
  const previous = await loadBundle(dir, { importedOnly: true }).catch(() => null);
  const kept = new Map<string, ImportedAlsRecommender>();
  if (!previous || previous.training.catalog.level !== training.catalog.level) return kept;
  for (const [name, model] of previous.models) if (model instanceof ImportedAlsRecommender) kept.set(name, model.forTraining(training));
  return kept;
}
