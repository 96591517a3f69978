import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { itemLabel } from "../../src/data/interactions.js";
import { importPaths } from "../../src/ingest/import-files.js";
import { itemKey } from "../../src/data/item-key.js";
import { defaultLevel, loadInteractions, timeCutoff } from "../../src/store/load-interactions.js";
import { Store } from "../../src/store/store.js";
import { fixture } from "../ingest/helpers.js";

let store: Store;
beforeAll(async () => {
  store = await Store.open(":memory:");
  await importPaths(store, [fixture("kaggle.csv"), fixture("lfm1k.tsv")]);
});
afterAll(() => store.close());

/** "user: item label ×plays" for every pair. */
function pairs(data: Awaited<ReturnType<typeof loadInteractions>>): string[] {
  return Array.from(data.userIdx, (u, p) => `${data.userNames[u]}: ${itemLabel(data.catalog, data.itemIdx[p])} ×${data.plays[p]}`);
}

describe("loadInteractions", () => {
  it("aggregates scrobbles per (user, track) with first/last play", async () => {
    expect(await defaultLevel(store)).toBe("track");
    const data = await loadInteractions(store);
    expect(data.catalog.level).toBe("track");
    expect(data.userNames).toEqual(["alice", "bob", "user_000001", "user_000002"]);
    expect(data.catalog.keys.length).toBe(7);
    expect(pairs(data)).toContain("alice: Björk – Jóga ×2");
    const joga = data.catalog.keys.indexOf(itemKey("BJO\u0308RK ", "JÓGA".normalize("NFD")));
    expect(joga).toBeGreaterThanOrEqual(0);
    const alice = data.userNames.indexOf("alice");
    const p = Array.from(data.userIdx).findIndex((u, i) => u === alice && data.itemIdx[i] === joga);
    expect(new Date(data.firstPlayed[p]).toISOString()).toBe("2021-01-31T23:30:00.000Z");
    expect(new Date(data.lastPlayed[p]).toISOString()).toBe("2021-01-31T23:36:00.000Z");
    expect(data.catalog.albums[joga]).toBe("Homogenic");
    // Items of one artist share the artist index.
    const sakamoto = data.catalog.artists.map((a, i) => (a === "坂本龍一" ? data.catalog.artistIndex[i] : -1)).filter((i) => i >= 0);
    expect(new Set(sakamoto).size).toBe(1);
    expect(sakamoto).toHaveLength(2);
  });

  it("aggregates tracks to their artist at artist level", async () => {
    const data = await loadInteractions(store, { level: "artist" });
    expect(data.catalog.tracks.every((track) => track === null)).toBe(true);
    expect(data.catalog.keys.length).toBe(6);
    expect(pairs(data)).toContain("user_000001: 坂本龍一 ×1");
    expect(pairs(data)).toContain("user_000002: 坂本龍一 ×1");
    expect(Array.from(data.catalog.artistIndex)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it("filters by time window but keeps the full catalogue and user list in the same order", async () => {
    const all = await loadInteractions(store);
    const cutoff = new Date("2021-01-01T00:00:00Z");
    const before = await loadInteractions(store, { to: cutoff });
    const after = await loadInteractions(store, { from: cutoff });
    expect(before.catalog.keys).toEqual(all.catalog.keys);
    expect(after.userNames).toEqual(all.userNames);
    expect(before.userIdx.length + after.userIdx.length).toBe(all.userIdx.length);
    expect(new Set(Array.from(before.userIdx, (u) => before.userNames[u]))).toEqual(new Set(["user_000001", "user_000002"]));
  });

  it("timeCutoff leaves the last fraction of timestamped events at or after it", async () => {
    const cutoff = await timeCutoff(store, 0.5);
    const later = await store.scalar(`SELECT count(*) FROM events WHERE played_at >= epoch_ms(${cutoff.getTime()}::BIGINT)`);
    // 10 events; the 6th-newest shares its minute with the 5th (bob's two plays at 09:00).
    expect(cutoff.toISOString()).toBe("2021-01-29T09:00:00.000Z");
    expect(later).toBe(6);
    await expect(timeCutoff(store, 1.5)).rejects.toThrow(/between 0 and 1/);
  });

  it("a store mixing play counts with scrobbles learns at the level most listeners have", async () => {
    const mixed = await Store.open(":memory:");
    try {
      // HetRec's 3 count-only listeners and 2 scrobbling ones (alice, bob): artist level, where all 5 have plays.
      await importPaths(mixed, [fixture("hetrec-mini"), fixture("kaggle.csv")]);
      expect(await defaultLevel(mixed)).toBe("artist");
      expect((await loadInteractions(mixed)).userNames).toHaveLength(5);
      // 2 more scrobbling listeners: 4 of 7 played tracks by name.
      await importPaths(mixed, [fixture("lfm1k.tsv")]);
      expect(await defaultLevel(mixed)).toBe("track");
    } finally {
      mixed.close();
    }
  });

  it("play-count data: artist level by default, tags attached, no timestamps, time split refused", async () => {
    const hetrec = await Store.open(":memory:");
    await importPaths(hetrec, [fixture("hetrec-mini")]);
    expect(await defaultLevel(hetrec)).toBe("artist");
    const data = await loadInteractions(hetrec);
    const bjork = data.catalog.artists.indexOf("Björk");
    expect(data.catalog.tags[bjork]).toEqual(["müsic", "français"]);
    expect(Number.isNaN(data.firstPlayed[0])).toBe(true);
    expect(Array.from(data.plays).reduce((a, b) => a + b, 0)).toBe(13883 + 500 + 20 + 700 + 5);
    expect((await loadInteractions(hetrec, { from: new Date(0) })).plays.length).toBe(0);
    await expect(timeCutoff(hetrec, 0.2)).rejects.toThrow(/no timestamped events/);
    hetrec.close();
  });
});
