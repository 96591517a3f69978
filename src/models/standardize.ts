/**
 * Puts scores of different models on one scale before fusing them: z-scores over the catalogue
 * (mean 0, standard deviation 1). Cosine similarities, dot products and counts become comparable,
 * and a constant vector (no information) becomes all zeros. Scores that are not finite (NaN: an
 * item an imported model has no factors for) count for neither the mean nor the deviation and stay NaN.
 */
export function standardize(scores: Float32Array): Float32Array {
  const n = scores.length;
  const { mean, std, allFinite } = meanAndStd(scores);
  const out = new Float32Array(n);
  if (allFinite) {
    if (std > 0) for (let i = 0; i < n; i++) out[i] = (scores[i] - mean) / std;
    return out;
  }
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(scores[i])) out[i] = Number.NaN;
    else if (std > 0) out[i] = (scores[i] - mean) / std;
  }
  return out;
}

/** Mean and (population) standard deviation of the finite scores; `allFinite` when there is no other. */
export function meanAndStd(scores: Float32Array): { mean: number; std: number; allFinite: boolean } {
  const n = scores.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += scores[i];
  // The common case stays one plain pass; only a vector with a non-finite score takes the careful one.
  if (Number.isFinite(mean)) {
    mean /= n || 1;
    let variance = 0;
    for (let i = 0; i < n; i++) variance += (scores[i] - mean) ** 2;
    return { mean, std: Math.sqrt(variance / (n || 1)), allFinite: true };
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
