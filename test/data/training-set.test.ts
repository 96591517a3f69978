import { describe, expect, it } from "vitest";
import { buildTrainingSet } from "../../src/data/training-set.js";
import { interactions } from "./interactions-fixture.js";

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
