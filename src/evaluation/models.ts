/**
 * How the evaluation makes its models: the registry's defaults (the same models `musicrec train`
 * fits), with the run's seed for every randomised part, and the hybrid reusing the parts already
 * fitted on the same train split (as training does) instead of fitting them again.
 */
import type { BaseRecommender } from "../models/base-recommender.js";
import type { ModelName } from "../models/recommender.js";
import { createModel } from "../models/registry.js";

export function evaluationModel(name: ModelName, seed: number, fitted: ReadonlyMap<ModelName, BaseRecommender>): BaseRecommender {
  return createModel(name, { svd: { seed }, als: { seed }, hybrid: { seed } }, fitted);
}
