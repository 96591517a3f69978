/**
 * The baseline: every user gets the items the most distinct users played. Reasons name the
 * user's items most co-listened with the recommendation (most users in common); similar items
 * are the most co-listened ones.
 */
import type { CsrMatrix } from "../data/csr.js";
import { listenerCounts } from "../data/listener-counts.js";
import { BaseRecommender } from "./base-recommender.js";
import { strongestReasons } from "./reasons.js";
import type { Reason, UserHistory } from "./recommender.js";
import type { TrainingSet } from "../data/training-set.js";

/** Learned by fit: how many distinct users played each item. */
export interface PopularityLearned {
  popularity: Float32Array;
}

export class PopularityRecommender extends BaseRecommender<Record<string, never>, PopularityLearned> {
  readonly name = "popularity" as const;
  private itemUsersCache: CsrMatrix | null = null;

  constructor() {
    super({});
  }

  protected learn(train: TrainingSet): PopularityLearned {
    return { popularity: listenerCounts(train.plays) };
  }

  protected override forgetDerived(): void {
    this.itemUsersCache = null;
  }

  scores(): Float32Array {
    return this.learned.popularity.slice();
  }

  itemSimilarities(item: number): Float32Array {
    const plays = this.training.plays;
    const together = new Float32Array(plays.cols);
    for (const user of this.itemUsers.rowIndices(item)) {
      for (const other of plays.rowIndices(user)) together[other]++;
    }
    return together;
  }

  explain(history: UserHistory, item: number, n?: number): Reason[] {
    const itemUsers = this.itemUsers;
    const listeners = new Set<number>(itemUsers.rowIndices(item));
    const shared = Float32Array.from(history.items, (mine) => {
      let count = 0;
      for (const user of itemUsers.rowIndices(mine)) if (listeners.has(user)) count++;
      return count;
    });
    return strongestReasons(history.items, shared, n);
  }

  private get itemUsers(): CsrMatrix {
    return (this.itemUsersCache ??= this.training.plays.transpose());
  }
}
