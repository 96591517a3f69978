import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadDemoDataset } from "../../src/ingest/demo-dataset.js";
import { generateDataset } from "../../src/ingest/generate/generate.js";
import { importPaths } from "../../src/ingest/import-files.js";
import { computeStats } from "../../src/store/stats.js";
import { openMemoryStore, scratchDir } from "./helpers.js";

const dir = scratchDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const sha = (file: string) => crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");

describe("musicrec generate", () => {
  it("is deterministic by seed", async () => {
    const options = { format: "kaggle" as const, users: 20, scrobbles: 5000, seed: 7 };
    const a = await generateDataset({ ...options, output: path.join(dir, "a.csv") });
    const b = await generateDataset({ ...options, output: path.join(dir, "b.csv") });
    const c = await generateDataset({ ...options, seed: 8, output: path.join(dir, "c.csv") });
    expect(sha(a.output)).toBe(sha(b.output));
    expect(sha(a.output)).not.toBe(sha(c.output));
    expect(JSON.parse(fs.readFileSync(a.marker, "utf8"))).toMatchObject({ synthetic: true, seed: 7, users: 20, scrobbles: 5000 });
  });

  it("writes importable kaggle and lfm1k files with the requested size, recorded as synthetic", async () => {
    for (const format of ["kaggle", "lfm1k"] as const) {
      const generated = await generateDataset({ format, users: 30, scrobbles: 6000, seed: 1, output: path.join(dir, `g.${format}`) });
      const store = await openMemoryStore();
      const summary = await importPaths(store, [generated.output]);
      expect(summary.files[0].format).toBe(format);
      expect(summary).toMatchObject({ imported: 6000, rejected: 0, duplicates: 0, users: 30, synthetic: true });
      expect(await store.isSynthetic()).toBe(true);
      store.close();
    }
  });

  it("has realistic structure: skewed popularity, album-ordered runs, sessions in waking hours", async () => {
    const generated = await generateDataset({ format: "lfm1k", users: 40, scrobbles: 20000, seed: 3, output: path.join(dir, "s.tsv") });
    const store = await openMemoryStore();
    await importPaths(store, [generated.output]);
    const stats = await computeStats(store, { top: 5 });
    expect(stats.synthetic).toBe(true);
    // Zipf-like: the top 10% of artists account for far more than 10% of plays.
    const share = await store.scalar(`
      WITH per_artist AS (SELECT i.artist_id, count(*) AS n FROM events e JOIN items i USING (item_id) GROUP BY ALL),
      ranked AS (SELECT n, row_number() OVER (ORDER BY n DESC) AS r, count(*) OVER () AS total FROM per_artist)
      SELECT sum(n) FILTER (WHERE r <= total / 10) / sum(n) FROM ranked`);
    expect(share).toBeGreaterThan(0.35);
    // Consecutive scrobbles of a user are often the same album.
    const sameAlbum = await store.scalar(`
      SELECT avg(CASE WHEN album_artist = lag_artist THEN 1 ELSE 0 END) FROM (
        SELECT i.artist_id AS album_artist, lag(i.artist_id) OVER (PARTITION BY e.user_id ORDER BY e.played_at) AS lag_artist
        FROM events e JOIN items i USING (item_id)) WHERE lag_artist IS NOT NULL`);
    expect(sameAlbum).toBeGreaterThan(0.4);
    const night = await store.scalar("SELECT avg(CASE WHEN hour(played_at) BETWEEN 3 AND 6 THEN 1 ELSE 0 END) FROM events");
    expect(night).toBeLessThan(0.1);
    store.close();
  });

  it("refuses impossible sizes with a clear message", async () => {
    await expect(generateDataset({ format: "kaggle", users: 10, scrobbles: 5, seed: 1, output: path.join(dir, "x.csv") })).rejects.toThrow(
      /--scrobbles must be an integer >= --users/,
    );
  });
});

describe("loadDemoDataset", () => {
  it("generates and imports the synthetic default dataset; a second call adds nothing", async () => {
    const store = await openMemoryStore();
    const summary = await loadDemoDataset(store);
    expect(summary).toMatchObject({ imported: 100_000, users: 300, synthetic: true });
    expect(await store.isSynthetic()).toBe(true);
    expect((await loadDemoDataset(store)).imported).toBe(0);
    store.close();
  });
});
