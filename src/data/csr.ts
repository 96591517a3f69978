/**
 * Compressed sparse row matrix over typed arrays. Rows are users, columns items, unless a
 * caller transposes. Column indices are sorted within each row.
 */
export class CsrMatrix {
  constructor(
    readonly rows: number,
    readonly cols: number,
    readonly indptr: Int32Array,
    readonly indices: Int32Array,
    readonly data: Float32Array,
  ) {
    if (indptr.length !== rows + 1) throw new Error(`indptr length ${indptr.length} != rows + 1 (${rows + 1})`);
    if (indices.length !== data.length) throw new Error("indices and data differ in length");
  }

  get nnz(): number {
    return this.indices.length;
  }

  /** Builds from coordinate triplets; duplicate (row, col) entries are summed. */
  static fromCoo(rows: number, cols: number, r: ArrayLike<number>, c: ArrayLike<number>, v: ArrayLike<number>): CsrMatrix {
    const n = r.length;
    const counts = new Int32Array(rows + 1);
    for (let i = 0; i < n; i++) counts[r[i] + 1]++;
    for (let i = 0; i < rows; i++) counts[i + 1] += counts[i];
    const fill = counts.slice(0, rows);
    const tmpIdx = new Int32Array(n);
    const tmpVal = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const p = fill[r[i]]++;
      tmpIdx[p] = c[i];
      tmpVal[p] = v[i];
    }
    // Sort each row by column and merge duplicates.
    const indptr = new Int32Array(rows + 1);
    const indices = new Int32Array(n);
    const data = new Float32Array(n);
    let out = 0;
    let order: number[] = [];
    for (let row = 0; row < rows; row++) {
      const start = counts[row];
      const end = counts[row + 1];
      order.length = 0;
      for (let p = start; p < end; p++) order.push(p);
      order.sort((a, b) => tmpIdx[a] - tmpIdx[b]);
      let last = -1;
      for (const p of order) {
        const col = tmpIdx[p];
        if (col === last) {
          data[out - 1] += tmpVal[p];
        } else {
          indices[out] = col;
          data[out] = tmpVal[p];
          out++;
          last = col;
        }
      }
      indptr[row + 1] = out;
    }
    order = [];
    return new CsrMatrix(rows, cols, indptr, indices.slice(0, out), data.slice(0, out));
  }

  rowIndices(row: number): Int32Array {
    return this.indices.subarray(this.indptr[row], this.indptr[row + 1]);
  }

  rowData(row: number): Float32Array {
    return this.data.subarray(this.indptr[row], this.indptr[row + 1]);
  }

  rowNnz(row: number): number {
    return this.indptr[row + 1] - this.indptr[row];
  }

  transpose(): CsrMatrix {
    const counts = new Int32Array(this.cols + 1);
    for (let p = 0; p < this.nnz; p++) counts[this.indices[p] + 1]++;
    for (let i = 0; i < this.cols; i++) counts[i + 1] += counts[i];
    const fill = counts.slice(0, this.cols);
    const indices = new Int32Array(this.nnz);
    const data = new Float32Array(this.nnz);
    for (let row = 0; row < this.rows; row++) {
      for (let p = this.indptr[row]; p < this.indptr[row + 1]; p++) {
        const q = fill[this.indices[p]]++;
        indices[q] = row;
        data[q] = this.data[p];
      }
    }
    return new CsrMatrix(this.cols, this.rows, counts, indices, data);
  }

  /** Same sparsity pattern, values mapped (e.g. plays -> confidence weights). */
  mapValues(fn: (value: number, row: number, col: number) => number): CsrMatrix {
    const data = new Float32Array(this.nnz);
    for (let row = 0; row < this.rows; row++) {
      for (let p = this.indptr[row]; p < this.indptr[row + 1]; p++) data[p] = fn(this.data[p], row, this.indices[p]);
    }
    return new CsrMatrix(this.rows, this.cols, this.indptr, this.indices, data);
  }
}

/**
 * Values of per-pair arrays (e.g. last-played times of an Interactions) re-ordered to line up with
 * the entries of a matrix built from the same pairs: result[p] is the value of the pair
 * (row of p, indices[p]). Pairs absent from the matrix are ignored; entries without a pair get NaN.
 */
export function alignWithMatrix(
  matrix: CsrMatrix,
  rows: Int32Array,
  cols: Int32Array,
  values: Float64Array,
): Float64Array {
  const aligned = new Float64Array(matrix.nnz).fill(NaN);
  for (let e = 0; e < rows.length; e++) {
    const p = entryPosition(matrix, rows[e], cols[e]);
    if (p >= 0) aligned[p] = values[e];
  }
  return aligned;
}

/** Position of (row, col) among the matrix entries by binary search in the sorted row, or -1. */
function entryPosition(matrix: CsrMatrix, row: number, col: number): number {
  if (row < 0 || row >= matrix.rows) return -1;
  let lo = matrix.indptr[row];
  let hi = matrix.indptr[row + 1] - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = matrix.indices[mid];
    if (c === col) return mid;
    if (c < col) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
