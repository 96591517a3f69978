/** The listener picker's search: user names (src/serving/name-search.ts) with how many items each played. */
import { NameSearch } from "./name-search.js";

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

export class UserSearch {
  private readonly names: NameSearch;

  constructor(
    private readonly userNames: readonly string[],
    private readonly itemCounts: (user: number) => number,
  ) {
    this.names = new NameSearch(userNames);
  }

  search(query: string, limit: number): UserSearchResult {
    const { indices, total } = this.names.search(query, limit);
    return { users: indices.map((user) => ({ name: this.userNames[user], items: this.itemCounts(user) })), total };
  }
}
