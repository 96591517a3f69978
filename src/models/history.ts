/**
 * An uploaded listening history in the models' item index, matched to the catalogue by
 * normalised item key (artist key for an artist-level catalogue, so track rows of one artist add
 * up). A training user's history is simply their row (src/service/recommendation-service.ts).
 */
import type { ItemCatalog } from "../data/interactions.js";
import { artistKey, itemKey } from "../data/item-key.js";
import type { UserHistory } from "./recommender.js";

/** The fields of an uploaded history row (ParsedHistory's HistoryRow) that matching needs. */
export interface PlayedRow {
  artist: string;
  track: string | null;
  plays: number;
}

export function historyFromRows(catalog: ItemCatalog, rows: readonly PlayedRow[]): { history: UserHistory; unmatched: number } {
  const index = new Map<string, number>();
  catalog.keys.forEach((key, item) => index.set(key, item));
  const plays = new Map<number, number>();
  let unmatched = 0;
  for (const row of rows) {
    const key = catalog.level === "artist" ? artistKey(row.artist) : row.track == null ? null : itemKey(row.artist, row.track);
    const item = key == null ? undefined : index.get(key);
    if (item === undefined) {
      unmatched++;
      continue;
    }
    plays.set(item, (plays.get(item) ?? 0) + Math.max(row.plays, 0));
  }
  const items = Int32Array.from(plays.keys()).sort();
  return { history: { items, plays: Float32Array.from(items, (item) => plays.get(item)!) }, unmatched };
}
