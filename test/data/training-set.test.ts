import { describe, expect, it } from "vitest";
import type { Interactions } from "../../src/data/interactions.js";
import { buildTrainingSet } from "../../src/data/training-set.js";

/** user → item lists; every pair played twice. */
function interactions(rows: number[][], items: number): Interactions {
  const userIdx: number[] = [];
  const itemIdx: number[] = [];
  rows.forEach((row, u) => row.forEach((i) => (userIdx.push(u), itemIdx.push(i))));
  const n = userIdx.length;
  return {
    userNames: rows.map((_, u) => `u${u}`),
    catalog: {
      level: "artist",
      keys: Array.from({ length: items }, (_, i) => `a${i}`),
      artists: Array.from({ length: items }, (_, i) => `A${i}`),
      tracks: Array.from({ length: items }, () => null),
      albums: Array.from({ length: items }, () => null),
      artistIndex: Int32Array.from({ length: items }, (_, i) => i),
      tags: Array.from({ length: items }, (_, i) => [`tag${i}`]),
    },
    userIdx: Int32Array.from(userIdx),
    itemIdx: Int32Array.from(itemIdx),
    plays: new Float32Array(n).fill(2),
    firstPlayed: new Float64Array(n).fill(NaN),
    lastPlayed: new Float64Array(n).fill(NaN),
  };
}

describe("buildTrainingSet", () => {
  it("keeps everything, even users without plays, when filtering is off (1/1)", () => {
    const t = buildTrainingSet(interactions([[0, 1], [], [2]], 4), { minUserItems: 1, minItemUsers: 1 });
    expect(t.plays.rows).toBe(3);
    expect(t.plays.cols).toBe(4);
    expect(t.userNames).toEqual(["u0", "u1", "u2"]);
    expect(Array.from(t.plays.rowIndices(0))).toEqual([0, 1]);
    expect(Array.from(t.plays.rowData(0))).toEqual([2, 2]);
  });

  it("filters iteratively until every user and item meets its threshold, remapping indices", () => {
    // 2-core: item 3 has one user → dropped; then u2 has one item → dropped; then item 2 has one user → dropped.
    const data = interactions([[0, 1, 2], [0, 1], [2, 3], [0, 1]], 4);
    const t = buildTrainingSet(data, { minUserItems: 2, minItemUsers: 2 });
    expect(t.userNames).toEqual(["u0", "u1", "u3"]);
    expect(t.catalog.keys).toEqual(["a0", "a1"]);
    expect(t.catalog.tags).toEqual([["tag0"], ["tag1"]]);
    expect(Array.from(t.catalog.artistIndex)).toEqual([0, 1]);
    expect(t.plays.cols).toBe(2);
    for (let u = 0; u < 3; u++) expect(Array.from(t.plays.rowIndices(u))).toEqual([0, 1]);
  });

  it("rejects non-positive thresholds", () => {
    expect(() => buildTrainingSet(interactions([[0]], 1), { minUserItems: 0 })).toThrow(/minUserItems/);
  });

  it("carries each pair's last-played time aligned with the matrix entries, and none for untimed data", () => {
    const data = interactions([[2, 0, 1], [1, 2]], 3);
    data.lastPlayed = Float64Array.from([30, 10, 20, 50, NaN]);
    const t = buildTrainingSet(data, { minUserItems: 1, minItemUsers: 1 });
    expect(Array.from(t.lastPlayed!)).toEqual([10, 20, 30, 50, NaN]);
    const core = buildTrainingSet(data, { minUserItems: 1, minItemUsers: 2 }); // item 0 dropped, 1 → 0, 2 → 1
    expect(Array.from(core.lastPlayed!)).toEqual([20, 30, 50, NaN]);
    expect(buildTrainingSet(interactions([[0, 1]], 2), { minUserItems: 1, minItemUsers: 1 }).lastPlayed).toBeUndefined();
  });
});
