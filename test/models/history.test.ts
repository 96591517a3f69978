import { describe, expect, it } from "vitest";
import { historyFromRows } from "../../src/models/history.js";
import { clusterTraining } from "./fixtures.js";

describe("histories", () => {
  it("matches uploaded rows by normalised item key and counts the rest as unmatched", () => {
    const { catalog } = clusterTraining();
    const { history, unmatched } = historyFromRows(catalog, [
      { artist: "  ALPHA ", track: "rock   one", plays: 3 },
      { artist: "Alpha", track: "Rock One", plays: 2 },
      { artist: "Gamma", track: "Jazz Two", plays: 1 },
      { artist: "Unknown", track: "Song", plays: 9 },
      { artist: "Alpha", track: null, plays: 4 },
    ]);
    expect(Array.from(history.items)).toEqual([0, 4]);
    expect(Array.from(history.plays)).toEqual([5, 1]);
    expect(unmatched).toBe(2);
  });

  it("an artist-level catalogue adds up an artist's tracks", () => {
    const catalog = { ...clusterTraining().catalog, level: "artist" as const, keys: ["alpha", "x", "beta", "gamma", "y", "delta", "epsilon"] };
    const { history } = historyFromRows(catalog, [
      { artist: "Alpha", track: "Rock One", plays: 3 },
      { artist: "alpha", track: "Rock Two", plays: 2 },
      { artist: "Delta", track: null, plays: 1 },
    ]);
    expect(Array.from(history.items)).toEqual([0, 5]);
    expect(Array.from(history.plays)).toEqual([5, 1]);
  });
});
