import { describe, expect, it } from "vitest";
import { alignWithMatrix, CsrMatrix } from "../../src/data/csr.js";
import { Random } from "../../src/util/random.js";
import {
  heldOutCount,
  lastHoldout,
  randomHoldout,
  recentHoldout,
  newItemsOnly,
  restrictToTrained,
} from "../../src/data/split.js";

/** A random users × items matrix where user u has between 1 and 30 distinct items. */
function randomMatrix(seed: number, users = 40, items = 60): CsrMatrix {
  const rng = new Random(seed);
  const r: number[] = [];
  const c: number[] = [];
  const v: number[] = [];
  for (let u = 0; u < users; u++) {
    const n = 1 + rng.int(30);
    const chosen = rng.shuffle(Array.from({ length: items }, (_, i) => i)).slice(0, n);
    for (const i of chosen) {
      r.push(u);
      c.push(i);
      v.push(1 + rng.int(100));
    }
  }
  return CsrMatrix.fromCoo(users, items, r, c, v);
}

const rowSet = (m: CsrMatrix, row: number) => new Set(m.rowIndices(row));

describe("heldOutCount", () => {
  it("rounds n × fraction and always leaves one item in train", () => {
    expect(heldOutCount(50, 0.2)).toBe(10);
    expect(heldOutCount(7, 0.2)).toBe(1); // 1.4 → 1
    expect(heldOutCount(8, 0.2)).toBe(2); // 1.6 → 2
    expect(heldOutCount(3, 0.5)).toBe(2); // 1.5 → 2
    expect(heldOutCount(2, 0.2)).toBe(0); // 0.4 → 0
    expect(heldOutCount(1, 0.5)).toBe(0); // single item stays in train
    expect(heldOutCount(2, 0.9)).toBe(1); // 1.8 → 2, capped at n − 1
  });
});

describe("randomHoldout", () => {
  const plays = randomMatrix(1);

  it("partitions every user's items into disjoint train and test of the documented sizes", () => {
    const { train, test } = randomHoldout(plays, 0.2, 0);
    expect(train.nnz + test.nnz).toBe(plays.nnz);
    for (let u = 0; u < plays.rows; u++) {
      const all = rowSet(plays, u);
      const tr = rowSet(train, u);
      const te = rowSet(test, u);
      expect(te.size).toBe(heldOutCount(all.size, 0.2));
      expect(tr.size + te.size).toBe(all.size);
      for (const i of te) expect(tr.has(i)).toBe(false);
      for (const i of [...tr, ...te]) expect(all.has(i)).toBe(true);
      // Play counts travel with their items.
      for (const [m, s] of [[train, tr], [test, te]] as const) {
        const idx = m.rowIndices(u);
        const data = m.rowData(u);
        for (let p = 0; p < idx.length; p++) {
          const q = plays.rowIndices(u).indexOf(idx[p]);
          expect(data[p]).toBe(plays.rowData(u)[q]);
        }
        expect(s.size).toBe(idx.length);
      }
    }
  });

  it("is reproducible from the seed and differs across seeds", () => {
    const a = randomHoldout(plays, 0.2, 3);
    const b = randomHoldout(plays, 0.2, 3);
    const c = randomHoldout(plays, 0.2, 4);
    expect(Array.from(a.test.indices)).toEqual(Array.from(b.test.indices));
    expect(Array.from(a.test.indices)).not.toEqual(Array.from(c.test.indices));
  });

  it("picks items roughly uniformly", () => {
    // One user with 10 items, 1 held out per split: over 2000 seeds every item is chosen ~200 times.
    const one = CsrMatrix.fromCoo(1, 10, Array(10).fill(0), [...Array(10).keys()], Array(10).fill(1));
    const counts = new Array(10).fill(0);
    for (let seed = 0; seed < 2000; seed++) counts[randomHoldout(one, 0.1, seed).test.indices[0]]++;
    for (const n of counts) expect(n).toBeGreaterThan(140);
  });

  it("rejects a fraction outside (0, 1)", () => {
    expect(() => randomHoldout(plays, 0, 0)).toThrow(/testFraction/);
    expect(() => randomHoldout(plays, 1, 0)).toThrow(/testFraction/);
  });
});

describe("lastHoldout", () => {
  // User 0: items 0..4 last played at 10, 50, 30, NaN, 50. User 1: a single item. User 2: untimed.
  const plays = CsrMatrix.fromCoo(3, 5, [0, 0, 0, 0, 0, 1, 2, 2], [0, 1, 2, 3, 4, 2, 0, 1], [1, 1, 1, 1, 1, 1, 1, 1]);
  const times = Float64Array.from([10, 50, 30, NaN, 50, 99, NaN, NaN]);

  it("holds out the most recent N items, ties to the lower item, untimed as oldest", () => {
    const { train, test } = lastHoldout(plays, times, 2);
    expect(Array.from(test.rowIndices(0))).toEqual([1, 4]);
    expect(Array.from(train.rowIndices(0))).toEqual([0, 2, 3]);
    expect(test.rowNnz(1)).toBe(0); // a single item stays in train
    expect(test.rowNnz(2)).toBe(0); // no timestamps: nothing to hold out
    const three = lastHoldout(plays, times, 3);
    expect(Array.from(three.test.rowIndices(0))).toEqual([1, 2, 4]);
  });

  it("keeps one item in train even when N is larger than the history", () => {
    const { train, test } = lastHoldout(plays, times, 10);
    expect(test.rowNnz(0)).toBe(4);
    expect(Array.from(train.rowIndices(0))).toEqual([3]);
  });

  it("works with times re-aligned from per-pair arrays in any order", () => {
    const rows = Int32Array.from([0, 0, 0, 0, 0, 1]);
    const cols = Int32Array.from([4, 3, 2, 1, 0, 2]);
    const values = Float64Array.from([50, NaN, 30, 50, 10, 99]);
    const aligned = alignWithMatrix(plays, rows, cols, values);
    expect(Array.from(aligned.subarray(0, 6))).toEqual([10, 50, 30, NaN, 50, 99]);
    expect(Number.isNaN(aligned[6])).toBe(true);
  });
});

describe("recentHoldout", () => {
  // User 0: 5 items last played at 10, 50, 30, 40, 20; user 1: 2 items; user 2: 2 untimed items; user 3: 5 untimed items.
  const plays = CsrMatrix.fromCoo(
    4,
    5,
    [0, 0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 3, 3, 3],
    [0, 1, 2, 3, 4, 0, 1, 0, 1, 0, 1, 2, 3, 4],
    new Array(14).fill(1),
  );
  const times = Float64Array.from([10, 50, 30, 40, 20, 5, 7, NaN, NaN, NaN, NaN, NaN, NaN, NaN]);

  it("holds out round(n × fraction) of each user's most recent items", () => {
    const { train, test } = recentHoldout(plays, times, 0.4, 0);
    expect(Array.from(test.rowIndices(0))).toEqual([1, 3]); // the two latest of five
    expect(Array.from(train.rowIndices(0))).toEqual([0, 2, 4]);
    expect(Array.from(test.rowIndices(1))).toEqual([1]); // round(0.8) = 1: the later one
  });

  it("holds out a user with no dated play at random, as many items, the same for the same seed", () => {
    const split = recentHoldout(plays, times, 0.4, 7);
    expect(split.test.rowNnz(2)).toBe(1); // round(0.8) = 1 of 2 untimed items
    expect(split.test.rowNnz(3)).toBe(2); // round(2.0) = 2 of 5
    expect(split.train.rowNnz(3)).toBe(3);
    expect(Array.from(recentHoldout(plays, times, 0.4, 7).test.indices)).toEqual(Array.from(split.test.indices));
    const draws = new Set(Array.from({ length: 20 }, (_, seed) => Array.from(recentHoldout(plays, times, 0.4, seed).test.rowIndices(3)).join()));
    expect(draws.size).toBeGreaterThan(1);
  });

  it("rejects fractions outside (0, 1)", () => {
    expect(() => recentHoldout(plays, times, 1, 0)).toThrow(/fraction/);
  });
});

describe("restrictToTrained", () => {
  it("drops test entries of users without train items and of items never played in train", () => {
    const train = CsrMatrix.fromCoo(3, 4, [0, 1], [0, 1], [1, 1]);
    const test = CsrMatrix.fromCoo(3, 4, [0, 0, 0, 1, 2], [0, 1, 2, 0, 1], [1, 1, 1, 1, 1]);
    const { test: kept } = restrictToTrained({ train, test });
    expect(Array.from(kept.rowIndices(0))).toEqual([0, 1]);
    expect(Array.from(kept.rowIndices(1))).toEqual([0]);
    expect(kept.rowNnz(2)).toBe(0);
  });
});

describe("newItemsOnly", () => {
  it("drops test items the user already has in train", () => {
    const train = CsrMatrix.fromCoo(2, 4, [0, 0, 1], [0, 1, 2], [1, 1, 1]);
    const test = CsrMatrix.fromCoo(2, 4, [0, 0, 1, 1], [1, 3, 0, 2], [1, 1, 1, 1]);
    const { test: fresh } = newItemsOnly({ train, test });
    expect(Array.from(fresh.rowIndices(0))).toEqual([3]);
    expect(Array.from(fresh.rowIndices(1))).toEqual([0]);
  });
});
