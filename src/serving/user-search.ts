/**
 * Search-as-you-type over user names: case-insensitive prefix matches first (binary search over
 * the names sorted once at startup), then names containing the query elsewhere. A query costs
 * O(log n + limit) for prefixes and one pass over the folded names for substrings, well under a
 * millisecond for tens of thousands of users.
 */
export interface UserMatch {
  name: string;
  /** Distinct items the user played (the row length of the training matrix). */
  items: number;
}

export interface UserSearchResult {
  users: UserMatch[];
  /** All matches, of which at most `limit` are listed. */
  total: number;
}

const fold = (text: string): string => text.normalize("NFC").toLowerCase();

export class UserSearch {
  /** User indices ordered by folded name. */
  private readonly order: Int32Array;
  private readonly folded: string[];

  constructor(
    private readonly names: readonly string[],
    private readonly itemCounts: (user: number) => number,
  ) {
    this.folded = names.map(fold);
    const order = Array.from(names, (_, i) => i);
    order.sort((a, b) => (this.folded[a] < this.folded[b] ? -1 : this.folded[a] > this.folded[b] ? 1 : a - b));
    this.order = Int32Array.from(order);
  }

  search(query: string, limit: number): UserSearchResult {
    const q = fold(query.trim());
    const picked: number[] = [];
    let total = 0;
    const start = this.lowerBound(q);
    let end = start;
    while (end < this.order.length && this.folded[this.order[end]].startsWith(q)) {
      if (picked.length < limit) picked.push(this.order[end]);
      end++;
    }
    total += end - start;
    if (q.length > 0) {
      for (let p = 0; p < this.order.length; p++) {
        if (p >= start && p < end) continue;
        const user = this.order[p];
        if (this.folded[user].includes(q)) {
          total++;
          if (picked.length < limit) picked.push(user);
        }
      }
    }
    return { users: picked.map((user) => ({ name: this.names[user], items: this.itemCounts(user) })), total };
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
