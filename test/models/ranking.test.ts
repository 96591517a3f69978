import { describe, expect, it } from "vitest";
import { rankItems } from "../../src/models/ranking.js";
import type { ItemCatalog } from "../../src/data/interactions.js";
import { clusterCatalog, history } from "./fixtures.js";

// Scores descending by item index: 6 > 5 > … > 0.
const scores = Float32Array.from([0, 1, 2, 3, 4, 5, 6]);
const catalog = clusterCatalog(); // artists: 0 0 1 2 2 3 4

describe("rankItems", () => {
  it("ranks by score and excludes played items by default", () => {
    expect(Array.from(rankItems(scores, history([6, 4], [1, 1]), catalog, { k: 3 }))).toEqual([5, 3, 2]);
  });

  it("keeps played items when asked", () => {
    expect(Array.from(rankItems(scores, history([6], [1]), catalog, { k: 2, excludePlayed: false }))).toEqual([6, 5]);
  });

  it("caps items per artist", () => {
    // Without a cap: 4, 3 (both Gamma), 2 … ; with cap 1 the second Gamma item is skipped.
    const ranked = rankItems(scores, history([6, 5], [1, 1]), catalog, { k: 3, maxPerArtist: 1 });
    expect(Array.from(ranked)).toEqual([4, 2, 1]);
  });

  it("recommends only new artists", () => {
    // Played item 4 (Gamma) → item 3 (Gamma) is out too.
    const ranked = rankItems(scores, history([4], [1]), catalog, { k: 3, newArtistsOnly: true });
    expect(Array.from(ranked)).toEqual([6, 5, 2]);
  });

  it("returns fewer than k when the catalogue runs out", () => {
    const ranked = rankItems(scores, history([0, 1, 2, 3, 4], [1, 1, 1, 1, 1]), catalog, { k: 5, maxPerArtist: 1 });
    expect(Array.from(ranked)).toEqual([6, 5]);
  });

  it("recommends only allowed items, with the other options", () => {
    const allowed = Uint8Array.from([1, 1, 0, 1, 1, 0, 1]);
    expect(Array.from(rankItems(scores, history([6], [1]), catalog, { k: 3, allowedItems: allowed }))).toEqual([4, 3, 1]);
    // Gamma (3, 4) capped to one; nothing allowed is left after 0.
    expect(Array.from(rankItems(scores, history([6], [1]), catalog, { k: 5, allowedItems: allowed, maxPerArtist: 1 }))).toEqual([4, 1]);
    expect(rankItems(scores, history([], []), catalog, { k: 3, allowedItems: new Uint8Array(7) })).toHaveLength(0);
    expect(() => rankItems(scores, history([], []), catalog, { k: 3, allowedItems: new Uint8Array(3) })).toThrow(/3 entries for 7 items/);
  });

  it("leaves out excluded items and every item of an excluded artist", () => {
    const ranked = rankItems(scores, history([], []), catalog, { k: 4, excludedItems: Int32Array.from([5]), excludedArtists: Int32Array.from([2]) });
    // 5 banned, Gamma (3, 4) banned as an artist.
    expect(Array.from(ranked)).toEqual([6, 2, 1, 0]);
  });
});

describe("the familiar ↔ new dial", () => {
  // A wider catalogue: artists 0-3 each with 6 tracks; the history played one track each of artists 0 and 1.
  const artistOf = Array.from({ length: 24 }, (_, i) => Math.floor(i / 6));
  const wide: ItemCatalog = {
    level: "track",
    keys: artistOf.map((a, i) => `a${a}\u001ft${i}`),
    artists: artistOf.map((a) => `Artist ${a}`),
    tracks: artistOf.map((_, i) => `Track ${i}`),
    albums: artistOf.map(() => null),
    artistIndex: Int32Array.from(artistOf),
    tags: artistOf.map(() => []),
  };
  // Scores interleave familiar and new artists so the plain ranking mixes them.
  const wideScores = Float32Array.from(artistOf, (_, i) => ((i * 7) % 24) + 1);
  const played = history([0, 6], [3, 2]);
  const knownShare = (items: Int32Array) => Array.from(items).filter((item) => artistOf[item] <= 1).length / items.length;

  it("the share of artists the listener knows never grows as discovery rises, from all at 0 to none at 1", () => {
    const shares = [0, 0.1, 0.25, 0.5, 0.75, 0.9, 1].map((discovery) => {
      const ranked = rankItems(wideScores, played, wide, { k: 8, discovery });
      expect(ranked).toHaveLength(8);
      for (const item of ranked) expect([0, 6]).not.toContain(item);
      // Ordered by score.
      for (let i = 1; i < ranked.length; i++) expect(wideScores[ranked[i - 1]]).toBeGreaterThanOrEqual(wideScores[ranked[i]]);
      return knownShare(ranked);
    });
    expect(shares[0]).toBe(1);
    expect(shares[shares.length - 1]).toBe(0);
    expect(shares[3]).toBe(0.5); // round(0.5·8) = 4 new, 4 familiar
    for (let i = 1; i < shares.length; i++) expect(shares[i]).toBeLessThanOrEqual(shares[i - 1]);
  });

  it("discovery 1 is exactly newArtistsOnly", () => {
    expect(Array.from(rankItems(wideScores, played, wide, { k: 10, discovery: 1 }))).toEqual(
      Array.from(rankItems(wideScores, played, wide, { k: 10, newArtistsOnly: true })),
    );
  });

  it("a pool that runs short leaves its places to the other in between, but not at the ends", () => {
    // Only 10 unplayed familiar tracks exist: at 0.1 of k = 20, 18 familiar places get 10, and new ones fill the rest.
    expect(rankItems(wideScores, played, wide, { k: 20, discovery: 0.1 })).toHaveLength(20);
    expect(rankItems(wideScores, played, wide, { k: 20, discovery: 0 })).toHaveLength(10);
    expect(rankItems(wideScores, played, wide, { k: 20, discovery: 1 })).toHaveLength(12);
  });

  it("at artist level, familiar means the artists played, brought back despite excludePlayed", () => {
    const artists: ItemCatalog = { ...wide, level: "artist", keys: wide.keys.map((_, i) => `artist${i}`), tracks: wide.tracks.map(() => null), artistIndex: Int32Array.from(artistOf, (_, i) => i) };
    const history2 = history([0, 6, 12], [3, 2, 1]);
    expect(Array.from(rankItems(wideScores, history2, artists, { k: 5, discovery: 0 })).sort((a, b) => a - b)).toEqual([0, 6, 12]);
    const half = rankItems(wideScores, history2, artists, { k: 6, discovery: 0.5 });
    expect(Array.from(half).filter((item) => [0, 6, 12].includes(item))).toHaveLength(3);
    expect(Array.from(rankItems(wideScores, history2, artists, { k: 5, discovery: 1 }))).toEqual(Array.from(rankItems(wideScores, history2, artists, { k: 5 })));
  });

  it("refuses a dial outside [0, 1]", () => {
    expect(() => rankItems(wideScores, played, wide, { k: 3, discovery: 1.5 })).toThrow(/within \[0, 1\]/);
  });
});
