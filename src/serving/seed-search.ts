/**
 * The radio's seed picker: what a seed may be named — artists, and on track-level data every
 * "Artist - Track" — searched as the listener picker searches users (name-search.ts). The index is
 * built on the first search, so a server whose radio page is never used pays nothing for it.
 */
import type { ItemCatalog } from "../data/interactions.js";
import { listenerCounts } from "../data/listener-counts.js";
import type { TrainingSet } from "../data/training-set.js";
import { NameSearch } from "./name-search.js";

export interface SeedMatchView {
  /** What to type as the seed: "Artist" or "Artist - Track". */
  name: string;
  kind: "artist" | "track";
  /** Distinct listeners of the item (of an artist of track-level data: of its most-listened track). */
  listeners: number;
}

export interface SeedSearchResult {
  seeds: SeedMatchView[];
  total: number;
}

interface SeedIndex {
  search: NameSearch;
  names: string[];
  kinds: ("artist" | "track")[];
  listeners: Float32Array;
}

export class SeedSearch {
  private index: SeedIndex | null = null;

  constructor(private readonly training: TrainingSet) {}

  search(query: string, limit: number): SeedSearchResult {
    const { search, names, kinds, listeners } = (this.index ??= buildIndex(this.training.catalog, listenerCounts(this.training.plays)));
    const { indices, total } = search.search(query, limit);
    return { seeds: indices.map((n) => ({ name: names[n], kind: kinds[n], listeners: listeners[n] })), total };
  }
}

function buildIndex(catalog: ItemCatalog, itemListeners: Float32Array): SeedIndex {
  const names: string[] = [];
  const kinds: ("artist" | "track")[] = [];
  const listeners: number[] = [];
  if (catalog.level === "artist") {
    catalog.artists.forEach((artist, item) => (names.push(artist), kinds.push("artist"), listeners.push(itemListeners[item])));
  } else {
    const artistEntry = new Map<number, number>();
    for (let item = 0; item < catalog.keys.length; item++) {
      const entry = artistEntry.get(catalog.artistIndex[item]);
      if (entry === undefined) {
        artistEntry.set(catalog.artistIndex[item], names.length);
        names.push(catalog.artists[item]);
        kinds.push("artist");
        listeners.push(itemListeners[item]);
      } else {
        listeners[entry] = Math.max(listeners[entry], itemListeners[item]);
      }
    }
    for (let item = 0; item < catalog.keys.length; item++) {
      names.push(`${catalog.artists[item]} - ${catalog.tracks[item]}`);
      kinds.push("track");
      listeners.push(itemListeners[item]);
    }
  }
  return { search: new NameSearch(names), names, kinds, listeners: Float32Array.from(listeners) };
}
