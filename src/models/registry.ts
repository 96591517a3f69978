/**
 * Model construction by name, with every hyperparameter's default in one place, and restoring a
 * model from persisted state.
 */
import { AlsRecommender, DEFAULT_ALS_PARAMS, type AlsParams } from "./als.js";
import type { BaseRecommender } from "./base-recommender.js";
import { ContentRecommender, DEFAULT_CONTENT_PARAMS, type ContentParams } from "./content.js";
import { DEFAULT_HYBRID_PARAMS, HybridRecommender, type HybridParams, type HybridPartName } from "./hybrid.js";
import type { ModelState } from "./model-state.js";
import { PopularityRecommender } from "./popularity.js";
import type { ModelName } from "./recommender.js";
import type { TrainingSet } from "../data/training-set.js";
import { DEFAULT_SVD_PARAMS, SvdRecommender, type SvdParams } from "./svd.js";

export interface ModelParams {
  als: AlsParams;
  svd: SvdParams;
  content: ContentParams;
  hybrid: HybridParams;
}

export type ModelParamsInput = { [K in keyof ModelParams]?: Partial<ModelParams[K]> };

export const DEFAULT_PARAMS: ModelParams = {
  als: DEFAULT_ALS_PARAMS,
  svd: DEFAULT_SVD_PARAMS,
  content: DEFAULT_CONTENT_PARAMS,
  hybrid: DEFAULT_HYBRID_PARAMS,
};

/** Defaults overridden by whatever `params` sets, per model. */
export function resolveParams(params: ModelParamsInput = {}): ModelParams {
  return {
    als: { ...DEFAULT_PARAMS.als, ...params.als },
    svd: { ...DEFAULT_PARAMS.svd, ...params.svd },
    content: { ...DEFAULT_PARAMS.content, ...params.content },
    hybrid: { ...DEFAULT_PARAMS.hybrid, ...params.hybrid },
  };
}

/**
 * An unfitted model. `fittedParts` lets the hybrid reuse parts already fitted on the same
 * training set instead of fitting them a second time.
 */
export function createModel(
  name: ModelName,
  params: ModelParamsInput = {},
  fittedParts: ReadonlyMap<string, BaseRecommender> = new Map(),
): BaseRecommender {
  const resolved = resolveParams(params);
  switch (name) {
    case "popularity":
      return new PopularityRecommender();
    case "content":
      return new ContentRecommender(resolved.content);
    case "svd":
      return new SvdRecommender(resolved.svd);
    case "als":
      return new AlsRecommender(resolved.als);
    case "hybrid":
      return new HybridRecommender(resolved.hybrid, (part: HybridPartName) => createModel(part, resolved), fittedParts);
  }
}

/** A fitted model from its persisted state (components already restored). */
export function restoreModel(name: ModelName, state: ModelState, train: TrainingSet, params: ModelParamsInput = {}): BaseRecommender {
  switch (name) {
    case "popularity":
      return PopularityRecommender.fromState(state, train);
    case "content":
      return ContentRecommender.fromState(state, train);
    case "svd":
      return SvdRecommender.fromState(state, train);
    case "als":
      return AlsRecommender.fromState(state, train);
    case "hybrid": {
      const resolved = resolveParams(params);
      return HybridRecommender.fromState(state, train, (part) => createModel(part, resolved));
    }
  }
}
