/**
 * JSON/HTML-ready views of catalogue items. An item is addressed by its normalised item key
 * (src/data/item-key.ts; for tracks artist key + U+001F + track key), in URLs percent-encoded,
 * e.g. /api/items/radiohead%1Fcreep/similar (see serving/page-urls.ts).
 */
import type { ItemCatalog } from "../data/interactions.js";
import { itemLabel } from "../data/interactions.js";

export interface ItemView {
  key: string;
  artist: string;
  track: string | null;
  album: string | null;
  /** "Artist – Track", or "Artist" for artist-level items. */
  label: string;
}

/** A listener's own item named as a reason: enough to show it and link to it. */
export interface ReasonView {
  key: string;
  label: string;
}

export function itemView(catalog: ItemCatalog, item: number): ItemView {
  return {
    key: catalog.keys[item],
    artist: catalog.artists[item],
    track: catalog.tracks[item],
    album: catalog.albums[item],
    label: itemLabel(catalog, item),
  };
}
