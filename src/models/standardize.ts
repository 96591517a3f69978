/**
 * Puts scores of different models on one scale before fusing them: z-scores over the catalogue
 * (mean 0, standard deviation 1). Cosine similarities, dot products and counts become comparable,
 * and a constant vector (no information) becomes all zeros. Scores that are not finite (NaN: an
 * item an imported model has no factors for) count for neither the mean nor the deviation and stay NaN.
 */
export function standardize(scores: Float32Array): Float32Array {
  const out = new Float32Array(scores.length);
  addStandardized(scores, 1, out);
  return out;
}

/**
 * out += weight · standardize(scores), without the z-score vector in between (the hybrid fuses its
 * parts so on every request); each z-score is rounded to float32 first, exactly as standardize
 * gives it. A non-finite score makes its entry NaN.
 */
export function addStandardized(scores: Float32Array, weight: number, out: Float32Array): void {
  const n = scores.length;
  const { mean, std, allFinite } = meanAndStd(scores);
  if (allFinite) {
    // A multiplication by 1/std, not a division per item: the hybrid runs this on every request.
    const inverse = 1 / std;
    if (std > 0) for (let i = 0; i < n; i++) out[i] += weight * Math.fround((scores[i] - mean) * inverse);
    return;
  }
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(scores[i])) out[i] = Number.NaN;
    else if (std > 0) out[i] += weight * Math.fround((scores[i] - mean) / std);
  }
}

/** Mean and (population) standard deviation of the finite scores; `allFinite` when there is no other. */
export function meanAndStd(scores: Float32Array): { mean: number; std: number; allFinite: boolean } {
  const n = scores.length;
  let mean = 0;
  let squares = 0;
  for (let i = 0; i < n; i++) {
    const score = scores[i];
    mean += score;
    squares += score * score;
  }
  // The common case stays one plain pass (sums in float64: float32 scores leave it ~29 bits to
  // spare against cancellation); only a vector with a non-finite score takes the careful one.
  if (Number.isFinite(mean) && Number.isFinite(squares)) {
    mean /= n || 1;
    const variance = Math.max(0, squares / (n || 1) - mean * mean);
    return { mean, std: Math.sqrt(variance), allFinite: true };
  }
  let count = 0;
  mean = 0;
  for (let i = 0; i < n; i++) {
    if (Number.isFinite(scores[i])) {
      mean += scores[i];
      count++;
    }
  }
  mean /= count || 1;
  let variance = 0;
  for (let i = 0; i < n; i++) if (Number.isFinite(scores[i])) variance += (scores[i] - mean) ** 2;
  return { mean, std: Math.sqrt(variance / (count || 1)), allFinite: false };
}
