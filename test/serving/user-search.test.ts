import { describe, expect, it } from "vitest";
import { UserSearch } from "../../src/serving/user-search.js";

describe("UserSearch", () => {
  const names = ["babs_05", "Alice", "bob", "Zoë", "alicia", "MALICE", "carol"];
  const search = new UserSearch(names, (user) => user * 10);

  it("lists case-insensitive prefix matches first, then substring matches", () => {
    const result = search.search("ali", 10);
    expect(result.users.map((u) => u.name)).toEqual(["Alice", "alicia", "MALICE"]);
    expect(result.total).toBe(3);
    expect(result.users[0].items).toBe(10);
  });

  it("caps the list at the limit but counts every match", () => {
    const result = search.search("a", 2);
    expect(result.users).toHaveLength(2);
    expect(result.total).toBe(5); // alice, alicia, babs_05, carol, malice
  });

  it("returns users in name order for an empty query and matches accents", () => {
    expect(search.search("", 3).users.map((u) => u.name)).toEqual(["Alice", "alicia", "babs_05"]);
    expect(search.search("zoë", 5).users.map((u) => u.name)).toEqual(["Zoë"]);
    expect(search.search("nobody", 5)).toEqual({ users: [], total: 0 });
  });

  it("stays fast with thousands of users", () => {
    const many = Array.from({ length: 50_000 }, (_, i) => `user${i}`);
    const big = new UserSearch(many, () => 1);
    const result = big.search("user4999", 5);
    expect(result.users[0].name).toBe("user4999");
    expect(result.total).toBe(11); // user4999 and user49990..user49999
  });
});
