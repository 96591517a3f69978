/**
 * The one way a text names a catalogue item, for the CLI, the pages and the API alike: its item
 * key (what URLs carry), or a display name — "Artist" for an artist-level item, "Artist - Track"
 * (or "Artist – Track") for a track, where any " - " may be the separator because artist and
 * track names can contain one. Matching ignores case and spacing (src/data/item-key.ts keysNamedBy).
 */
import { itemLabel, type ItemCatalog } from "../data/interactions.js";
import { KEY_SEPARATOR, keysNamedBy } from "../data/item-key.js";
import { unknownNameError } from "./name-matching.js";

export class ItemLookup {
  private readonly index = new Map<string, number>();
  private artists: Map<string, number> | null = null;

  constructor(private readonly catalog: ItemCatalog) {
    catalog.keys.forEach((key, item) => this.index.set(key, item));
  }

  /** The item's dense index, or a 404 UserError suggesting close names. */
  find(text: string): number {
    for (const key of keysNamedBy(text)) {
      const item = this.index.get(key);
      if (item !== undefined) return item;
    }
    throw unknownNameError(this.catalog.level === "artist" ? "artist" : "item", text, this.labels());
  }

  /** The dense index of the item with exactly this key. */
  indexOfKey(key: string): number | undefined {
    return this.index.get(key);
  }

  /** The artist index (`catalog.artistIndex`) of an artist key; the map is built on first use. */
  artistIndexOfKey(artistKey: string): number | undefined {
    if (!this.artists) {
      this.artists = new Map();
      const { keys, artistIndex } = this.catalog;
      for (let item = 0; item < keys.length; item++) {
        const key = keys[item];
        const cut = key.indexOf(KEY_SEPARATOR);
        this.artists.set(cut < 0 ? key : key.slice(0, cut), artistIndex[item]);
      }
    }
    return this.artists.get(artistKey);
  }

  /** Display names with " - " (what people type), generated on demand: only a miss needs them. */
  private *labels(): Generator<string> {
    for (let item = 0; item < this.catalog.keys.length; item++) yield itemLabel(this.catalog, item).replace(" – ", " - ");
  }
}
