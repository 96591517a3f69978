import type { CsrMatrix } from "./csr.js";

/**
 * Number of distinct users who played each item (column non-zeros of a users × items play
 * matrix): the popularity baseline, SVD's popularity scaling and the novelty metric all use it.
 */
export function listenerCounts(plays: Pick<CsrMatrix, "cols" | "indices" | "data">): Float32Array {
  const counts = new Float32Array(plays.cols);
  for (let p = 0; p < plays.indices.length; p++) if (plays.data[p] > 0) counts[plays.indices[p]]++;
  return counts;
}
