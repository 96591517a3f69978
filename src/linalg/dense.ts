/**
 * Row-major dense matrices over typed arrays: factor matrices (users × k, items × k) and the
 * tall-skinny blocks of the randomized SVD. Only the handful of kernels the models need.
 */
export interface DenseMatrix<T extends Float32Array | Float64Array = Float32Array | Float64Array> {
  rows: number;
  cols: number;
  data: T;
}

export function denseMatrix64(rows: number, cols: number): DenseMatrix<Float64Array> {
  return { rows, cols, data: new Float64Array(rows * cols) };
}

export function denseMatrix32(rows: number, cols: number): DenseMatrix<Float32Array> {
  return { rows, cols, data: new Float32Array(rows * cols) };
}

/** Dot product of row `a` of `x` with row `b` of `y` (both with `k` columns). */
export function rowDot(x: ArrayLike<number>, a: number, y: ArrayLike<number>, b: number, k: number): number {
  let sum = 0;
  const oa = a * k;
  const ob = b * k;
  for (let f = 0; f < k; f++) sum += x[oa + f] * y[ob + f];
  return sum;
}

/** Euclidean norm of every row. */
export function rowNorms(m: DenseMatrix): Float32Array {
  const norms = new Float32Array(m.rows);
  for (let r = 0; r < m.rows; r++) norms[r] = Math.sqrt(rowDot(m.data, r, m.data, r, m.cols));
  return norms;
}

/** The k×k Gram matrix MᵀM (symmetric), accumulated in float64. */
export function gram(m: DenseMatrix<Float32Array>): Float64Array {
  const k = m.cols;
  const g = new Float64Array(k * k);
  addGramUpper(m.data, k, 0, m.rows, g);
  mirrorUpper(g, k);
  return g;
}

/** Copies the upper triangle of a k × k row-major matrix onto its lower triangle. */
export function mirrorUpper(g: Float64Array, k: number): void {
  for (let i = 0; i < k; i++) for (let j = 0; j < i; j++) g[i * k + j] = g[j * k + i];
}

/** out = M · v for a row-major M (rows × k) and v of length k: one score per row. */
export function matVec(m: DenseMatrix, v: ArrayLike<number>, out: Float32Array = new Float32Array(m.rows)): Float32Array {
  const k = m.cols;
  const d = m.data;
  // A model's scores for every item on each uncached request: eight rows per pass share each load of
  // x[f] and keep eight independent sums in flight (≈ 2× the one-row loop; four rows gave ≈ 1.7×),
  // while each row still sums in order f = 0…k−1, so results are bit-identical to it.
  const x = v instanceof Float64Array ? v : Float64Array.from(v);
  let r = 0;
  for (; r + 7 < m.rows; r += 8) {
    const o0 = r * k;
    const o1 = o0 + k;
    const o2 = o1 + k;
    const o3 = o2 + k;
    const o4 = o3 + k;
    const o5 = o4 + k;
    const o6 = o5 + k;
    const o7 = o6 + k;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let s4 = 0;
    let s5 = 0;
    let s6 = 0;
    let s7 = 0;
    for (let f = 0; f < k; f++) {
      const xf = x[f];
      s0 += d[o0 + f] * xf;
      s1 += d[o1 + f] * xf;
      s2 += d[o2 + f] * xf;
      s3 += d[o3 + f] * xf;
      s4 += d[o4 + f] * xf;
      s5 += d[o5 + f] * xf;
      s6 += d[o6 + f] * xf;
      s7 += d[o7 + f] * xf;
    }
    out[r] = s0;
    out[r + 1] = s1;
    out[r + 2] = s2;
    out[r + 3] = s3;
    out[r + 4] = s4;
    out[r + 5] = s5;
    out[r + 6] = s6;
    out[r + 7] = s7;
  }
  for (; r < m.rows; r++) {
    let sum = 0;
    const o = r * k;
    for (let f = 0; f < k; f++) sum += d[o + f] * x[f];
    out[r] = sum;
  }
  return out;
}

/**
 * out[n] = row rows[n] of M · v[vo … vo + k) for every n: matVec over a subset of rows (a
 * history's items against one recommended item, for reasons). Four rows per pass as in matVec,
 * each summed in order f = 0…k−1, so each entry equals rowDot bit for bit.
 */
export function gatherMatVec(m: DenseMatrix, rows: ArrayLike<number>, v: ArrayLike<number>, vo: number, out: Float64Array): Float64Array {
  const k = m.cols;
  const d = m.data;
  const n = rows.length;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const o0 = rows[i] * k;
    const o1 = rows[i + 1] * k;
    const o2 = rows[i + 2] * k;
    const o3 = rows[i + 3] * k;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let f = 0; f < k; f++) {
      const vf = v[vo + f];
      s0 += d[o0 + f] * vf;
      s1 += d[o1 + f] * vf;
      s2 += d[o2 + f] * vf;
      s3 += d[o3 + f] * vf;
    }
    out[i] = s0;
    out[i + 1] = s1;
    out[i + 2] = s2;
    out[i + 3] = s3;
  }
  for (; i < n; i++) {
    const o = rows[i] * k;
    let sum = 0;
    for (let f = 0; f < k; f++) sum += d[o + f] * v[vo + f];
    out[i] = sum;
  }
  return out;
}

/**
 * Σ_f a[ao + f] · b[bo + f] for f < k, unrolled by four (V8 does not vectorise; four independent
 * accumulators roughly double the throughput of the hot ALS loops).
 */
export function dotAt(a: ArrayLike<number>, ao: number, b: ArrayLike<number>, bo: number, k: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let f = 0;
  for (; f + 3 < k; f += 4) {
    s0 += a[ao + f] * b[bo + f];
    s1 += a[ao + f + 1] * b[bo + f + 1];
    s2 += a[ao + f + 2] * b[bo + f + 2];
    s3 += a[ao + f + 3] * b[bo + f + 3];
  }
  for (; f < k; f++) s0 += a[ao + f] * b[bo + f];
  return s0 + s1 + s2 + s3;
}

/** out[oo + f] += coef · a[ao + f] for f < k, unrolled by four. */
export function axpyAt(coef: number, a: ArrayLike<number>, ao: number, out: Float64Array, k: number, oo = 0): void {
  let f = 0;
  for (; f + 3 < k; f += 4) {
    out[oo + f] += coef * a[ao + f];
    out[oo + f + 1] += coef * a[ao + f + 1];
    out[oo + f + 2] += coef * a[ao + f + 2];
    out[oo + f + 3] += coef * a[ao + f + 3];
  }
  for (; f < k; f++) out[oo + f] += coef * a[ao + f];
}

/**
 * dotAt for a float32 `a` (factor rows) and float64 `b` (solver vectors). A kernel per type pair
 * keeps the ALS loops monomorphic, which V8 compiles to straight loads and multiply-adds.
 */
export function dot32x64(a: Float32Array, ao: number, b: Float64Array, bo: number, k: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let f = 0;
  for (; f + 3 < k; f += 4) {
    s0 += a[ao + f] * b[bo + f];
    s1 += a[ao + f + 1] * b[bo + f + 1];
    s2 += a[ao + f + 2] * b[bo + f + 2];
    s3 += a[ao + f + 3] * b[bo + f + 3];
  }
  for (; f < k; f++) s0 += a[ao + f] * b[bo + f];
  return s0 + s1 + s2 + s3;
}

/** axpyAt for a float32 `a`: out[oo + f] += coef · a[ao + f]. */
export function axpy32x64(coef: number, a: Float32Array, ao: number, out: Float64Array, oo: number, k: number): void {
  let f = 0;
  for (; f + 3 < k; f += 4) {
    out[oo + f] += coef * a[ao + f];
    out[oo + f + 1] += coef * a[ao + f + 1];
    out[oo + f + 2] += coef * a[ao + f + 2];
    out[oo + f + 3] += coef * a[ao + f + 3];
  }
  for (; f < k; f++) out[oo + f] += coef * a[ao + f];
}

/**
 * The upper triangle of Σ_r y_r y_rᵀ over rows start..end of y (n × k, float32) added into `out`
 * (k × k, float64, row-major). Four rows per pass over `out` — a quarter of the loads and
 * stores of one axpy per row. Callers mirror the lower triangle.
 */
export function addGramUpper(y: Float32Array, k: number, start: number, end: number, out: Float64Array): void {
  let r = start;
  for (; r + 3 < end; r += 4) {
    const o0 = r * k;
    const o1 = o0 + k;
    const o2 = o1 + k;
    const o3 = o2 + k;
    for (let i = 0; i < k; i++) {
      const a0 = y[o0 + i];
      const a1 = y[o1 + i];
      const a2 = y[o2 + i];
      const a3 = y[o3 + i];
      const oi = i * k;
      for (let j = i; j < k; j++) out[oi + j] += a0 * y[o0 + j] + a1 * y[o1 + j] + a2 * y[o2 + j] + a3 * y[o3 + j];
    }
  }
  for (; r < end; r++) {
    const o = r * k;
    for (let i = 0; i < k; i++) {
      const a = y[o + i];
      if (a !== 0) axpy32x64(a, y, o + i, out, i * k + i, k - i);
    }
  }
}
