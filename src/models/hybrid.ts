/**
 * Hybrid: one ranked list from collaborative (ALS, SVD) and content scores, fused as a weighted
 * sum of per-user z-scores. Weights are tuned on a validation split of the training data
 * (each user's most recent plays of items someone played before when the data has timestamps —
 * as the time protocol judges — else a random holdout), and CF weights shrink by n / (n + h) for a
 * history of n items so short histories lean on content. A user unknown to the CF models is
 * simply a history: content scores plus the CF models' fold-in.
 *
 * With fewer than FEW_LISTENERS listeners the collaborative models have next to nothing to learn
 * from (a handful of rows, little overlap): the hybrid then fuses content and popularity instead.
 */
import { randomHoldout, recentHoldout, restrictToTrained } from "../data/split.js";
import type { Progress } from "../util/progress.js";
import { BaseRecommender } from "./base-recommender.js";
import { listenerCounts } from "../data/listener-counts.js";
import { partWeight, tuneFusion, tuningThreads } from "./hybrid-tuning.js";
import { defaultThreads } from "../util/worker-pool.js";
import type { ModelState } from "./model-state.js";
import type { ModelName, UserHistory } from "./recommender.js";
import type { TrainingSet } from "../data/training-set.js";
import { addStandardized } from "./standardize.js";

export type HybridPartName = Exclude<ModelName, "hybrid">;

export interface HybridParams {
  parts: HybridPartName[];
  validationFraction: number;
  /** Users sampled from the validation split for tuning. */
  validationUsers: number;
  seed: number;
}

export const DEFAULT_HYBRID_PARAMS: HybridParams = {
  parts: ["als", "svd", "content"],
  validationFraction: 0.2,
  validationUsers: 1000,
  seed: 0,
};

const COLLABORATIVE: ReadonlySet<HybridPartName> = new Set(["als", "svd"]);

/** Below this many listeners (users with plays) the hybrid leans on content and popularity. */
export const FEW_LISTENERS = 20;
const FEW_LISTENERS_PARTS: HybridPartName[] = ["content", "popularity"];

/** The parts fused for a training set: the configured ones, or content + popularity for few listeners. */
export function hybridPartsFor(train: TrainingSet, configured: HybridPartName[]): HybridPartName[] {
  let listeners = 0;
  for (let u = 0; u < train.plays.rows; u++) if (train.plays.rowNnz(u) > 0) listeners++;
  return listeners < FEW_LISTENERS ? FEW_LISTENERS_PARTS : configured;
}

export type PartFactory = (name: HybridPartName) => BaseRecommender;

/** Learned by fit: the fusion weights tuned on a validation split, and how well they did there. */
export interface HybridLearned {
  /** The parts fused: `params.parts`, or content + popularity for fewer than FEW_LISTENERS listeners. */
  parts: HybridPartName[];
  /** Fusion weight of each part, summing to 1. */
  weights: Record<string, number>;
  /** History length at which CF parts get half their weight (0 = never faded). */
  shrinkage: number;
  /** Validation NDCG@10 of the tuned fusion, and of each part alone. */
  validationNdcg: number;
  partNdcg: Record<string, number>;
}

export class HybridRecommender extends BaseRecommender<HybridParams, HybridLearned> {
  readonly name = "hybrid" as const;
  /** The fitted parts, in `learned.parts` order (learned with the weights; persisted as components). */
  private parts: BaseRecommender[] = [];
  /** One part's scores during scoresInto, reused. */
  private partBuffer: Float32Array | null = null;

  /**
   * @param createPart makes an unfitted part (used for the validation fits and final fits).
   * @param fittedParts parts already fitted on the same training set, reused instead of refitting.
   */
  constructor(
    params: Partial<HybridParams>,
    private readonly createPart: PartFactory,
    private readonly fittedParts: ReadonlyMap<string, BaseRecommender> = new Map(),
  ) {
    super({ ...DEFAULT_HYBRID_PARAMS, ...params });
  }

  override restore(state: ModelState, train: TrainingSet): this {
    // Bundles saved before the fused parts were learned state fused `params.parts`.
    const learned = state.learned as HybridLearned;
    const parts = learned.parts ?? this.params.parts;
    this.parts = parts.map((name) => {
      const part = state.components?.[name];
      if (!(part instanceof BaseRecommender)) throw new Error(`hybrid bundle is missing its ${name} part`);
      return part;
    });
    return super.restore({ ...state, learned: { ...learned, parts } }, train);
  }

  protected async learn(train: TrainingSet, progress?: Progress): Promise<HybridLearned> {
    const { validationFraction, seed } = this.params;
    const parts = hybridPartsFor(train, this.params.parts);
    // Timestamped data is validated on each user's most recent plays: what they will play next is
    // what recommendations are for, and a random holdout rewards content (same-album) matches.
    // Like the time protocol, only items someone played in the rest can be validation targets.
    const split = train.lastPlayed
      ? restrictToTrained(recentHoldout(train.plays, train.lastPlayed, validationFraction, seed))
      : randomHoldout(train.plays, validationFraction, seed);
    const subTrain: TrainingSet = { plays: split.train, catalog: train.catalog, userNames: train.userNames };
    // A part that does not learn from plays (content) would learn the same on the split: it is
    // fitted once, on all the training data, and serves both validation and the final model.
    const validationParts: BaseRecommender[] = [];
    const fittedOnTrain = new Map(this.fittedParts);
    for (const name of parts) {
      let part = fittedOnTrain.get(name) ?? this.createPart(name);
      if (part.learnsFromPlays) {
        part = this.createPart(name);
        await part.fit(subTrain, progress);
      } else if (!fittedOnTrain.has(name)) {
        await part.fit(train, progress);
        fittedOnTrain.set(name, part);
      }
      validationParts.push(part);
    }
    progress?.start("hybrid: tuning fusion weights");
    const { validationUsers } = this.params;
    const threads = tuningThreads(Math.min(validationUsers, train.plays.rows), train.plays.cols, parts.length, defaultThreads());
    const tuned = await tuneFusion(
      { parts: validationParts, isCollaborative: parts.map((name) => COLLABORATIVE.has(name)), train: split.train, validation: split.test },
      { maxUsers: validationUsers, seed, threads, training: subTrain },
    );
    const summary = parts.map((name, p) => `${name} ${tuned.weights[p].toFixed(1)} (alone ${tuned.partNdcg[p].toFixed(3)})`);
    progress?.done(`${summary.join(", ")}, shrinkage ${tuned.shrinkage}, validation NDCG@10 ${tuned.validationNdcg.toFixed(3)}`);

    this.parts = [];
    for (const name of parts) {
      let part = fittedOnTrain.get(name);
      if (!part) {
        part = this.createPart(name);
        await part.fit(train, progress);
      }
      this.parts.push(part);
    }
    const byPart = (values: number[]) => Object.fromEntries(parts.map((name, p) => [name, values[p]]));
    return { parts, weights: byPart(tuned.weights), shrinkage: tuned.shrinkage, validationNdcg: tuned.validationNdcg, partNdcg: byPart(tuned.partNdcg) };
  }

  override exportState(): ModelState {
    return { ...super.exportState(), components: Object.fromEntries(this.learned.parts.map((name, p) => [name, this.parts[p]])) };
  }

  override async prepare(pause: () => Promise<void>): Promise<void> {
    for (const part of this.parts) await part.prepare(pause);
  }

  /** Fused part scores; an empty history (nothing to fold in) gets the most-listened items. */
  scoresInto(history: UserHistory, out: Float32Array): Float32Array {
    const n = history.items.length;
    if (n === 0) {
      out.set(listenerCounts(this.training.plays));
      return out;
    }
    const partScores = this.partBuffer?.length === out.length ? this.partBuffer : (this.partBuffer = new Float32Array(out.length));
    return this.fuse((part) => part.scoresInto(history, partScores), (p) => this.weightOf(p, n), out);
  }

  /** The parts' training scores, fused as a fold-in of the user's row would be. */
  override trainingScores(user: number): Float32Array {
    const n = this.training.plays.rowNnz(user);
    if (n === 0) return listenerCounts(this.training.plays);
    return this.fuse((part) => part.trainingScores(user), (p) => this.weightOf(p, n));
  }

  itemSimilarities(item: number): Float32Array {
    return this.fuse((part) => part.itemSimilarities(item), (p) => this.learned.weights[this.learned.parts[p]]);
  }

  /**
   * Each part's reasons — its positive contributions, or all of them when none is positive —
   * scaled to its strongest one and by the part's weight, summed per history item; NaN for an item
   * no part counts.
   */
  contributions(history: UserHistory, item: number): Float32Array {
    return this.contributionsTo(history)(item);
  }

  override contributionsTo(history: UserHistory): (item: number) => Float32Array {
    const parts = this.parts.map((part, p) => {
      const w = this.weightOf(p, history.items.length);
      return w > 0 ? { w, contributionsTo: part.contributionsTo(history) } : null;
    });
    return (item) => {
      const merged = new Float64Array(history.items.length).fill(Number.NaN);
      for (const part of parts) {
        if (!part) continue;
        const { w } = part;
        const c = part.contributionsTo(item);
        let anyPositive = false;
        for (let i = 0; i < c.length && !anyPositive; i++) anyPositive = c[i] > 0;
        let top = 1e-12;
        for (let i = 0; i < c.length; i++) if (!anyPositive || c[i] > 0) top = Math.max(top, Math.abs(c[i]));
        for (let i = 0; i < c.length; i++) {
          if (anyPositive && !(c[i] > 0)) continue;
          merged[i] = (Number.isNaN(merged[i]) ? 0 : merged[i]) + (w * c[i]) / top;
        }
      }
      return Float32Array.from(merged);
    };
  }

  private weightOf(p: number, historyLength: number): number {
    const name = this.learned.parts[p];
    return partWeight(this.learned.weights[name], COLLABORATIVE.has(name), this.learned.shrinkage, historyLength);
  }

  /** Σ weight · standardize(part scores) into `out` (a new vector when not given). */
  private fuse(scoresOf: (part: BaseRecommender) => Float32Array, weightOf: (p: number) => number, out: Float32Array = new Float32Array(this.training.plays.cols)): Float32Array {
    out.fill(0);
    this.parts.forEach((part, p) => {
      const w = weightOf(p);
      if (w !== 0) addStandardized(scoresOf(part), w, out);
    });
    return out;
  }
}
