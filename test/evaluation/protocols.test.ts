import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Store } from "../../src/store/store.js";
import { importPaths } from "../../src/ingest/import-files.js";
import { itemKey } from "../../src/data/item-key.js";
import { splitSource, type ProtocolOptions } from "../../src/evaluation/protocols.js";
import type { SplitSource } from "../../src/evaluation/evaluate.js";
import type { Split } from "../../src/data/split.js";
import { heldOutCount } from "../../src/data/split.js";
import { kaggleCsv, scrobbles, type Scrobble } from "./fixtures.js";

/** The split's pairs as "user|key" strings, per part. */
function pairs(source: SplitSource, split: Split, part: "train" | "test"): Set<string> {
  const m = split[part];
  const out = new Set<string>();
  for (let u = 0; u < m.rows; u++) for (const i of m.rowIndices(u)) out.add(`${source.userNames[u]}|${source.catalog.keys[i]}`);
  return out;
}

const keyOf = (r: Scrobble) => `${r.user}|${itemKey(r.artist, r.track)}`;
const base: Omit<ProtocolOptions, "protocol"> = { testFraction: 0.2, lastN: 2, minUserItems: 1, minItemUsers: 1 };

describe("evaluation protocols over a store", () => {
  const rows = scrobbles();
  let dir = "";
  let store: Store;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "protocols-"));
    const file = path.join(dir, "scrobbles.csv");
    fs.writeFileSync(file, kaggleCsv(rows));
    store = await Store.open(":memory:");
    await importPaths(store, [file]);
  });

  afterAll(() => {
    store.close();
    fs.rmSync(dir, { recursive: true });
  });

  it("time: train = pairs before the cutoff of the last 20% of events; test = later new pairs of known users and items", async () => {
    const source = await splitSource(store, { ...base, protocol: "time" });
    expect(source.protocol).toBe("time");
    const split = await source.split(0);
    const cutoff = rows[rows.length - Math.ceil(rows.length * 0.2)].time;
    const train = new Set(rows.filter((r) => r.time < cutoff).map(keyOf));
    const trainUsers = new Set(rows.filter((r) => r.time < cutoff).map((r) => r.user));
    const trainItems = new Set(rows.filter((r) => r.time < cutoff).map((r) => itemKey(r.artist, r.track)));
    const test = new Set(
      rows
        .filter((r) => r.time >= cutoff && trainUsers.has(r.user) && trainItems.has(itemKey(r.artist, r.track)))
        .map(keyOf)
        .filter((pair) => !train.has(pair)),
    );
    expect(pairs(source, split, "train")).toEqual(train);
    expect(pairs(source, split, "test")).toEqual(test);
    expect(test.size).toBeGreaterThan(5);
  });

  it("time with included re-listens keeps test pairs that are also in train", async () => {
    const source = await splitSource(store, { ...base, protocol: "time", includePlayed: true });
    const split = await source.split(0);
    const train = pairs(source, split, "train");
    expect([...pairs(source, split, "test")].some((pair) => train.has(pair))).toBe(true);
  });

  it("the protocol defaults to time on timestamped data", async () => {
    expect((await splitSource(store, base)).protocol).toBe("time");
  });

  it("last: each user's N most recently played distinct tracks", async () => {
    const source = await splitSource(store, { ...base, protocol: "last" });
    const split = await source.split(0);
    const lastPlayed = new Map<string, number>();
    for (const r of rows) lastPlayed.set(keyOf(r), Math.max(lastPlayed.get(keyOf(r)) ?? 0, r.time));
    const expected = new Set<string>();
    for (const user of new Set(rows.map((r) => r.user))) {
      const mine = [...lastPlayed.entries()].filter(([pair]) => pair.startsWith(`${user}|`)).sort((a, b) => b[1] - a[1]);
      for (const [pair] of mine.slice(0, Math.min(2, mine.length - 1))) expected.add(pair);
    }
    expect(pairs(source, split, "test")).toEqual(expected);
  });

  it("random: per user round(20%) of the distinct tracks, the rest in train", async () => {
    const source = await splitSource(store, { ...base, protocol: "random" });
    const split = await source.split(3);
    const all = new Set(rows.map(keyOf));
    const train = pairs(source, split, "train");
    const test = pairs(source, split, "test");
    expect(new Set([...train, ...test])).toEqual(all);
    for (let u = 0; u < split.train.rows; u++) {
      const n = split.train.rowNnz(u) + split.test.rowNnz(u);
      expect(split.test.rowNnz(u)).toBe(heldOutCount(n, 0.2));
    }
  });

  it("applies the k-core before splitting", async () => {
    const source = await splitSource(store, { ...base, protocol: "random", minUserItems: 1, minItemUsers: 7 });
    const usersPerTrack = new Map<string, Set<string>>();
    for (const r of rows) {
      const key = itemKey(r.artist, r.track);
      usersPerTrack.set(key, (usersPerTrack.get(key) ?? new Set()).add(r.user));
    }
    const kept = [...usersPerTrack.entries()].filter(([, users]) => users.size >= 7).map(([key]) => key);
    expect(new Set(source.catalog.keys)).toEqual(new Set(kept));
    expect(kept.length).toBeLessThan(usersPerTrack.size);
  });

  it("rejects a protocol that needs timestamps on data without them", async () => {
    const hetrecLike = await Store.open(":memory:");
    try {
      const folder = path.join(dir, "hetrec");
      fs.mkdirSync(folder);
      fs.writeFileSync(path.join(folder, "user_artists.dat"), "userID\tartistID\tweight\n1\t1\t5\n1\t2\t3\n2\t1\t4\n");
      fs.writeFileSync(path.join(folder, "artists.dat"), "id\tname\turl\tpictureURL\n1\tA\t\t\n2\tB\t\t\n");
      await importPaths(hetrecLike, [folder]);
      await expect(splitSource(hetrecLike, { ...base, protocol: "time" })).rejects.toThrow(/--protocol time needs play timestamps/);
      expect((await splitSource(hetrecLike, base)).protocol).toBe("random");
    } finally {
      hetrecLike.close();
    }
  });
});
