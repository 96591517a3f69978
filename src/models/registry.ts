/**
 * Every model by name: its hyperparameter defaults, how to make it, how to restore it from
 * persisted state, and which other models it is built from (the hybrid's parts). Anything that
 * handles "all models" (training, evaluation, the contract test) iterates this registry.
 */
import { AlsRecommender, DEFAULT_ALS_PARAMS, type AlsParams } from "./als.js";
import type { BaseRecommender } from "./base-recommender.js";
import { ContentRecommender, DEFAULT_CONTENT_PARAMS, type ContentParams } from "./content.js";
import { DEFAULT_HYBRID_PARAMS, HybridRecommender, type HybridParams, type HybridPartName } from "./hybrid.js";
import type { ModelState } from "./model-state.js";
import { PopularityRecommender } from "./popularity.js";
import type { ModelName, Recommender } from "./recommender.js";
import { ImportedAlsRecommender, type ImportedAlsParams } from "./imported-als.js";
import { UserError } from "../util/errors.js";
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

/** Models fitted so far on the same training set, by name. */
export type FittedModels = ReadonlyMap<ModelName, BaseRecommender>;

interface ModelSpec {
  /** An unfitted model; a composite reuses the parts in `fitted` instead of fitting them again. */
  create(params: ModelParams, fitted: FittedModels): BaseRecommender;
  /** A fitted model from its persisted state (components already restored). */
  restore(state: ModelState, train: TrainingSet, params: ModelParams): BaseRecommender;
  /** The models this one is built from. */
  parts(params: ModelParams): readonly ModelName[];
}

const partFactory = (params: ModelParams) => (part: HybridPartName) => createModel(part, params);

export const MODEL_REGISTRY: { readonly [N in ModelName]: ModelSpec } = {
  popularity: {
    create: () => new PopularityRecommender(),
    restore: (state, train) => new PopularityRecommender().restore(state, train),
    parts: () => [],
  },
  content: {
    create: (params) => new ContentRecommender(params.content),
    restore: (state, train) => new ContentRecommender(state.params).restore(state, train),
    parts: () => [],
  },
  svd: {
    create: (params) => new SvdRecommender(params.svd),
    restore: (state, train) => new SvdRecommender(state.params).restore(state, train),
    parts: () => [],
  },
  als: {
    create: (params) => new AlsRecommender(params.als),
    restore: (state, train) => new AlsRecommender(state.params).restore(state, train),
    parts: () => [],
  },
  hybrid: {
    create: (params, fitted) => new HybridRecommender(params.hybrid, partFactory(params), fitted),
    restore: (state, train, params) => new HybridRecommender(state.params, partFactory(params)).restore(state, train),
    parts: (params) => params.hybrid.parts,
  },
};

/** An unfitted model. `fitted` lets the hybrid reuse parts already fitted on the same training set. */
export function createModel(name: ModelName, params: ModelParamsInput = {}, fitted: FittedModels = new Map()): BaseRecommender {
  return MODEL_REGISTRY[name].create(resolveParams(params), fitted);
}

/** A fitted model from its persisted state (components already restored). */
export function restoreModel(name: ModelName, state: ModelState, train: TrainingSet, params: ModelParamsInput = {}): BaseRecommender {
  return MODEL_REGISTRY[name].restore(state, train, resolveParams(params));
}

/** The models `name` is built from. */
export function partsOf(name: ModelName, params: ModelParamsInput = {}): readonly ModelName[] {
  return MODEL_REGISTRY[name].parts(resolveParams(params));
}

/**
 * Models that are imported rather than trained (`musicrec import-model`), by the kind the bundle
 * records: how to restore one under the name it was imported as, and how to recognise one.
 */
const IMPORTED_KINDS = {
  "spark-als": {
    restore: (name: string, state: ModelState, train: TrainingSet): BaseRecommender =>
      new ImportedAlsRecommender(name, state.params as ImportedAlsParams).restore(state, train),
    is: (model: Recommender) => model instanceof ImportedAlsRecommender,
  },
} as const;

export type ImportedKind = keyof typeof IMPORTED_KINDS;

/** The imported kind of a model, or undefined for a trained one. */
export function importedKindOf(model: Recommender): ImportedKind | undefined {
  return (Object.keys(IMPORTED_KINDS) as ImportedKind[]).find((kind) => IMPORTED_KINDS[kind].is(model));
}

export function restoreImported(kind: ImportedKind, name: string, state: ModelState, train: TrainingSet): BaseRecommender {
  const spec = IMPORTED_KINDS[kind];
  if (!spec) throw new UserError(`the model bundle holds "${name}" of an unknown kind "${String(kind)}" — import it again with this musicrec`, 409);
  return spec.restore(name, state, train);
}
