/** The radio through the API (GET /api/radio, its playlist, the seed search) and the /radio page. */
import type { FastifyInstance } from "fastify";
import { XMLValidator } from "fast-xml-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { artistKey } from "../../src/data/item-key.js";
import { songKey } from "../../src/data/song-key.js";
import { recordOpinion } from "../../src/store/feedback.js";
import { buildServer } from "../../src/serving/server.js";
import { buildFixture, type Fixture } from "./fixture-context.js";
import { fixtureTracks, XSS_ARTIST } from "./fixture-data.js";

let fixture: Fixture;
let app: FastifyInstance;

beforeAll(async () => {
  fixture = await buildFixture();
  app = await buildServer(fixture.context);
}, 60_000);
afterAll(async () => {
  await app?.close();
  fixture?.close();
});

const get = (url: string) => app.inject({ method: "GET", url });
const radioUrl = (seeds: string[], query = "") => `/api/radio?${seeds.map((s) => `seed=${encodeURIComponent(s)}`).join("&")}${query}`;

interface RadioItem {
  item: { key: string; artist: string; track: string | null; label: string };
  score: number;
}

function expectRadioRules(items: RadioItem[], perArtist: number) {
  const counts = new Map<string, number>();
  items.forEach((r, i) => {
    if (i > 0) expect(r.item.artist, `item ${i}`).not.toBe(items[i - 1].item.artist);
    counts.set(r.item.artist, (counts.get(r.item.artist) ?? 0) + 1);
  });
  expect(Math.max(...counts.values())).toBeLessThanOrEqual(perArtist);
  const songs = items.map((r) => songKey(r.item.artist, r.item.track));
  expect(new Set(songs).size).toBe(songs.length);
}

describe("GET /api/radio", () => {
  it("mixes from an artist seed with the default model, keeping the rules", async () => {
    const response = await get(radioUrl(["Radiohead"], "&k=20"));
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ seeds: [{ kind: "artist", label: "Radiohead", key: "radiohead" }], model: "hybrid", user: null, k: 20, perArtist: 3, libraryOnly: false, discovery: null });
    expect(body.items).toHaveLength(20);
    expectRadioRules(body.items, 3);
    // It starts next to the seed: Radiohead's own community (community 0).
    const community = new Set(fixtureTracks()[0].map((t) => t.artist));
    expect(body.items.slice(0, 4).every((r: RadioItem) => community.has(r.item.artist))).toBe(true);
  });

  it("never plays a seed track, takes several seeds in turn and is deterministic", async () => {
    const [rock, , jazz] = fixtureTracks();
    const seeds = [`${rock[5].artist} - ${rock[5].track}`, `${jazz[0].artist} - ${jazz[0].track}`];
    const url = radioUrl(seeds, "&k=10&model=als&perArtist=1");
    const body = (await get(url)).json();
    expect(body.seeds.map((s: { kind: string }) => s.kind)).toEqual(["track", "track"]);
    expect(body.items).toHaveLength(10);
    expectRadioRules(body.items, 1);
    const labels = body.items.map((r: RadioItem) => r.item.label);
    for (const seed of body.seeds) expect(labels).not.toContain(seed.label);
    const rockArtists = new Set(rock.map((t) => t.artist));
    const jazzArtists = new Set(jazz.map((t) => t.artist));
    expect(rockArtists.has(body.items[0].item.artist)).toBe(true);
    expect(jazzArtists.has(body.items[1].item.artist)).toBe(true);
    expect((await get(url)).json()).toEqual(body);
  });

  it("blends in a listener's taste", async () => {
    const plain = (await get(radioUrl(["Radiohead"], "&k=15&model=svd"))).json();
    const forListener = (await get(radioUrl(["Radiohead"], "&k=15&model=svd&user=listener02"))).json();
    expect(forListener.user).toBe("listener02");
    expect(forListener.items.map((r: RadioItem) => r.item.key)).not.toEqual(plain.items.map((r: RadioItem) => r.item.key));
  });

  it("with a listener, never plays what they banned; other listeners keep it", async () => {
    const user = "listener09";
    const url = radioUrl(["Radiohead"], `&k=15&model=als&user=${user}`);
    const before = (await get(url)).json().items as RadioItem[];
    const artist = before[0].item.artist;
    const track = before.find((r) => r.item.artist !== artist)!.item;
    await recordOpinion(fixture.store, { user, target: "artist", key: artistKey(artist), artistKey: artistKey(artist), score: -1 });
    await recordOpinion(fixture.store, { user, target: "track", key: track.key, artistKey: artistKey(track.artist), score: -1 });
    await fixture.context.listeners!.opinions.reload();
    const after = (await get(url)).json().items as RadioItem[];
    expect(after).toHaveLength(15);
    expect(after.map((r) => r.item.artist)).not.toContain(artist);
    expect(after.map((r) => r.item.key)).not.toContain(track.key);
    const playlist = await get(url.replace("/api/radio?", "/api/radio/playlist?") + "&format=xspf");
    expect(playlist.body).not.toContain(`<creator>${artist}</creator>`);
    const someoneElse = (await get(radioUrl(["Radiohead"], "&k=15&model=als&user=listener08"))).json().items as RadioItem[];
    expect(someoneElse.map((r) => r.item.artist)).toContain(artist);
  });

  it("follows the familiar ↔ new dial for a listener, and leaves out what they heard within a window", async () => {
    const user = "listener02";
    const catalog = fixture.context.service.training.catalog;
    const known = new Set(Array.from(fixture.context.service.historyOf(user).items, (item) => catalog.artists[item]));
    const share = async (discovery: number) => {
      const body = (await get(radioUrl(["Radiohead"], `&k=12&model=svd&user=${user}&discovery=${discovery}`))).json();
      expect(body.discovery).toBe(discovery);
      return body.items.filter((r: RadioItem) => !known.has(r.item.artist)).length / body.items.length;
    };
    expect(await share(0)).toBe(0);
    expect(await share(0.5)).toBe(0.5);
    expect(await share(1)).toBe(1);
    const noDial = await get(radioUrl(["Radiohead"], "&discovery=0.5"));
    expect(noDial.statusCode).toBe(400);
    expect(noDial.json()).toMatchObject({ parameter: "discovery" });
    // Every play of the fixture is within 100,000 days: nothing the listener played comes back.
    const played = new Set(Array.from(fixture.context.service.historyOf(user).items, (item) => catalog.keys[item]));
    const fresh = (await get(radioUrl(["Radiohead"], `&k=12&user=${user}&notHeardWithin=100000d`))).json().items as RadioItem[];
    expect(fresh.length).toBeGreaterThan(0);
    for (const r of fresh) expect(played.has(r.item.key)).toBe(false);
    const withPlayed = (await get(radioUrl(["Radiohead"], `&k=12&user=${user}`))).json().items as RadioItem[];
    expect(withPlayed.some((r) => played.has(r.item.key))).toBe(true);
    expect((await get(radioUrl(["Radiohead"], "&notHeardWithin=30d"))).json()).toMatchObject({ statusCode: 400, parameter: "notHeardWithin" });
  });

  it("answers unknown seeds and users with 404 and close names, bad parameters with 400", async () => {
    const unknown = await get(radioUrl(["Radiohed"]));
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error).toBe('unknown artist or track "Radiohed"; did you mean "Radiohead"?');
    const user = await get(radioUrl(["Radiohead"], "&user=listener5"));
    expect(user.statusCode).toBe(404);
    expect(user.json().error).toMatch(/^unknown user "listener5"; did you mean/);
    for (const [url, parameter] of [
      ["/api/radio", "seed"],
      [radioUrl(["Radiohead"], "&k=0"), "k"],
      [radioUrl(["Radiohead"], "&model=nope"), "model"],
      [radioUrl(Array.from({ length: 11 }, () => "Radiohead")), "seed"],
    ] as const) {
      const response = await get(url);
      expect(response.statusCode, url).toBe(400);
      expect(response.json().parameter, url).toBe(parameter);
    }
  });

  it("is documented in the OpenAPI description", async () => {
    const spec = (await get("/docs/json")).json();
    expect(spec.paths["/api/radio"].get.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(["seed", "user", "model", "k", "perArtist", "libraryOnly"]));
    expect(spec.paths["/api/radio/playlist"].get).toBeDefined();
    expect(spec.paths["/api/seeds"].get).toBeDefined();
  });
});

describe("GET /api/radio/playlist", () => {
  it("serves the radio as a playlist file, in the radio's order", async () => {
    const radio = (await get(radioUrl(["Radiohead"], "&k=12&model=als"))).json();
    const response = await get(radioUrl(["Radiohead"], "&k=12&model=als&format=xspf").replace("/api/radio?", "/api/radio/playlist?"));
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers["content-type"]).toBe("application/xspf+xml; charset=utf-8");
    expect(response.headers["content-disposition"]).toBe('attachment; filename="radio-Radiohead-als.xspf"');
    expect(response.headers["x-playlist-tracks"]).toBe("12");
    expect(XMLValidator.validate(response.body)).toBe(true);
    const titles = [...response.body.matchAll(/<track>[\s\S]*?<title>(.*?)<\/title>/g)].map((m) => m[1]);
    expect(titles).toEqual(radio.items.map((r: RadioItem) => r.item.track!.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;")));
    const jspf = await get(radioUrl(["Radiohead"], "&format=jspf&allTracks=true&k=5").replace("/api/radio?", "/api/radio/playlist?"));
    expect(jspf.json().playlist.title).toMatch(/^musicrec radio: Radiohead \(hybrid, \d{4}-\d{2}-\d{2}\)$/);
    expect(jspf.json().playlist.track).toHaveLength(5);
  });
});

describe("GET /api/seeds", () => {
  it("finds artists and tracks by prefix, then by substring", async () => {
    const body = (await get("/api/seeds?query=radio&limit=3")).json();
    expect(body.total).toBe(5); // the artist and its four tracks
    expect(body.seeds[0]).toMatchObject({ name: "Radiohead", kind: "artist" });
    expect(body.seeds[0].listeners).toBeGreaterThan(0);
    expect(body.seeds[1]).toMatchObject({ kind: "track" });
    expect(body.seeds[1].name).toMatch(/^Radiohead - /);
    expect((await get("/api/seeds?query=blue%20night")).json().seeds.every((s: { kind: string }) => s.kind === "track")).toBe(true);
  });
});

describe("the radio page", () => {
  it("offers the seed and listener pickers without a seed", async () => {
    const response = await get("/radio");
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('aria-current="page">Radio</a>');
    expect(response.body).toMatch(/<input id="seed-1" name="seed" type="text" required[^>]*data-seed-picker/);
    expect(response.body).toMatch(/<input id="radio-user" name="user"[^>]*data-user-picker/);
    expect(response.body).not.toContain("radio-result");
  });

  it("shows the mix in the API's order with playlist downloads, keeping the form's values", async () => {
    const api = (await get(radioUrl(["Radiohead"], "&k=8&model=svd&user=listener04"))).json();
    const response = await get("/radio?seed=Radiohead&seed=&user=listener04&k=8&model=svd");
    expect(response.statusCode).toBe(200);
    const titles = [...response.body.matchAll(/<li><a class="rec-title" href="\/similar\?item=([^"]+)"/g)].map((m) => decodeURIComponent(m[1].replace(/&amp;/g, "&")));
    expect(titles).toEqual(api.items.map((r: RadioItem) => r.item.key));
    expect(response.body).toContain('value="Radiohead"');
    expect(response.body).toContain('<option value="svd" selected>');
    expect(response.body).toContain('href="/api/radio/playlist?seed=Radiohead&amp;k=8&amp;model=svd&amp;user=listener04&amp;format=xspf"');
    // The seed field, the spare one for another seed.
    expect(response.body.match(/name="seed"/g)).toHaveLength(2);
  });

  it("has the familiar ↔ new dial for a listener, kept in the downloads", async () => {
    const user = "listener02";
    const catalog = fixture.context.service.training.catalog;
    const known = new Set(Array.from(fixture.context.service.historyOf(user).items, (item) => catalog.artists[item]));
    const response = await get(`/radio?seed=Radiohead&user=${user}&k=10&dial=on&discovery=1`);
    expect(response.statusCode).toBe(200);
    expect(response.body).toMatch(/<input type="checkbox" name="dial" value="on" checked>/);
    const artists = [...response.body.matchAll(/<li><a class="rec-title" href="[^"]+" title="Similar to this">([^<]+) – /g)].map((m) => m[1]);
    expect(artists.length).toBeGreaterThan(0);
    for (const artist of artists) expect(known.has(artist)).toBe(false);
    expect(response.body).toContain("&amp;user=listener02&amp;discovery=1&amp;format=jspf");
    const alone = await get("/radio?seed=Radiohead&dial=on&discovery=0.3");
    expect(alone.statusCode).toBe(400);
    expect(alone.body).toContain("invalid parameter discovery: familiar and new are a listener&#39;s: name the user");
  });

  it("keeps the form and says which seed is unknown", async () => {
    const response = await get(`/radio?seed=${encodeURIComponent("Radiohed")}`);
    expect(response.statusCode).toBe(404);
    expect(response.body).toContain("unknown artist or track &quot;Radiohed&quot;; did you mean &quot;Radiohead&quot;?");
    expect(response.body).toContain('value="Radiohed"');
  });

  it("is linked from the similar-items page, which names the item as a seed", async () => {
    const [rock] = fixtureTracks();
    const similar = await get(`/similar?item=${encodeURIComponent(`${rock[5].artist} - ${rock[5].track}`)}`);
    const link = /<a href="(\/radio\?seed=[^"]+)">play a radio from it<\/a>/.exec(similar.body);
    expect(link).not.toBeNull();
    const radio = await get(link![1].replace(/&amp;/g, "&"));
    expect(radio.statusCode).toBe(200);
    expect(radio.body).toContain(`<h2>Radio from <strong>${rock[5].artist} – ${rock[5].track}</strong></h2>`);
  });

  it("escapes hostile names in the mix, the seeds and the form", async () => {
    const response = await get(`/radio?seed=${encodeURIComponent(XSS_ARTIST)}&k=20`);
    expect(response.statusCode).toBe(200);
    expect(response.body).not.toMatch(/<script>alert|<img src=x/);
    expect(response.body).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });
});
