import { describe, expect, it } from "vitest";
import { rankItems } from "../../src/models/ranking.js";
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
});
