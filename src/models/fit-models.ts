/**
 * The one place models are fitted as a set (training, evaluation, benchmarks, test fixtures):
 * each requested model once, parts before the models built from them, so the hybrid reuses an
 * ALS, SVD or content model fitted in the same run instead of fitting it a second time.
 */
import type { TrainingSet } from "../data/training-set.js";
import type { Progress } from "../util/progress.js";
import type { BaseRecommender } from "./base-recommender.js";
import type { ModelName, Recommender } from "./recommender.js";
import { createModel, partsOf, type ModelParamsInput } from "./registry.js";

export interface FitModelsOptions<M extends Recommender> {
  params?: ModelParamsInput;
  /**
   * Makes an unfitted model given the models fitted so far (default: the registry's, with
   * `params`). Evaluation passes its per-seed models here.
   */
  create?: (name: ModelName, fitted: ReadonlyMap<ModelName, M>) => M;
  progress?: Progress;
  /** Called right after each model is fitted (evaluation ranks it there, before the next fit). */
  onFitted?: (name: ModelName, model: M, seconds: number) => void | Promise<void>;
}

export interface FitResult<M extends Recommender> {
  /** Fitted models in fitting order. */
  models: Map<ModelName, M>;
  /** Fit wall time per model. */
  seconds: Partial<Record<ModelName, number>>;
}

/** `names` with every requested part moved before the models built from it; duplicates dropped. */
export function fitOrder(names: readonly ModelName[], params: ModelParamsInput = {}): ModelName[] {
  const requested = new Set(names);
  const order: ModelName[] = [];
  const visit = (name: ModelName) => {
    if (order.includes(name)) return;
    for (const part of partsOf(name, params)) if (requested.has(part)) visit(part);
    order.push(name);
  };
  names.forEach(visit);
  return order;
}

export async function fitModels<M extends Recommender = BaseRecommender>(
  names: readonly ModelName[],
  training: TrainingSet,
  options: FitModelsOptions<M> = {},
): Promise<FitResult<M>> {
  const create = options.create ?? ((name, fitted) => createModel(name, options.params, fitted as unknown as ReadonlyMap<ModelName, BaseRecommender>) as unknown as M);
  const models = new Map<ModelName, M>();
  const seconds: Partial<Record<ModelName, number>> = {};
  for (const name of fitOrder(names, options.params)) {
    const model = create(name, models);
    const started = performance.now();
    await model.fit(training, options.progress);
    seconds[name] = (performance.now() - started) / 1000;
    models.set(name, model);
    await options.onFitted?.(name, model, seconds[name]);
  }
  return { models, seconds };
}
