import { describe, expect, it } from "vitest";
import { defaultK, trainingSetFor } from "../../src/data/k-core-choice.js";
import { UserError } from "../../src/util/errors.js";
import { interactions } from "./interactions-fixture.js";

/** `users` listeners who all play items 0..shared-1 and `own` items nobody else plays. */
function community(users: number, shared: number, own: number) {
  const rows = Array.from({ length: users }, (_, u) => [
    ...Array.from({ length: shared }, (_, i) => i),
    ...Array.from({ length: own }, (_, i) => shared + u * own + i),
  ]);
  return interactions(rows, shared + users * own);
}

describe("the k-core chosen from the data", () => {
  it("scales with the number of listeners: none below 20, 2/2 from 20, 5/5 from 50", () => {
    expect([1, 9, 10, 19, 20, 35, 49, 50, 1892].map(defaultK)).toEqual([1, 1, 1, 1, 2, 3, 4, 5, 5]);
  });

  it("keeps every item of a few listeners with little overlap (the Kaggle shape) and says so", () => {
    const { training, kCore } = trainingSetFor(community(10, 2, 30));
    expect(kCore).toMatchObject({ minUserItems: 1, minItemUsers: 1, auto: true });
    expect(kCore.description).toMatch(/^k-core chosen for 10 listeners: no filtering/);
    expect(training.plays.cols).toBe(2 + 10 * 30);
  });

  it("applies 5/5 to many listeners when most of them keep enough items", () => {
    const { training, kCore } = trainingSetFor(community(60, 8, 3));
    expect(kCore).toMatchObject({ minUserItems: 5, minItemUsers: 5 });
    expect(kCore.description).toContain("--min-user-items 5 --min-item-users 5");
    expect(training.plays.cols).toBe(8);
    expect(training.plays.rows).toBe(60);
  });

  it("steps down when 5/5 would keep fewer than half of the listeners", () => {
    // 60 listeners sharing only 3 items: nobody has 5 items in the 5/5 core, 3/3 keeps them all.
    const { training, kCore } = trainingSetFor(community(60, 3, 2));
    expect(kCore).toMatchObject({ minUserItems: 3, minItemUsers: 3 });
    expect(kCore.description).toContain("relaxed from 5 so that at least half of them stay");
    expect(training.plays.rows).toBe(60);
  });

  it("honours thresholds the user sets, and refuses ones that leave nothing", () => {
    const { kCore } = trainingSetFor(community(10, 2, 30), { minUserItems: 2, minItemUsers: 2 });
    expect(kCore).toEqual({ minUserItems: 2, minItemUsers: 2, auto: false, description: "k-core --min-user-items 2 --min-item-users 2 (as given)" });
    expect(() => trainingSetFor(community(10, 2, 30), { minUserItems: 5, minItemUsers: 11 })).toThrow(UserError);
    expect(() => trainingSetFor(community(10, 2, 30), { minItemUsers: 11 })).toThrow(/--min-item-users 11\); lower the threshold you set/);
  });
});
