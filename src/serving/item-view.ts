/**
 * JSON/HTML-ready views of catalogue items. An item is addressed in URLs by its normalised item
 * key (src/ingest/normalize.ts; for tracks artist key + U+001F + track key), percent-encoded,
 * e.g. /api/items/radiohead%1Fcreep/similar (see page-urls.ts).
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

export const ITEM_VIEW_SCHEMA = {
  type: "object",
  required: ["key", "artist", "track", "album", "label"],
  properties: {
    key: { type: "string", description: "Item key: the address of the item in URLs (percent-encode it)" },
    artist: { type: "string" },
    track: { type: ["string", "null"] },
    album: { type: ["string", "null"] },
    label: { type: "string", description: "Artist – Track, or Artist for artist-level items" },
  },
} as const;

export const REASON_VIEW_SCHEMA = {
  type: "object",
  required: ["key", "label"],
  properties: { key: { type: "string" }, label: { type: "string" } },
} as const;
