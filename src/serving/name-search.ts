/**
 * Search-as-you-type over a list of names: case-insensitive prefix matches first (binary search over
 * the names sorted once), then names containing the query elsewhere. A query costs O(log n + limit)
 * for prefixes and one pass over the folded names for substrings, well under a millisecond for tens
 * of thousands of names. The listener picker and the radio's seed picker both use it.
 */
export interface NameMatches {
  /** Indices into the names, prefix matches first, each group in name order; at most `limit`. */
  indices: number[];
  /** All matches. */
  total: number;
}

const fold = (text: string): string => text.normalize("NFC").toLowerCase();

export class NameSearch {
  /** Name indices ordered by folded name. */
  private readonly order: Int32Array;
  private readonly folded: string[];

  constructor(names: readonly string[]) {
    this.folded = names.map(fold);
    const order = Array.from(names, (_, i) => i);
    order.sort((a, b) => (this.folded[a] < this.folded[b] ? -1 : this.folded[a] > this.folded[b] ? 1 : a - b));
    this.order = Int32Array.from(order);
  }

  search(query: string, limit: number): NameMatches {
    const q = fold(query.trim());
    const indices: number[] = [];
    let total = 0;
    const start = this.lowerBound(q);
    let end = start;
    while (end < this.order.length && this.folded[this.order[end]].startsWith(q)) {
      if (indices.length < limit) indices.push(this.order[end]);
      end++;
    }
    total += end - start;
    if (q.length > 0) {
      for (let p = 0; p < this.order.length; p++) {
        if (p >= start && p < end) continue;
        const name = this.order[p];
        if (this.folded[name].includes(q)) {
          total++;
          if (indices.length < limit) indices.push(name);
        }
      }
    }
    return { indices, total };
  }

  private lowerBound(q: string): number {
    let lo = 0;
    let hi = this.order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.folded[this.order[mid]] < q) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
