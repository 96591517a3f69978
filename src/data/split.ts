/**
 * Train/test splits of a users × items play matrix. Train and test always share the index spaces
 * (same rows and columns), so a model fitted on train ranks the same items the test set names.
 *
 * - randomHoldout: per user, a seeded random fraction of the user's distinct items.
 * - lastHoldout:   per user, the N most recently played distinct items.
 * - recentHoldout: per user, the most recently played fraction of the distinct items.
 * - the time protocol (src/evaluation/protocols.ts) splits events at a global cutoff, then uses
 *   `restrictToTrained` and `newItemsOnly` from here.
 */
import { CsrMatrix } from "./csr.js";

import { Random } from "../util/random.js";

export interface Split {
  train: CsrMatrix;
  test: CsrMatrix;
}

/**
 * The number of a user's `n` distinct items to hold out: round(n × fraction) (half rounds up), but
 * never all of them — at least one item always stays in train, so a user with a single item
 * keeps it in train and contributes no test items.
 */
export function heldOutCount(n: number, fraction: number): number {
  return Math.max(0, Math.min(n - 1, Math.round(n * fraction)));
}

/**
 * Per user, holds out `heldOutCount(n, testFraction)` distinct items chosen uniformly at random.
 * One `Random(seed)` stream is consumed user by user in row order: for each user, a partial
 * Fisher–Yates shuffle over the row's positions picks the test items, so the same seed always
 * gives the same split of the same matrix.
 */
export function randomHoldout(plays: CsrMatrix, testFraction: number, seed: number): Split {
  if (!(testFraction > 0 && testFraction < 1)) throw new RangeError(`testFraction must be in (0, 1), got ${testFraction}`);
  const pick = randomPicker(plays, seed);
  const inTest = new Uint8Array(plays.nnz);
  for (let row = 0; row < plays.rows; row++) pick(row, heldOutCount(plays.rowNnz(row), testFraction), inTest);
  return partition(plays, inTest);
}

/** Marks `take` of `row`'s entries in `inTest`, drawn from one seeded stream consumed row by row (a partial Fisher–Yates shuffle). */
function randomPicker(plays: CsrMatrix, seed: number): (row: number, take: number, inTest: Uint8Array) => void {
  const rng = new Random(seed);
  const positions = new Int32Array(maxRowNnz(plays));
  return (row, take, inTest) => {
    if (take === 0) return;
    const start = plays.indptr[row];
    const n = plays.indptr[row + 1] - start;
    for (let i = 0; i < n; i++) positions[i] = start + i;
    for (let i = 0; i < take; i++) {
      const j = i + rng.int(n - i);
      const chosen = positions[j];
      positions[j] = positions[i];
      positions[i] = chosen;
      inTest[chosen] = 1;
    }
  };
}

/**
 * Per user, holds out the `n` distinct items with the latest last-played time — but at most all
 * items except one, so at least one stays in train. `lastPlayed` is aligned with `plays.indices`
 * (see `alignWithMatrix`); entries with NaN (untimed) are treated as the oldest, and a user whose
 * entries are all untimed holds nothing out. Ties in time break towards the lower item index.
 */
export function lastHoldout(plays: CsrMatrix, lastPlayed: Float64Array, n: number): Split {
  if (!(Number.isInteger(n) && n >= 1)) throw new RangeError(`n must be a positive integer, got ${n}`);
  return holdOutLatest(plays, lastPlayed, () => n);
}

/**
 * Per user, holds out the `heldOutCount(n, fraction)` most recently played of the user's `n`
 * distinct items: a chronological validation split ("does it predict what I played next?"), with
 * the same timestamp rules as `lastHoldout`. A user none of whose plays is dated (data that mixes
 * dated scrobbles with undated counts, e.g. HetRec plus an imported export) is held out at random
 * instead, seeded, as randomHoldout would: left out, they would leave validation to the few dated users.
 */
export function recentHoldout(plays: CsrMatrix, lastPlayed: Float64Array, fraction: number, seed: number): Split {
  if (!(fraction > 0 && fraction < 1)) throw new RangeError(`fraction must be in (0, 1), got ${fraction}`);
  const countFor = (rowItems: number) => heldOutCount(rowItems, fraction);
  const pick = randomPicker(plays, seed);
  return holdOutLatest(plays, lastPlayed, countFor, (row, inTest) => pick(row, countFor(plays.rowNnz(row)), inTest));
}

/**
 * Per row, holds out the `countFor(n)` entries with the latest dates (at most all dated ones, never
 * all n); a row with no dated entry is handed to `undated`, if given, to mark its own.
 */
function holdOutLatest(
  plays: CsrMatrix,
  lastPlayed: Float64Array,
  countFor: (rowItems: number) => number,
  undated?: (row: number, inTest: Uint8Array) => void,
): Split {
  if (lastPlayed.length !== plays.nnz) throw new RangeError("lastPlayed must be aligned with the matrix entries");
  const inTest = new Uint8Array(plays.nnz);
  const order: number[] = [];
  for (let row = 0; row < plays.rows; row++) {
    const start = plays.indptr[row];
    const end = plays.indptr[row + 1];
    order.length = 0;
    for (let p = start; p < end; p++) if (!Number.isNaN(lastPlayed[p])) order.push(p);
    if (order.length === 0 && undated) {
      undated(row, inTest);
      continue;
    }
    const take = Math.min(countFor(end - start), end - start - 1, order.length);
    if (take <= 0) continue;
    order.sort((a, b) => lastPlayed[b] - lastPlayed[a] || a - b);
    for (let i = 0; i < take; i++) inTest[order[i]] = 1;
  }
  return partition(plays, inTest);
}

/**
 * Drops test entries of users with no train items and of items nobody played in train: a model
 * cannot be asked about either (the time protocol's rule).
 */
export function restrictToTrained(split: Split): Split {
  const { train, test } = split;
  const itemTrained = new Uint8Array(train.cols);
  for (let p = 0; p < train.nnz; p++) itemTrained[train.indices[p]] = 1;
  const keep = new Uint8Array(test.nnz);
  for (let row = 0; row < test.rows; row++) {
    if (train.rowNnz(row) === 0) continue;
    for (let p = test.indptr[row]; p < test.indptr[row + 1]; p++) keep[p] = itemTrained[test.indices[p]];
  }
  return { train, test: partition(test, keep).test };
}

/**
 * Drops test entries the user already has in train. The evaluation never recommends played items,
 * so a re-listened item in the test set (possible in the time protocol, where a pair's plays fall
 * on both sides of the cutoff) could never be hit; the test set is what the user discovered.
 */
export function newItemsOnly(split: Split): Split {
  const { train, test } = split;
  const keep = new Uint8Array(test.nnz);
  const inTrain = new Uint8Array(train.cols);
  for (let row = 0; row < test.rows; row++) {
    const trained = train.rowIndices(row);
    for (let p = 0; p < trained.length; p++) inTrain[trained[p]] = 1;
    for (let p = test.indptr[row]; p < test.indptr[row + 1]; p++) keep[p] = 1 - inTrain[test.indices[p]];
    for (let p = 0; p < trained.length; p++) inTrain[trained[p]] = 0;
  }
  return { train, test: partition(test, keep).test };
}

function maxRowNnz(m: CsrMatrix): number {
  let max = 0;
  for (let row = 0; row < m.rows; row++) max = Math.max(max, m.rowNnz(row));
  return max;
}

/** Splits the entries of `m` into those flagged 1 (test) and the rest (train), keeping row order. */
function partition(m: CsrMatrix, inTest: Uint8Array): Split {
  let testNnz = 0;
  for (let p = 0; p < m.nnz; p++) testNnz += inTest[p];
  const parts = [
    { indptr: new Int32Array(m.rows + 1), indices: new Int32Array(m.nnz - testNnz), data: new Float32Array(m.nnz - testNnz), n: 0 },
    { indptr: new Int32Array(m.rows + 1), indices: new Int32Array(testNnz), data: new Float32Array(testNnz), n: 0 },
  ];
  for (let row = 0; row < m.rows; row++) {
    for (let p = m.indptr[row]; p < m.indptr[row + 1]; p++) {
      const part = parts[inTest[p]];
      part.indices[part.n] = m.indices[p];
      part.data[part.n] = m.data[p];
      part.n++;
    }
    parts[0].indptr[row + 1] = parts[0].n;
    parts[1].indptr[row + 1] = parts[1].n;
  }
  const [train, test] = parts.map((part) => new CsrMatrix(m.rows, m.cols, part.indptr, part.indices, part.data));
  return { train, test };
}
