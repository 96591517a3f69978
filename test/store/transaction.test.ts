import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Store } from "../../src/store/store.js";

let store: Store;
beforeEach(async () => {
  store = await Store.open(":memory:");
});
afterEach(() => store.close());

const userCount = async () => store.scalar("SELECT count(*) FROM users");

describe("Store.transaction", () => {
  it("commits what the work wrote, rolls everything back when it throws", async () => {
    await store.transaction(() => store.connection.run("INSERT INTO users VALUES (0, 'a')"));
    await expect(
      store.transaction(async () => {
        await store.connection.run("INSERT INTO users VALUES (1, 'b')");
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(await userCount()).toBe(1);
  });

  it("a nested call joins the outer transaction: an error after it undoes the inner writes too", async () => {
    await expect(
      store.transaction(async () => {
        await store.transaction(() => store.connection.run("INSERT INTO users VALUES (0, 'a')"));
        await store.connection.run("INSERT INTO users VALUES (1, 'b')");
        throw new Error("later");
      }),
    ).rejects.toThrow("later");
    expect(await userCount()).toBe(0);
    await store.transaction(async () => {
      await store.transaction(() => store.connection.run("INSERT INTO users VALUES (0, 'a')"));
    });
    expect(await userCount()).toBe(1);
    // The depth is back to zero: a new transaction begins (and can roll back) on its own.
    await expect(store.transaction(() => store.connection.run("INSERT INTO users VALUES (0, 'dup')"))).rejects.toThrow();
    expect(await userCount()).toBe(1);
  });
});
