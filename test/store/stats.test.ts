import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importPaths } from "../../src/ingest/import-files.js";
import { computeStats, userProfile } from "../../src/store/stats.js";
import { Store } from "../../src/store/store.js";
import { fixture, openMemoryStore, scratchDir } from "../ingest/helpers.js";

let store: Store;
beforeAll(async () => {
  store = await Store.open(":memory:");
  await importPaths(store, [fixture("kaggle.csv"), fixture("lfm1k.tsv")]);
});
afterAll(() => store.close());

describe("computeStats", () => {
  it("counts, date range, top lists, active users and plays per day", async () => {
    const stats = await computeStats(store, { top: 2 });
    expect(stats).toMatchObject({
      synthetic: false,
      level: "track",
      users: 4,
      artists: 6,
      tracks: 7,
      events: 10,
      plays: 10,
      timestampedEvents: 10,
      undatedPlays: 0,
      firstPlayed: "2009-05-03T15:48:25.000Z",
      lastPlayed: "2021-01-31T23:36:00.000Z",
    });
    expect(stats.topArtists[0]).toEqual({ artist: "Björk", plays: 3, listeners: 2 });
    expect(stats.topTracks[0]).toEqual({ artist: "Björk", track: "Jóga", plays: 3, listeners: 2 });
    expect(stats.activeUsers.map((u) => u.user)).toEqual(["alice", "bob"]);
    expect(stats.playsPerDay[0]).toEqual({ day: "2009-05-03", plays: 1 });
    expect(stats.playsPerDay.reduce((sum, day) => sum + day.plays, 0)).toBe(10);
    expect(JSON.parse(JSON.stringify(stats))).toEqual(stats);
  });

  it("counts the plays of tracks without a date", async () => {
    const undated = await openMemoryStore();
    await importPaths(undated, [fixture("lastfm-export-meaning.csv")], { user: "rj" });
    expect(await computeStats(undated)).toMatchObject({ events: 4, plays: 5, timestampedEvents: 2, undatedPlays: 3 });
    undated.close();
  });

  it("userProfile: top artists, plays per day and week; null for unknown users", async () => {
    const profile = await userProfile(store, "alice");
    expect(profile).toMatchObject({ user: "alice", plays: 3, items: 2, artists: 2 });
    expect(profile?.topArtists[0]).toEqual({ artist: "Björk", plays: 2 });
    expect(profile?.playsPerDay).toEqual([
      { day: "2021-01-30", plays: 1 },
      { day: "2021-01-31", plays: 2 },
    ]);
    expect(profile?.playsPerWeek).toEqual([{ week: "2021-01-25", plays: 3 }]);
    expect(await userProfile(store, "nobody")).toBeNull();
  });
});

describe("Store", () => {
  it("creates parent folders, reopens read-only, and refuses a missing read-only store", async () => {
    const dir = scratchDir();
    const file = path.join(dir, "nested", "store.duckdb");
    const created = await Store.open(file);
    expect(await created.isEmpty()).toBe(true);
    expect(await created.isSynthetic()).toBe(false);
    await importPaths(created, [fixture("lfm1k.tsv")]);
    created.close();
    const reopened = await Store.open(file, { readOnly: true });
    expect(await reopened.isEmpty()).toBe(false);
    reopened.close();
    await expect(Store.open(path.join(dir, "none.duckdb"), { readOnly: true })).rejects.toThrow(/no store at/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
