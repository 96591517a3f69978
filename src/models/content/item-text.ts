/**
 * The text TF-IDF sees for one item: artist, album and track title, then the artist's tags.
 * Tags are the strongest signal for artists (names alone rarely relate two artists).
 */
import type { ItemCatalog } from "../../data/interactions.js";

export function itemText(catalog: ItemCatalog, item: number): string {
  const parts = [catalog.artists[item], catalog.albums[item] ?? "", catalog.tracks[item] ?? "", ...catalog.tags[item]];
  return parts.join(" ");
}

export function* catalogTexts(catalog: ItemCatalog): Generator<string> {
  for (let item = 0; item < catalog.keys.length; item++) yield itemText(catalog, item);
}
