/**
 * The baseline: every user gets the items the most distinct users played. Reasons name the
 * user's items most co-listened with the recommendation (most users in common); similar items
 * are the most co-listened ones.
 */
import type { CsrMatrix } from "../data/csr.js";
import { listenerCounts } from "../data/listener-counts.js";
import { BaseRecommender } from "./base-recommender.js";
import type { UserHistory } from "./recommender.js";
import type { TrainingSet } from "../data/training-set.js";

/** Learned by fit: how many distinct users played each item. */
export interface PopularityLearned {
  popularity: Float32Array;
}

export class PopularityRecommender extends BaseRecommender<Record<string, never>, PopularityLearned> {
  readonly name = "popularity" as const;
  private itemUsersCache: CsrMatrix | null = null;
  /** Marks the listeners of one item while its reasons are counted (all zero in between). */
  private listenerMask: Uint8Array | null = null;

  constructor() {
    super({});
  }

  protected learn(train: TrainingSet): PopularityLearned {
    return { popularity: listenerCounts(train.plays) };
  }

  protected override forgetDerived(): void {
    this.itemUsersCache = null;
    this.listenerMask = null;
  }

  scoresInto(_history: UserHistory, out: Float32Array): Float32Array {
    out.set(this.learned.popularity);
    return out;
  }

  itemSimilarities(item: number): Float32Array {
    const plays = this.training.plays;
    const together = new Float32Array(plays.cols);
    for (const user of this.itemUsers.rowIndices(item)) {
      for (const other of plays.rowIndices(user)) together[other]++;
    }
    return together;
  }

  /** Listeners each of the history's items shares with `item`. */
  contributions(history: UserHistory, item: number): Float32Array {
    const { indptr, indices } = this.itemUsers;
    const listens = (this.listenerMask ??= new Uint8Array(this.training.plays.rows));
    for (let p = indptr[item]; p < indptr[item + 1]; p++) listens[indices[p]] = 1;
    const shared = new Float32Array(history.items.length);
    for (let i = 0; i < shared.length; i++) {
      const mine = history.items[i];
      let count = 0;
      for (let p = indptr[mine]; p < indptr[mine + 1]; p++) count += listens[indices[p]];
      shared[i] = count;
    }
    for (let p = indptr[item]; p < indptr[item + 1]; p++) listens[indices[p]] = 0;
    return shared;
  }

  private get itemUsers(): CsrMatrix {
    return (this.itemUsersCache ??= this.training.plays.transpose());
  }
}
