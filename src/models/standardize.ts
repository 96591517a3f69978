/**
 * Puts scores of different models on one scale before fusing them: z-scores over the catalogue
 * (mean 0, standard deviation 1). Cosine similarities, dot products and counts become comparable,
 * and a constant vector (no information) becomes all zeros.
 */
export function standardize(scores: Float32Array): Float32Array {
  const n = scores.length;
  const { mean, std } = meanAndStd(scores);
  const out = new Float32Array(n);
  if (std > 0) for (let i = 0; i < n; i++) out[i] = (scores[i] - mean) / std;
  return out;
}

/** Mean and (population) standard deviation of the scores. */
export function meanAndStd(scores: Float32Array): { mean: number; std: number } {
  const n = scores.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += scores[i];
  mean /= n || 1;
  let variance = 0;
  for (let i = 0; i < n; i++) variance += (scores[i] - mean) ** 2;
  return { mean, std: Math.sqrt(variance / (n || 1)) };
}
