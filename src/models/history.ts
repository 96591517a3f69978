/**
 * Listening histories in the models' item index: a training user's own row, or an uploaded
 * history matched to the catalogue by normalised item key (artist key for an artist-level
 * catalogue, so track rows of one artist add up).
 */
import type { ItemCatalog } from "../data/interactions.js";
import { artistKey, itemKey } from "../data/item-key.js";
import type { UserHistory } from "./recommender.js";
import type { TrainingSet } from "../data/training-set.js";

/** The fields of an uploaded history row (ParsedHistory's HistoryRow) that matching needs. */
export interface PlayedRow {
  artist: string;
  track: string | null;
  plays: number;
}

export function historyOfUser(training: TrainingSet, user: string): UserHistory | null {
  const index = training.userNames.indexOf(user);
  if (index < 0) return null;
  return { items: training.plays.rowIndices(index).slice(), plays: training.plays.rowData(index).slice() };
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
