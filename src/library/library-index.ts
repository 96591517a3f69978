/**
 * The library against a model's catalogue, for queries: which items you own (a mask for
 * --library-only), and per item what a playlist can say of it — the matched file with its
 * duration, and MusicBrainz ids from the file's tags or the catalogue (item_mbids).
 */
import type { ItemCatalog } from "../data/interactions.js";
import type { Store } from "../store/store.js";
import { loadLibraryFiles, type LibraryFile } from "./library-store.js";
import { MATCHED_BY, matchLibrary } from "./match.js";
import { summarizeMatches, type MatchSummary } from "./scan-library.js";

export interface ItemMbids {
  recording: string | null;
  artist: string | null;
}

/** What a playlist knows of one catalogue item. */
export interface LocalTrackInfo extends ItemMbids {
  file: string | null;
  durationMs: number | null;
}

export class LibraryIndex {
  /** 1 for catalogue items the library has a file of. */
  readonly ownedItems: Uint8Array;
  readonly owned: number;
  /** Matching of the library files against this catalogue. */
  readonly match: MatchSummary;
  private readonly fileOfItem: Int32Array;

  constructor(
    readonly catalog: ItemCatalog,
    readonly files: readonly LibraryFile[],
    private readonly catalogueMbids: ReadonlyMap<string, ItemMbids> = new Map(),
  ) {
    const byMbid = new Map<string, number>();
    catalog.keys.forEach((key, item) => {
      const ids = catalogueMbids.get(key);
      const id = catalog.level === "artist" ? ids?.artist : ids?.recording;
      if (id && !byMbid.has(id)) byMbid.set(id, item);
    });
    const readable = files.filter((f) => f.error == null);
    const result = matchLibrary(catalog, readable, byMbid);
    this.files = readable;
    this.fileOfItem = result.fileOfItem;
    this.ownedItems = Uint8Array.from(result.fileOfItem, (f) => (f >= 0 ? 1 : 0));
    this.owned = this.ownedItems.reduce((sum, v) => sum + v, 0);
    this.match = summarizeMatches(
      readable.map((f, i) => ({ ...f, matchedBy: MATCHED_BY[result.matchedBy[i]] })),
      catalog.level === "artist",
    );
  }

  /** The library's files and the catalogue's MusicBrainz ids, matched against `catalog`. */
  static async load(store: Store, catalog: ItemCatalog): Promise<LibraryIndex> {
    const files = await loadLibraryFiles(store);
    const rows = await store.all(
      "SELECT i.key, any_value(lower(m.recording_mbid)) AS recording, any_value(lower(m.artist_mbid)) AS artist FROM item_mbids m JOIN items i USING (item_id) GROUP BY i.key",
    );
    const mbids = new Map(rows.map((r) => [String(r.key), { recording: r.recording == null ? null : String(r.recording), artist: r.artist == null ? null : String(r.artist) }]));
    return new LibraryIndex(catalog, files, mbids);
  }

  /** Library file, duration and MusicBrainz ids of a catalogue item (tags first, then the catalogue). */
  trackInfo(item: number): LocalTrackInfo {
    const f = this.fileOfItem[item];
    const file = f >= 0 ? this.files[f] : null;
    const known = this.catalogueMbids.get(this.catalog.keys[item]);
    return {
      file: file?.path ?? null,
      durationMs: file?.durationMs ?? null,
      recording: (this.catalog.level === "track" ? file?.recordingMbid : null) ?? known?.recording ?? null,
      artist: file?.artistMbid ?? known?.artist ?? null,
    };
  }
}
