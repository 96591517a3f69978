import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { importPaths } from "../../src/ingest/import-files.js";
import { Store } from "../../src/store/store.js";
import { bestMatch, createTagSource, topTags } from "../../src/sync/artist-tag-sources.js";
import { enrichArtistTags } from "../../src/sync/enrich-tags.js";
import { MUSICBRAINZ_INTERVAL_MS, artistQuery } from "../../src/sync/musicbrainz-client.js";
import { fixture, scratchDir } from "../ingest/helpers.js";
import { lastfmApi, musicBrainzApi, type MusicBrainzArtist } from "./fake-apis.js";
import { FakeServer, json } from "./fake-server.js";
import { FAST } from "./timing.js";

const ARTISTS: MusicBrainzArtist[] = [
  {
    id: "a74b1b7f-71a5-4011-9441-d0b5e4122711",
    name: "Radiohead",
    genres: [{ name: "alternative rock", count: 21 }, { name: "art rock", count: 17 }, { name: "experimental rock", count: 9 }],
    tags: [{ name: "alternative rock", count: 21 }, { name: "British", count: 8 }, { name: "downvoted", count: -2 }],
  },
  { id: "8f6bd1e4-fbe1-45d6-8f00-f9f14d7b5e34", name: "Portishead", genres: [{ name: "trip hop", count: 14 }], tags: [{ name: "trip hop", count: 14 }, { name: "bristol", count: 3 }] },
  { id: "9a2d8a3c-6f53-4b0b-9d63-1e7d0c6a4f11", name: "Portishead Tribute Band", genres: [], tags: [{ name: "covers", count: 2 }] },
  { id: "87c5dedd-371d-4a53-9f7f-80522fb7f3cb", name: "Björk", genres: [{ name: "art pop", count: 12 }, { name: "electronic", count: 10 }], tags: [] },
  { id: "63aa26c3-d59b-4da4-84ac-716b54f1ef4d", name: "Tame Impala", genres: [], tags: [] },
];

let store: Store;
let server: FakeServer;
let apiUrl: string;

beforeEach(async () => {
  store = await Store.open(":memory:");
  // Portishead, Radiohead, Björk (ListenBrainz page), Sigur Rós, Tame Impala (Last.fm page); Björk has a tag already.
  await importPaths(store, [fixture("listenbrainz-api-page.json"), fixture("lastfm-api-page.json")]);
  await store.connection.run("INSERT INTO artist_tags SELECT artist_id, 'icelandic', 3 FROM artists WHERE name = 'Björk'");
  server = new FakeServer(musicBrainzApi(ARTISTS));
  apiUrl = `${await server.start()}/ws/2`;
});
afterEach(async () => {
  store.close();
  await server.close();
});

const musicbrainz = (timing = { ...FAST, intervalMs: 20 }) => createTagSource({ source: "musicbrainz", apiUrl, timing });

async function tagsOf(artist: string): Promise<string[]> {
  const rows = await store.all(
    "SELECT t.tag, t.weight FROM artist_tags t JOIN artists a USING (artist_id) WHERE a.name = $artist ORDER BY t.weight DESC, t.tag",
    { artist },
  );
  return rows.map((row) => `${row.tag}:${row.weight}`);
}

describe("enrich tags", () => {
  it("merges genres and tags, lower-cased, most votes first, positive only", () => {
    expect(topTags([{ name: "Rock", count: 3 }, { name: "rock ", count: 5 }, { name: "seen live", count: 0 }, { name: "indie", count: 5 }])).toEqual([
      { name: "indie", weight: 5 },
      { name: "rock", weight: 5 },
    ]);
    expect(artistQuery('Sunn O))) "Live"')).toBe('artist:"Sunn O))) \\"Live\\""');
    const hit = (name: string, score: number) => ({ id: name, name, sortName: null, aliases: [], score });
    expect(bestMatch("portishead", [hit("Portishead Tribute Band", 100), hit("Portishead", 100)])?.name).toBe("Portishead");
    expect(bestMatch("Portishead", [hit("Portishead", 80)])).toBeNull();
    expect(MUSICBRAINZ_INTERVAL_MS).toBe(1000);
  });

  it("looks up every artist without tags on MusicBrainz, remembers the misses, and a re-run asks nothing", async () => {
    process.env.MUSICREC_CONTACT = "ops@example.org";
    try {
      const result = await enrichArtistTags(store, musicbrainz());
      expect(result).toMatchObject({ source: "musicbrainz", artists: 4, tagged: 2, tags: 6, remaining: 0 });
    } finally {
      delete process.env.MUSICREC_CONTACT;
    }
    expect(await tagsOf("Radiohead")).toEqual(["alternative rock:21", "art rock:17", "experimental rock:9", "british:8"]);
    expect(await tagsOf("Portishead")).toEqual(["trip hop:14", "bristol:3"]);
    expect(await tagsOf("Björk")).toEqual(["icelandic:3"]);
    expect(await tagsOf("Tame Impala")).toEqual([]);
    // Sigur Rós is unknown to this MusicBrainz: one search; the other three: search + lookup.
    expect(server.requests.length).toBe(7);
    const search = server.requests[0];
    expect(search.url.searchParams.get("fmt")).toBe("json");
    expect(search.headers["user-agent"]).toMatch(/^musicrec\/\d+\.\d+\.\d+ \( ops@example\.org \)$/);
    expect(server.requests.filter((request) => request.url.pathname.startsWith("/ws/2/artist/")).every((request) => request.url.searchParams.get("inc") === "genres+tags")).toBe(true);
    // Paced 20 ms apart when sent; arrival times jitter on a loaded machine, so the whole span is checked
    // (one late first arrival can shorten it by at most one interval).
    const span = server.requests.at(-1)!.at - server.requests[0].at;
    expect(span).toBeGreaterThanOrEqual((server.requests.length - 2) * 20);
    const lookups = await store.all("SELECT a.name, l.tags FROM artist_tag_lookups l JOIN artists a USING (artist_id) ORDER BY a.name");
    expect(lookups.map((row) => `${row.name}:${row.tags}`)).toEqual(["Portishead:2", "Radiohead:4", "Sigur Rós:0", "Tame Impala:0"]);

    expect(await enrichArtistTags(store, musicbrainz())).toMatchObject({ artists: 0, remaining: 0 });
    expect(server.requests.length).toBe(7);
  });

  it("waits on 503 (MusicBrainz's rate limiting), retries a 502, and a limit takes the most played first", async () => {
    const file = path.join(scratchDir(), "tame-impala.json");
    const scrobble = (uts: number) => ({ artist: { "#text": "Tame Impala" }, name: "Elephant", date: { uts: String(uts) } });
    fs.writeFileSync(file, JSON.stringify({ recenttracks: { track: [scrobble(1600000000), scrobble(1600000300)] } }));
    await importPaths(store, [file], { user: "me" });
    server.faults.push(
      { when: (_, index) => index === 0, reply: json({ error: "Your requests are exceeding the allowable rate limit." }, 503, { "Retry-After": "0" }) },
      { when: (_, index) => index === 1, reply: { status: 502, body: "Bad Gateway" } },
    );
    const result = await enrichArtistTags(store, musicbrainz(), { limit: 2 });
    expect(result).toMatchObject({ artists: 2, remaining: 2 });
    expect((await store.all("SELECT a.name FROM artist_tag_lookups JOIN artists a USING (artist_id) ORDER BY ALL")).map((row) => row.name)).toEqual(["Portishead", "Tame Impala"]);
    expect(server.requests.length).toBe(2 + 4);
  });

  it("an interrupted run keeps what it stored and the next one continues", async () => {
    server.faults.push({ when: (_, index) => index >= 4, reply: { status: 500, body: "oops" }, times: 100 });
    await expect(enrichArtistTags(store, musicbrainz({ ...FAST, intervalMs: 0, retries: 1 }))).rejects.toThrow(/^MusicBrainz .*: HTTP 500 \(gave up after 2 attempts; run again to resume\)$/);
    expect(Number((await store.all("SELECT count(*) AS n FROM artist_tag_lookups"))[0].n)).toBe(2);
    server.faults.length = 0;
    expect(await enrichArtistTags(store, musicbrainz())).toMatchObject({ artists: 2, remaining: 0 });
  });

  it("Last.fm artist.getTopTags with a key: relative counts under 10 dropped, unknown artists remembered", async () => {
    const tags = new Map([
      ["radiohead", [{ name: "alternative", count: 100 }, { name: "rock", count: 64 }, { name: "seen live", count: 4 }]],
      ["portishead", [{ name: "trip-hop", count: 100 }]],
    ]);
    const lastfm = new FakeServer(lastfmApi(new Map(), { keys: ["k"], tags }));
    const url = `${await lastfm.start()}/2.0/`;
    try {
      const source = createTagSource({ apiKey: "k", apiUrl: url, timing: { ...FAST, intervalMs: 0 } });
      expect(source.name).toBe("lastfm");
      expect(await enrichArtistTags(store, source)).toMatchObject({ source: "lastfm", artists: 4, tagged: 2, tags: 3 });
      expect(await tagsOf("Radiohead")).toEqual(["alternative:100", "rock:64"]);
      expect(lastfm.requests[0].url.searchParams.get("method")).toBe("artist.getTopTags");
      const bad = createTagSource({ apiKey: "wrong", apiUrl: url, timing: FAST });
      await store.connection.run("DELETE FROM artist_tag_lookups");
      await expect(enrichArtistTags(store, bad)).rejects.toThrow(/^Last\.fm rejected the API key \(error 10: /);
      expect(() => createTagSource({ source: "lastfm", timing: FAST })).toThrow(/^Last\.fm tags need an API key/);
    } finally {
      await lastfm.close();
    }
  });
});
