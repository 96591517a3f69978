import { describe, expect, it } from "vitest";
import type { ItemCatalog } from "../../src/data/interactions.js";
import { songKey } from "../../src/data/song-key.js";
import { mixRadio, type RadioOptions, type SimilarityOf } from "../../src/models/radio-mix.js";
import { namedCatalog as catalogOf } from "./fixtures.js";

/** Items on a line: the closer two positions, the more similar. */
const onALine =
  (positions: readonly number[]): SimilarityOf =>
  (item) =>
    Float32Array.from(positions, (p) => -Math.abs(p - positions[item]));

/** 60 tracks in a row, four per artist (items 4a…4a+3 are artist a's). */
const ROW = catalogOf(Array.from({ length: 60 }, (_, i) => [`Artist ${Math.floor(i / 4)}`, `Song ${i}`]));
const rowPositions = Array.from({ length: 60 }, (_, i) => i);
const rowSimilarity = onALine(rowPositions);
const seedAt = (...items: number[]) => ({ anchors: items.map((item) => Int32Array.of(item)), seeds: Int32Array.from(items) });
const mix = (options: Partial<RadioOptions> & { k: number }, start = seedAt(30), catalog = ROW, similarity = rowSimilarity) =>
  mixRadio(catalog, similarity, start, { maxPerArtist: 3, ...options });
const artistsOf = (catalog: ItemCatalog, items: number[]) => items.map((i) => catalog.artists[i]);

describe("radio mix", () => {
  it("starts next to the seed and drifts away from it", () => {
    const items = mix({ k: 30 }).map((p) => p.item);
    expect(items).toHaveLength(30);
    // The nearest neighbours of item 30 come first (29 and 31 tie: the lower index wins).
    expect(items[0]).toBe(29);
    expect(Math.abs(items[1] - 30)).toBeLessThanOrEqual(3);
    const distance = (part: number[]) => part.reduce((sum, i) => sum + Math.abs(i - 30), 0) / part.length;
    expect(distance(items.slice(20))).toBeGreaterThan(distance(items.slice(0, 10)) + 3);
  });

  it("never plays one artist twice in a row, and caps each artist", () => {
    for (const maxPerArtist of [1, 2, 3]) {
      const artists = artistsOf(ROW, mix({ k: 40, maxPerArtist }).map((p) => p.item));
      // 15 artists: the cap is what ends a mix of 40 early (choosing greedily, one item short at worst:
      // the last artist with items left may be the one just played).
      expect(artists.length).toBeLessThanOrEqual(Math.min(40, 15 * maxPerArtist));
      expect(artists.length).toBeGreaterThanOrEqual(Math.min(40, 15 * maxPerArtist - 1));
      for (let i = 1; i < artists.length; i++) expect(artists[i], `pick ${i}`).not.toBe(artists[i - 1]);
      const counts = new Map<string, number>();
      for (const artist of artists) counts.set(artist, (counts.get(artist) ?? 0) + 1);
      expect(Math.max(...counts.values())).toBeLessThanOrEqual(maxPerArtist);
      if (maxPerArtist > 1) expect(Math.max(...counts.values())).toBe(maxPerArtist);
    }
  });

  it("brings an artist back only after three others while the catalogue allows", () => {
    const artists = artistsOf(ROW, mix({ k: 30 }).map((p) => p.item));
    for (let i = 0; i < artists.length; i++) {
      for (let j = i + 1; j < Math.min(artists.length, i + 4); j++) expect(artists[j], `picks ${i} and ${j}`).not.toBe(artists[i]);
    }
    // Where nothing else is left, twice with one item between is still fine, twice in a row never.
    const two = catalogOf([["A", "One"], ["A", "Two"], ["B", "One"], ["B", "Two"], ["C", "Seed"]]);
    expect(artistsOf(two, mix({ k: 4 }, seedAt(4), two, onALine([0, 1, 2, 3, 1.5])).map((p) => p.item))).toEqual(["A", "B", "A", "B"]);
  });

  it("never repeats the seeds, nor plays two versions of one song or of a seed", () => {
    const catalog = catalogOf([
      ["Radiohead", "Creep"],
      ["Radiohead", "Creep (Acoustic)"],
      ["Radiohead", "Karma Police"],
      ["Radiohead", "Karma Police - Remastered 2011"],
      ["Radiohead", "Karma Police (Live)"],
      ["Muse", "Uprising"],
      ["Muse feat. Someone", "Uprising"],
      ["Muse", "Starlight"],
      ["Coldplay", "Yellow"],
      ["The Coldplay", "Yellow [Radio Edit]"],
      ["Coldplay", "Clocks"],
      ["Keane", "Somewhere Only We Know"],
    ]);
    const similarity = onALine([0, 0.1, 1, 1.1, 1.2, 2, 2.1, 2.2, 3, 3.1, 3.2, 4]);
    const items = mix({ k: 12, maxPerArtist: 5 }, seedAt(0), catalog, similarity).map((p) => p.item);
    expect(items).not.toContain(0);
    const songs = items.map((i) => songKey(catalog.artists[i], catalog.tracks[i]));
    expect(new Set(songs).size).toBe(songs.length);
    expect(songs).not.toContain(songKey("Radiohead", "Creep"));
    // Every distinct song but the seed's, with artists alternating; "Muse feat. Someone" is Muse.
    expect(new Set(songs)).toEqual(new Set(["Karma Police", "Uprising", "Starlight", "Yellow", "Clocks", "Somewhere Only We Know"].map((t, n) => songKey(["Radiohead", "Muse", "Muse", "Coldplay", "Coldplay", "Keane"][n], t))));
    const artists = items.map((i) => songKey(catalog.artists[i], null));
    for (let i = 1; i < artists.length; i++) expect(artists[i]).not.toBe(artists[i - 1]);
  });

  it("is deterministic, and a short mix is the start of a longer one", () => {
    expect(mix({ k: 10 }, seedAt(10, 40))).toEqual(mix({ k: 30 }, seedAt(10, 40)).slice(0, 10));
    const taste = Float32Array.from(rowPositions, (p) => Math.sin(p));
    expect(mix({ k: 25, taste }, seedAt(10, 40))).toEqual(mix({ k: 25, taste }, seedAt(10, 40)));
  });

  it("with several seeds takes them in turn, so distant seeds share the mix, and plays none of them", () => {
    const items = mix({ k: 20 }, seedAt(5, 50)).map((p) => p.item);
    expect(items).not.toContain(5);
    expect(items).not.toContain(50);
    expect(Math.abs(items[0] - 5)).toBeLessThanOrEqual(3);
    expect(Math.abs(items[1] - 50)).toBeLessThanOrEqual(3);
    const near = (seed: number) => items.filter((i) => Math.abs(i - seed) < 20).length;
    expect(near(5)).toBeGreaterThanOrEqual(6);
    expect(near(50)).toBeGreaterThanOrEqual(6);
  });

  it("an artist seed's top tracks anchor together", () => {
    const items = mix({ k: 1 }, { anchors: [Int32Array.of(20, 24)], seeds: new Int32Array(0) }).map((p) => p.item);
    expect(items[0]).toBeGreaterThanOrEqual(20);
    expect(items[0]).toBeLessThanOrEqual(24);
  });

  it("anchors may be played when they are not seeds (an artist seed's top tracks)", () => {
    const items = mix({ k: 5 }, { anchors: [Int32Array.of(28)], seeds: new Int32Array(0) }).map((p) => p.item);
    expect(items[0]).toBe(28);
  });

  it("leaves out excluded items and keeps to allowed ones", () => {
    const excludedItems = new Uint8Array(60);
    for (let i = 20; i < 40; i++) if (i !== 30) excludedItems[i] = 1;
    const outside = mix({ k: 10, excludedItems }).map((p) => p.item);
    for (const item of outside) expect(item < 20 || item >= 40).toBe(true);
    const allowedItems = new Uint8Array(60);
    for (let i = 0; i < 60; i += 5) allowedItems[i] = 1;
    const allowed = mix({ k: 8, allowedItems }).map((p) => p.item);
    expect(allowed).toHaveLength(8);
    for (const item of allowed) expect(item % 5).toBe(0);
  });

  it("leans towards the listener's taste when given one", () => {
    const taste = Float32Array.from(rowPositions, (p) => (p > 30 ? 1 : 0));
    const plain = mix({ k: 15 }).map((p) => p.item);
    const tasteful = mix({ k: 15, taste }).map((p) => p.item);
    const above = (items: number[]) => items.filter((i) => i > 30).length;
    expect(above(tasteful)).toBeGreaterThan(above(plain) + 3);
  });

  it("follows the familiar ↔ new dial: that share of fresh items along the mix, strict at 0 and 1", () => {
    // Artists 0-7 (items 0-31) are the listener's, the rest new to them.
    const fresh = Uint8Array.from(rowPositions, (p) => (p >= 32 ? 1 : 0));
    const freshOf = (share: number, k = 20) => mix({ k, discovery: { share, fresh } }).map((p) => fresh[p.item]);
    expect(freshOf(0).every((f) => f === 0)).toBe(true);
    expect(freshOf(1).every((f) => f === 1)).toBe(true);
    const half = freshOf(0.5);
    expect(half).toHaveLength(20);
    // Pick t is fresh while fewer than round(t+1)/2 were: the running share stays at one half.
    for (let t = 0; t < half.length; t++) expect(half.slice(0, t + 1).reduce((a, b) => a + b, 0)).toBe(Math.round(0.5 * (t + 1)));
    // A pool that runs dry leaves its turns to the other: 8 familiar artists × 3 = 24 familiar items at most.
    const mostlyFamiliar = freshOf(0.1, 40);
    expect(mostlyFamiliar).toHaveLength(40);
    expect(mostlyFamiliar.filter((f) => f === 0)).toHaveLength(24);
    expect(() => mix({ k: 3, discovery: { share: 1.5, fresh } })).toThrow(/discovery must be within \[0, 1\]/);
  });

  it("on artist-level data plays no artist twice at all, and 'The X' is X", () => {
    const catalog = catalogOf([["Radiohead", null], ["Beatles", null], ["The Beatles", null], ["Muse", null], ["Coldplay", null], ["Keane", null]]);
    const items = mix({ k: 10 }, seedAt(0), catalog, onALine([0, 1, 1.1, 2, 3, 4])).map((p) => p.item);
    expect(artistsOf(catalog, items)).toEqual(["Beatles", "Muse", "Coldplay", "Keane"]);
  });

  it("ends early when no item keeps the rules, and never plays items the model knows nothing of", () => {
    const two = catalogOf([["A", "One"], ["A", "Two"], ["A", "Three"], ["B", "One"]]);
    expect(mix({ k: 10 }, seedAt(3), two, onALine([0, 1, 2, 3])).map((p) => p.item)).toEqual([2]);
    const unknown: SimilarityOf = (item) => Float32Array.from(rowPositions, (p) => (p % 2 === 1 ? Number.NaN : -Math.abs(p - item)));
    const items = mix({ k: 20 }, seedAt(30), ROW, unknown).map((p) => p.item);
    expect(items).toHaveLength(20);
    for (const item of items) expect(item % 2).toBe(0);
  });

  it("checks its inputs", () => {
    expect(() => mix({ k: 3, maxPerArtist: 0 })).toThrow(/maxPerArtist/);
    expect(() => mix({ k: 3, allowedItems: new Uint8Array(3) })).toThrow(/allowedItems has 3 entries for 60 items/);
    expect(() => mix({ k: 3 }, seedAt())).toThrow(/at least one anchor/);
    expect(() => mix({ k: 3 }, { anchors: [new Int32Array(0)], seeds: new Int32Array(0) })).toThrow(/at least one anchor/);
  });
});
