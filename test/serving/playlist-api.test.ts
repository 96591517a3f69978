import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { XMLValidator } from "fast-xml-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LibraryIndex } from "../../src/library/library-index.js";
import { scanLibrary } from "../../src/library/scan-library.js";
import { buildServer } from "../../src/serving/server.js";
import { writeAudio } from "../library/audio-fixtures.js";
import { buildFixture, type Fixture } from "./fixture-context.js";

let fixture: Fixture;
let app: FastifyInstance;
let user = "";
let ownedLabels = new Set<string>();

beforeAll(async () => {
  fixture = await buildFixture();
  const { service } = fixture.context;
  const catalog = service.training.catalog;
  // The library: files for the first half of the catalogue's tracks.
  const music = path.join(fixture.dir, "Music");
  mkdirSync(music);
  const half = Math.ceil(catalog.keys.length / 2);
  for (let item = 0; item < half; item++) {
    writeAudio(path.join(music, `${item}.flac`), { artist: catalog.artists[item], title: catalog.tracks[item] ?? undefined, recordingMbid: `00000000-0000-4000-8000-${String(item).padStart(12, "0")}`, seconds: 180 });
    ownedLabels.add(`${catalog.artists[item]} – ${catalog.tracks[item]}`);
  }
  await scanLibrary(fixture.store, music);
  service.useLibrary(await LibraryIndex.load(fixture.store, catalog));
  app = await buildServer(fixture.context);
  user = fixture.context.exampleUsers[0];
}, 60_000);

afterAll(async () => {
  await app?.close();
  fixture?.close();
});

const get = (url: string) => app.inject({ method: "GET", url });
const playlistUrl = (query: string) => `/api/users/${encodeURIComponent(user)}/playlist?${query}`;

describe("playlist API", () => {
  it("serves each format with its media type and an attachment file name", async () => {
    const expected = { jspf: "application/jspf+json", xspf: "application/xspf+xml", m3u8: "audio/x-mpegurl" };
    for (const [format, type] of Object.entries(expected)) {
      const response = await get(playlistUrl(`format=${format}&k=10&model=popularity`));
      expect(response.statusCode, response.body).toBe(200);
      expect(response.headers["content-type"]).toBe(`${type}; charset=utf-8`);
      expect(response.headers["content-disposition"]).toMatch(new RegExp(`^attachment; filename="[A-Za-z0-9._-]+-popularity\\.${format}"$`));
      const written = Number(response.headers["x-playlist-tracks"]);
      expect(written + Number(response.headers["x-playlist-left-out"])).toBe(10);
      if (format === "jspf") expect(JSON.parse(response.body).playlist.track).toHaveLength(written);
      if (format === "xspf") expect(XMLValidator.validate(response.body)).toBe(true);
      if (format === "m3u8") {
        const files = response.body.split("\n").filter((l) => l && !l.startsWith("#"));
        expect(files).toHaveLength(written);
        for (const file of files) expect(existsSync(file)).toBe(true);
      }
    }
  });

  it("libraryOnly restricts recommendations and playlists to owned tracks", async () => {
    const response = await get(`/api/users/${encodeURIComponent(user)}/recommendations?k=5&libraryOnly=true&model=als`);
    expect(response.statusCode, response.body).toBe(200);
    const body = JSON.parse(response.body);
    expect(body.libraryOnly).toBe(true);
    expect(body.items.length).toBeGreaterThan(0);
    for (const r of body.items) expect(ownedLabels.has(r.item.label)).toBe(true);
    const m3u8 = await get(playlistUrl("format=m3u8&k=5&libraryOnly=true"));
    expect(m3u8.headers["x-playlist-left-out"]).toBe("0");
  });

  it("names a safe file for any user name and rejects bad parameters", async () => {
    const bad = await get(playlistUrl("format=pls"));
    expect(bad.statusCode).toBe(400);
    expect(JSON.parse(bad.body).parameter).toMatch(/format/);
    expect((await get(`/api/users/nobody-here/playlist?format=jspf`)).statusCode).toBe(404);
  });

  it("shows download links and the library control on the recommendations page, escaped, under the CSP", async () => {
    const page = await get(`/recommendations?user=${encodeURIComponent(user)}&libraryOnly=true&k=7`);
    expect(page.statusCode).toBe(200);
    expect(page.headers["content-security-policy"]).toContain("default-src");
    expect(page.body).toContain('name="libraryOnly" value="true" checked');
    for (const format of ["jspf", "xspf", "m3u8"]) {
      expect(page.body).toContain(`href="/api/users/${encodeURIComponent(user)}/playlist?k=7&amp;libraryOnly=true&amp;format=${format}" download`);
    }
  });
});
