/**
 * Indices of the k largest scores, best first, skipping indices the filter rejects. A bounded
 * min-heap keeps it O(n log k) with no allocation per element. Ties break towards the lower index
 * so results are deterministic.
 */
export function topK(scores: ArrayLike<number>, k: number, accept?: (index: number) => boolean): Int32Array {
  if (k <= 0) return new Int32Array(0);
  const heap = new Int32Array(k);
  let size = 0;
  // "a ranks below b": lower score, or equal score and higher index.
  const below = (a: number, b: number) => scores[a] < scores[b] || (scores[a] === scores[b] && a > b);
  const siftDown = (start: number) => {
    let i = start;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < size && below(heap[l], heap[m])) m = l;
      if (r < size && below(heap[r], heap[m])) m = r;
      if (m === i) return;
      const t = heap[i];
      heap[i] = heap[m];
      heap[m] = t;
      i = m;
    }
  };
  for (let i = 0; i < scores.length; i++) {
    const score = scores[i];
    // Most items score below the k-th best so far: that one comparison rules them out, before the filter.
    if (Number.isNaN(score) || (size === k && score < scores[heap[0]]) || (accept && !accept(i))) continue;
    if (size < k) {
      heap[size] = i;
      let c = size++;
      while (c > 0) {
        const p = (c - 1) >> 1;
        if (!below(heap[c], heap[p])) break;
        const t = heap[c];
        heap[c] = heap[p];
        heap[p] = t;
        c = p;
      }
    } else if (below(heap[0], i)) {
      heap[0] = i;
      siftDown(0);
    }
  }
  const out = heap.slice(0, size);
  out.sort((a, b) => (below(a, b) ? 1 : below(b, a) ? -1 : 0));
  return out;
}
