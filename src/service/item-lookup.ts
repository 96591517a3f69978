/**
 * The one way a text names a catalogue item, for the CLI, the pages and the API alike: its item
 * key (what URLs carry), or a display name — "Artist" for an artist-level item, "Artist - Track"
 * (or "Artist – Track") for a track, where any " - " may be the separator because artist and
 * track names can contain one. Matching ignores case and spacing (src/data/item-key.ts keysNamedBy).
 * A radio seed may also name an artist of track-level data (`findSeed`).
 */
import { itemLabel, type ItemCatalog } from "../data/interactions.js";
import { artistKey, KEY_SEPARATOR, keysNamedBy } from "../data/item-key.js";
import { UserError } from "../util/errors.js";
import { closeMatches, unknownNameError } from "./name-matching.js";

/** What a radio seed names: one item, or (track-level data) an artist with all its items. */
export type SeedMatch = { kind: "item"; item: number } | { kind: "artist"; items: number[] };

/** The artist keys of each way "Artist - Track" may split (keysNamedBy lists its track keys after the text and its artist key). */
const artistKeysIn = (text: string): string[] => keysNamedBy(text).slice(2).map((key) => key.split(KEY_SEPARATOR)[0]);

export class ItemLookup {
  private readonly index = new Map<string, number>();
  private artists: Map<string, number> | null = null;

  constructor(private readonly catalog: ItemCatalog) {
    catalog.keys.forEach((key, item) => this.index.set(key, item));
  }

  /** The item's dense index, or a 404 UserError suggesting close names. */
  find(text: string): number {
    const item = this.lookup(text);
    if (item !== undefined) return item;
    throw unknownNameError(this.catalog.level === "artist" ? "artist" : "item", text, this.labels());
  }

  /**
   * A radio seed: an item ("Artist - Track", an artist of artist-level data, an item key), else on
   * track-level data an artist ("Artist": its items); a 404 suggesting close names otherwise.
   */
  findSeed(text: string): SeedMatch {
    const item = this.lookup(text);
    if (item !== undefined) return { kind: "item", item };
    if (this.catalog.level === "track") {
      const artist = this.artistIndexOfKey(artistKey(text));
      if (artist !== undefined) return { kind: "artist", items: this.itemsOfArtist(artist) };
      // "Artist - Unknown Track" of a known artist: offer the artist and its closest tracks.
      const known = artistKeysIn(text).map((key) => this.artistIndexOfKey(key)).find((found) => found !== undefined);
      if (known !== undefined) {
        const items = this.itemsOfArtist(known);
        const labels = items.map((item) => itemLabel(this.catalog, item).replace(" – ", " - "));
        const close = closeMatches(text, labels, 4);
        const offered = [this.catalog.artists[items[0]], ...(close.length > 0 ? close : labels.slice(0, 4))];
        throw new UserError(`unknown artist or track "${text}"; did you mean ${offered.map((name) => `"${name}"`).join(", ")}?`, 404);
      }
      throw unknownNameError("artist or track", text, this.seedNames());
    }
    // "Artist - Track" on artist-level data.
    const named = artistKeysIn(text).map((key) => this.index.get(key)).find((a) => a !== undefined);
    if (named !== undefined) {
      throw new UserError(`unknown artist "${text}": the models know artists, not tracks; use "${this.catalog.artists[named]}"`, 404);
    }
    throw unknownNameError("artist", text, this.labels());
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

  private lookup(text: string): number | undefined {
    for (const key of keysNamedBy(text)) {
      const item = this.index.get(key);
      if (item !== undefined) return item;
    }
    return undefined;
  }

  /** The items of one artist (a pass over the catalogue: once per artist seed). */
  private itemsOfArtist(artist: number): number[] {
    const items: number[] = [];
    for (let item = 0; item < this.catalog.artistIndex.length; item++) if (this.catalog.artistIndex[item] === artist) items.push(item);
    return items;
  }

  /** Display names with " - " (what people type), generated on demand: only a miss needs them. */
  private *labels(): Generator<string> {
    for (let item = 0; item < this.catalog.keys.length; item++) yield itemLabel(this.catalog, item).replace(" – ", " - ");
  }

  /** Artist names, then track labels: what a seed may be. */
  private *seedNames(): Generator<string> {
    const seen = new Set<number>();
    for (let item = 0; item < this.catalog.keys.length; item++) {
      if (seen.has(this.catalog.artistIndex[item])) continue;
      seen.add(this.catalog.artistIndex[item]);
      yield this.catalog.artists[item];
    }
    yield* this.labels();
  }
}
