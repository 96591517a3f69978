/**
 * A listener's opinions and recent plays resolved against one catalogue, as the sorted typed
 * arrays rankings take: what every model's recommendations, the playlists and the radio leave out
 * (bans, and tracks heard within a --not-heard-within window), and the loved items the history
 * used for scoring gains. Built once per listener and opinion snapshot (recommendation-service.ts).
 *
 * What each opinion means per catalogue level: a banned artist leaves out the artist (every track
 * of it, or the artist item); a banned track leaves out that track (at artist level a track
 * names no item: hating one recording does not ban its artist); a loved track counts as a play of
 * it (at artist level, of its artist).
 */
import type { ItemCatalog } from "../data/interactions.js";
import { sortedHas } from "../models/ranking.js";
import type { RecommendOptions, UserHistory } from "../models/recommender.js";
import type { Opinion } from "../store/feedback.js";
import type { ItemLookup } from "./item-lookup.js";

/** An item played recently, by the keys the store knows it by (src/store/feedback.ts playedSince). */
export interface RecentPlay {
  itemKey: string;
  artistKey: string;
}

export class ListenerFeedback {
  /** Banned items and items heard recently, merged: what `excludedItems` of a ranking gets. */
  readonly excludedItems: Int32Array;

  constructor(
    private readonly catalog: ItemCatalog,
    /** Banned catalogue items (track bans), ascending. */
    readonly bannedItems: Int32Array,
    /** Banned artists as `catalog.artistIndex` values, ascending. */
    readonly bannedArtists: Int32Array,
    /** Loved catalogue items, ascending (the history for scoring includes them). */
    readonly lovedItems: Int32Array,
    /** Items heard within the query's --not-heard-within window, ascending. */
    readonly recentItems: Int32Array = new Int32Array(0),
  ) {
    this.excludedItems = recentItems.length === 0 ? bannedItems : ascendingUnique([...bannedItems, ...recentItems]);
  }

  static none(catalog: ItemCatalog): ListenerFeedback {
    const empty = new Int32Array(0);
    return new ListenerFeedback(catalog, empty, empty, empty);
  }

  /** True when the item may not be suggested (banned, by an artist banned, or heard recently). */
  blocks(item: number): boolean {
    return sortedHas(this.excludedItems, item) || sortedHas(this.bannedArtists, this.catalog.artistIndex[item]);
  }

  /** True when the item or its artist is banned (recent plays aside). */
  isBanned(item: number): boolean {
    return sortedHas(this.bannedItems, item) || sortedHas(this.bannedArtists, this.catalog.artistIndex[item]);
  }

  /** The same listener with items heard recently left out too. */
  withRecent(recent: readonly RecentPlay[], lookup: ItemLookup): ListenerFeedback {
    const items: number[] = [];
    for (const play of recent) {
      const item = lookup.indexOfKey(this.catalog.level === "artist" ? play.artistKey : play.itemKey);
      if (item !== undefined) items.push(item);
    }
    return new ListenerFeedback(this.catalog, this.bannedItems, this.bannedArtists, this.lovedItems, ascendingUnique(items));
  }

  /** The ranking options that carry it (spread into RecommendOptions). */
  rankingOptions(): Pick<RecommendOptions, "excludedItems" | "excludedArtists"> {
    return {
      excludedItems: this.excludedItems.length > 0 ? this.excludedItems : undefined,
      excludedArtists: this.bannedArtists.length > 0 ? this.bannedArtists : undefined,
    };
  }

  /**
   * The history scoring uses: the played items plus the loved ones, a loved item counting as much
   * as the listener's most played item (loving a track is the strongest signal they give).
   */
  scoringHistory(history: UserHistory): UserHistory {
    if (this.lovedItems.length === 0) return history;
    let most = 1;
    for (const plays of history.plays) most = Math.max(most, plays);
    const plays = new Map<number, number>();
    history.items.forEach((item, i) => plays.set(item, history.plays[i]));
    for (const item of this.lovedItems) plays.set(item, Math.max(plays.get(item) ?? 0, most));
    const items = Int32Array.from(plays.keys()).sort();
    return { items, plays: Float32Array.from(items, (item) => plays.get(item)!) };
  }
}

/** Resolves a listener's opinions against the catalogue `lookup` indexes. */
export function resolveFeedback(catalog: ItemCatalog, lookup: ItemLookup, opinions: readonly Opinion[]): ListenerFeedback {
  if (opinions.length === 0) return ListenerFeedback.none(catalog);
  const artistLevel = catalog.level === "artist";
  const banned: number[] = [];
  const bannedArtists: number[] = [];
  const loved: number[] = [];
  for (const opinion of opinions) {
    if (opinion.target === "artist") {
      const artist = lookup.artistIndexOfKey(opinion.key);
      if (artist === undefined) continue;
      if (opinion.score < 0) bannedArtists.push(artist);
      else if (artistLevel) pushDefined(loved, lookup.indexOfKey(opinion.key));
    } else if (opinion.score > 0) {
      pushDefined(loved, lookup.indexOfKey(artistLevel ? (opinion.artistKey ?? "") : opinion.key));
    } else if (!artistLevel) {
      pushDefined(banned, lookup.indexOfKey(opinion.key));
    }
  }
  return new ListenerFeedback(catalog, ascendingUnique(banned), ascendingUnique(bannedArtists), ascendingUnique(loved));
}

function pushDefined(list: number[], value: number | undefined): void {
  if (value !== undefined) list.push(value);
}

function ascendingUnique(values: number[]): Int32Array {
  const sorted = Int32Array.from(values).sort();
  let n = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[n++] = sorted[i];
  return sorted.slice(0, n);
}
