/**
 * Puts scores of different models on one scale before fusing them: z-scores over the catalogue
 * (mean 0, standard deviation 1). Cosine similarities, dot products and counts become comparable,
 * and a constant vector (no information) becomes all zeros. Scores that are not finite (NaN: an
 * item an imported model has no factors for) count for neither the mean nor the deviation and stay NaN.
 */
export function standardize(scores: Float32Array): Float32Array {
  const n = scores.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += scores[i];
  // The common case stays one plain pass; only a vector with a non-finite score takes the careful one.
  if (!Number.isFinite(mean)) return standardizeFinite(scores);
  mean /= n || 1;
  let variance = 0;
  for (let i = 0; i < n; i++) variance += (scores[i] - mean) ** 2;
  const std = Math.sqrt(variance / (n || 1));
  const out = new Float32Array(n);
  if (std > 0) for (let i = 0; i < n; i++) out[i] = (scores[i] - mean) / std;
  return out;
}

function standardizeFinite(scores: Float32Array): Float32Array {
  const n = scores.length;
  let count = 0;
  let mean = 0;
  for (let i = 0; i < n; i++) {
    if (Number.isFinite(scores[i])) {
      mean += scores[i];
      count++;
    }
  }
  mean /= count || 1;
  let variance = 0;
  for (let i = 0; i < n; i++) if (Number.isFinite(scores[i])) variance += (scores[i] - mean) ** 2;
  const std = Math.sqrt(variance / (count || 1));
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(scores[i])) out[i] = Number.NaN;
    else if (std > 0) out[i] = (scores[i] - mean) / std;
  }
  return out;
}
