import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { readHistoryFile } from "../../src/ingest/read-history.js";
import { createAppContext } from "../../src/serving/app-context.js";
import { buildServer } from "../../src/serving/server.js";
import { buildFixture, type Fixture } from "./fixture-context.js";
import { fixtureTracks, XSS_ARTIST, XSS_USER } from "./fixture-data.js";

let fixture: Fixture;
let app: FastifyInstance;

beforeAll(async () => {
  fixture = await buildFixture();
  app = await buildServer(fixture.context);
});
afterAll(async () => {
  await app?.close();
  fixture?.close();
});

const get = (url: string) => app.inject({ method: "GET", url });
const itemKeyOf = (label: string) => {
  const catalog = fixture.context.service.training.catalog;
  const item = catalog.keys.findIndex((_, i) => catalog.artists[i] === label);
  return catalog.keys[item];
};

describe("GET /api/health", () => {
  it("reports what is loaded", async () => {
    const response = await get("/api/health");
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: "ok", users: 40, level: "track", synthetic: false });
    expect(response.json().models).toEqual(["svd", "content", "hybrid", "als", "popularity"]);
  });
});

describe("GET /api/users", () => {
  it("searches by prefix and caps the list at limit", async () => {
    const response = await get("/api/users?query=LISTENER1&limit=3");
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.total).toBe(10);
    expect(body.users.map((u: { name: string }) => u.name)).toEqual(["listener10", "listener11", "listener12"]);
    expect(body.users[0].items).toBeGreaterThan(0);
  });

  it("rejects a bad limit with 400 naming the parameter", async () => {
    for (const limit of ["0", "1000", "ten"]) {
      const response = await get(`/api/users?limit=${limit}`);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ parameter: "limit", statusCode: 400 });
      expect(response.json().error).toContain("limit");
    }
  });
});

describe("GET /api/users/{user}/recommendations", () => {
  it("recommends unplayed items with reasons, hybrid by default", async () => {
    const response = await get("/api/users/listener01/recommendations");
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toContain("application/json");
    const body = response.json();
    expect(body).toMatchObject({ user: "listener01", model: "hybrid", k: 10, perArtist: 0, newArtistsOnly: false });
    expect(body.items).toHaveLength(10);
    const played = new Set(Array.from(fixture.context.service.historyOf("listener01").items, (i) => fixture.context.service.training.catalog.keys[i]));
    for (const rec of body.items) {
      expect(played.has(rec.item.key)).toBe(false);
      expect(rec.because.length).toBeGreaterThan(0);
      for (const reason of rec.because) expect(played.has(reason.key)).toBe(true);
    }
  });

  it("applies k, one-per-artist and new-artists-only for every model", async () => {
    const history = fixture.context.service.historyOf("listener02");
    const catalog = fixture.context.service.training.catalog;
    const playedArtists = new Set(Array.from(history.items, (i) => catalog.artists[i]));
    for (const model of ["svd", "content", "als", "popularity", "hybrid"]) {
      const perArtist = (await get(`/api/users/listener02/recommendations?model=${model}&k=5&perArtist=1`)).json();
      expect(perArtist.items).toHaveLength(5);
      expect(new Set(perArtist.items.map((r: { item: { artist: string } }) => r.item.artist)).size).toBe(5);
      const fresh = (await get(`/api/users/listener02/recommendations?model=${model}&k=5&newArtistsOnly=true`)).json();
      expect(fresh.items.length).toBeGreaterThan(0);
      for (const rec of fresh.items) expect(playedArtists.has(rec.item.artist)).toBe(false);
    }
  });

  it("takes user names with slashes and markup percent-encoded in the path", async () => {
    const response = await get(`/api/users/${encodeURIComponent(XSS_USER)}/recommendations?k=3`);
    expect(response.statusCode).toBe(200);
    expect(response.json().user).toBe(XSS_USER);
    expect(response.json().items).toHaveLength(3);
  });

  it("answers a repeated request from the cache with the same body", async () => {
    const first = await get("/api/users/listener03/recommendations?model=svd&k=4");
    const second = await get("/api/users/listener03/recommendations?model=svd&k=4");
    expect(second.body).toBe(first.body);
  });

  it("404s an unknown user and 400s invalid parameters, naming them", async () => {
    const unknown = await get("/api/users/nobody/recommendations");
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual({ error: 'unknown user "nobody"', statusCode: 404 });
    const cases: [string, string][] = [
      ["k=0", "k"],
      ["k=abc", "k"],
      ["k=101", "k"],
      ["model=bogus", "model"],
      ["perArtist=-1", "perArtist"],
      ["newArtistsOnly=maybe", "newArtistsOnly"],
    ];
    for (const [query, parameter] of cases) {
      const response = await get(`/api/users/listener01/recommendations?${query}`);
      expect(response.statusCode, query).toBe(400);
      expect(response.json().parameter, query).toBe(parameter);
      expect(response.body).not.toMatch(/\n\s+at /);
    }
  });
});

describe("GET /api/items/{item}/similar", () => {
  it("lists similar items by item key (percent-encoded), never the item itself", async () => {
    const track = fixtureTracks()[1][0];
    const key = fixture.context.service.training.catalog.keys.find((k) => k.startsWith("metallica\u001f"))!;
    const response = await get(`/api/items/${encodeURIComponent(key)}/similar?model=content&k=5`);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.item.artist).toBe(track.artist);
    expect(body.items).toHaveLength(5);
    expect(body.items.map((s: { item: { key: string } }) => s.item.key)).not.toContain(key);
  });

  it("resolves an 'Artist - Track' display name too, and 404s an unknown item", async () => {
    const track = fixtureTracks()[2][0];
    const byName = await get(`/api/items/${encodeURIComponent(`${track.artist.toUpperCase()} - ${track.track}`)}/similar?k=3`);
    expect(byName.statusCode).toBe(200);
    expect(byName.json().item.track).toBe(track.track);
    const unknown = await get("/api/items/no%1Fsuch/similar");
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error).toContain("unknown item");
  });
});

describe("POST /api/recommendations", () => {
  const history = fixtureTracks()[2].slice(0, 6).map((t, i) => ({ artist: t.artist, track: t.track, plays: 10 - i }));

  it("folds a posted history into every model", async () => {
    const response = await app.inject({ method: "POST", url: "/api/recommendations?k=5", payload: [...history, { artist: "Unknown Band", track: "Nope" }] });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.matched).toBe(6);
    expect(body.unmatched).toBe(1);
    expect(body.results.map((r: { model: string }) => r.model)).toEqual(["svd", "content", "hybrid", "als", "popularity"]);
    for (const result of body.results) {
      expect(result.items).toHaveLength(5);
      expect(result.items[0].because.length).toBeGreaterThan(0);
    }
    // Jazz listeners get more jazz from the collaborative models.
    const jazz = new Set(fixtureTracks()[2].map((t) => t.artist));
    const svd = body.results[0].items as { item: { artist: string } }[];
    expect(svd.filter((r) => jazz.has(r.item.artist)).length).toBeGreaterThanOrEqual(3);
  });

  it("rejects empty, malformed and non-JSON bodies with 400", async () => {
    const empty = await app.inject({ method: "POST", url: "/api/recommendations", payload: [] });
    expect(empty.statusCode).toBe(400);
    const noArtist = await app.inject({ method: "POST", url: "/api/recommendations", payload: [{ track: "x" }] });
    expect(noArtist.statusCode).toBe(400);
    expect(noArtist.json().parameter).toBe("0.artist");
    const notJson = await app.inject({ method: "POST", url: "/api/recommendations", headers: { "content-type": "application/json" }, payload: "{oops" });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json().error).toBeTruthy();
    const tooMany = await app.inject({ method: "POST", url: "/api/recommendations", payload: Array.from({ length: 20_001 }, () => ({ artist: "a" })) });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json()).toMatchObject({ parameter: "body" });
    expect(tooMany.json().error).toContain("20000");
    const tooBig = await app.inject({ method: "POST", url: "/api/recommendations", payload: [{ artist: "x".repeat(3 * 1024 * 1024) }] });
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.json().statusCode).toBe(413);
    const oneModel = await app.inject({ method: "POST", url: "/api/recommendations?model=content&k=2", payload: history });
    expect(oneModel.json().results).toHaveLength(1);
  });
});

describe("errors, headers and docs", () => {
  it("sends security headers with a strict CSP on pages and the API", async () => {
    for (const url of ["/", "/api/health", "/api/nope", "/insights", "/api/users?limit=0", "/recommendations?user=nobody", "/upload"]) {
      const response = await get(url);
      const csp = String(response.headers["content-security-policy"]);
      expect(csp, url).toContain("script-src 'self'");
      expect(csp, url).toContain("object-src 'none'");
      expect(csp, url).not.toContain("unsafe-inline");
      expect(response.headers["x-content-type-options"]).toBe("nosniff");
      expect(response.headers["x-frame-options"]).toBe("DENY");
    }
  });

  it("answers unknown API paths with JSON 404 and unknown pages with an HTML 404", async () => {
    const api = await get("/api/nothing");
    expect(api.statusCode).toBe(404);
    expect(api.json().statusCode).toBe(404);
    const page = await get("/nothing-here");
    expect(page.statusCode).toBe(404);
    expect(page.headers["content-type"]).toContain("text/html");
    expect(page.body).toContain("Not found");
  });

  it("serves the OpenAPI document and Swagger UI with all assets local", async () => {
    const spec = (await get("/docs/json")).json();
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining(["/api/users", "/api/users/{user}/recommendations", "/api/items/{item}/similar", "/api/recommendations", "/api/health"]),
    );
    expect(Object.keys(spec.paths).some((p) => !p.startsWith("/api"))).toBe(false);
    const index = await get("/docs/");
    expect(index.statusCode).toBe(200);
    expect(index.body).not.toMatch(/(src|href)="(https?:)?\/\//);
    const scripts = [...index.body.matchAll(/src="([^"]+)"/g)].map((m) => m[1]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const src of scripts) {
      const asset = await get(new URL(src, "http://localhost/docs/").pathname);
      expect(asset.statusCode, src).toBe(200);
    }
  });

  it("serves the stylesheet, client script and icon", async () => {
    const html = (await get("/")).body;
    for (const [, href] of html.matchAll(/(?:href|src)="(\/assets\/[^"]+)"/g)) {
      const asset = await get(href);
      expect(asset.statusCode, href).toBe(200);
      expect(asset.body.length).toBeGreaterThan(100);
    }
  });
});

describe("HTML escaping of data-derived text", () => {
  const unescaped = /<script>alert|<img src=x|<b>mallory/;

  it("shows hostile artist, track and user names as text on every page", async () => {
    const xssKey = itemKeyOf(XSS_ARTIST);
    const pages = [
      "/",
      `/recommendations?user=${encodeURIComponent("<b>mallory</b>")}`,
      ...["listener01", "listener04", "listener07"].map((u) => `/recommendations?user=${u}&k=20`),
      `/similar?item=${encodeURIComponent(xssKey)}&k=20`,
      `/similar?item=${encodeURIComponent(itemKeyOf("Radiohead"))}&k=20`,
      "/insights",
      `/recommendations?user=${encodeURIComponent("<script>alert(1)</script>")}`,
      "/radio",
      `/radio?seed=${encodeURIComponent(XSS_ARTIST)}&k=30`,
      `/radio?seed=Radiohead&seed=${encodeURIComponent(XSS_ARTIST)}&user=${encodeURIComponent(XSS_USER)}&k=30`,
      `/radio?seed=${encodeURIComponent("<script>alert(1)</script> - <img src=x onerror=alert(2)>")}&user=${encodeURIComponent("<b>mallory</b>")}`,
    ];
    let sawEscaped = 0;
    for (const url of pages) {
      const response = await get(url);
      expect([200, 404], url).toContain(response.statusCode);
      expect(response.body, url).not.toMatch(unescaped);
      expect(response.body.match(/<script/g) ?? [], url).toHaveLength(1); // only the local client script
      if (response.body.includes("&lt;script&gt;alert(1)&lt;/script&gt;")) sawEscaped++;
    }
    expect(sawEscaped).toBeGreaterThanOrEqual(7);
  });
});

describe("pages", () => {
  it("home offers the picker and the most active listeners", async () => {
    const body = (await get("/")).body;
    expect(body).toContain('role="combobox"');
    expect(body).toContain("Pick one of the 40 listeners");
    expect(body.match(/href="\/recommendations\?user=/g)).toHaveLength(8);
  });

  it("a listener's page has a column per model, the controls' state and the profile", async () => {
    const response = await get("/recommendations?user=listener05&k=3&perArtist=1&newArtistsOnly=true");
    expect(response.statusCode).toBe(200);
    for (const model of ["svd", "content", "hybrid", "als"]) expect(response.body).toContain(`data-model="${model}"`);
    expect(response.body).not.toContain('data-model="popularity"');
    expect(response.body).toMatch(/name="perArtist" value="1" checked/);
    // An older link's "only new artists" is the familiar ↔ new dial at 1.
    expect(response.body).toMatch(/name="dial" value="on" checked/);
    expect(response.body).toMatch(/type="range" name="discovery" min="0" max="1" step="0.1" value="1"/);
    expect(response.body).toContain("Profile of listener05");
    expect(response.body).toMatch(/Plays per (day|week)/);
    expect(response.body.match(/class="chart"/g)).toHaveLength(2);
  });

  it("insights show the store's counts and charts; similar shows each model", async () => {
    const insights = (await get("/insights")).body;
    expect(insights).toMatch(/<div class="value">40<\/div><div class="label">listeners/);
    expect(insights).toContain("2021-01-01 – 2021-03-28");
    expect(insights.match(/class="chart"/g)).toHaveLength(4);
    const similar = await get(`/similar?item=${encodeURIComponent("Radiohead")}`);
    expect(similar.statusCode).toBe(404); // track-level catalogue: an artist alone is not an item
    const key = fixture.context.service.training.catalog.keys[0];
    const page = await get(`/similar?item=${encodeURIComponent(key)}&k=4`);
    expect(page.statusCode).toBe(200);
    expect(page.body.match(/<li>/g)).toHaveLength(16);
  });

  it("page errors are HTML with the reason: a bad parameter is 400", async () => {
    const response = await get("/recommendations?user=listener01&k=0");
    expect(response.statusCode).toBe(400);
    expect(response.headers["content-type"]).toContain("text/html");
    expect(response.body).toContain("invalid parameter k");
    expect((await get("/recommendations")).body).toContain("missing required parameter user");
  });
});

describe("a bundle without some models", () => {
  it("answers requests for an untrained model with 400 naming the parameter", async () => {
    const bundle = fixture.context.service.bundle;
    const partial = { ...bundle, models: new Map([...bundle.models].filter(([name]) => name === "svd" || name === "content")) };
    const small = await buildServer(createAppContext(partial, fixture.context.dataset, readHistoryFile));
    try {
      const response = await small.inject({ method: "GET", url: "/api/users/listener01/recommendations?model=als" });
      expect(response.statusCode).toBe(400);
      expect(response.json().parameter).toBe("model");
      expect(response.json().error).toContain("trained: svd, content");
      const fallback = (await small.inject({ method: "GET", url: "/api/users/listener01/recommendations" })).json();
      expect(fallback.model).toBe("svd"); // no hybrid: the first trained model
      const page = await small.inject({ method: "GET", url: "/recommendations?user=listener01" });
      expect(page.body).toContain('data-model="content"');
      expect(page.body).not.toContain('data-model="als"');
    } finally {
      await small.close();
    }
  });
});

describe("a typed name that is not a listener", () => {
  it("redirects when exactly one listener matches and offers the matches otherwise", async () => {
    const one = await get("/recommendations?user=LISTENER07");
    expect(one.statusCode).toBe(302);
    expect(one.headers.location).toBe("/recommendations?user=listener07");
    const several = await get("/recommendations?user=listener1");
    expect(several.statusCode).toBe(404);
    expect(several.body).toContain("No listener is called “listener1”");
    expect(several.body.match(/href="\/recommendations\?user=listener1\d"/g)).toHaveLength(10);
    const none = await get("/recommendations?user=zzz");
    expect(none.body).toContain("unknown user");
  });
});

describe("cache warm-up", () => {
  it("precomputes the default request of every user and reports it in /api/health", async () => {
    const { service } = fixture.context;
    const before = service.cachedResponses;
    const warmed = await service.warmUp({ model: "svd", k: 7, perArtist: 0, newArtistsOnly: false });
    expect(warmed).toBe(40);
    expect(service.cachedResponses).toBe(before + 40);
    expect((await get("/api/health")).json().cache.warmedUsers).toBe(40);
  });

  it("gives way while requests are in flight, but never waits forever", async () => {
    const { service } = fixture.context;
    let checks = 0;
    const started = performance.now();
    const warmed = await service.warmUp({ model: "content", k: 3, perArtist: 0, newArtistsOnly: false }, {
      busy: () => ++checks > 0, // always busy
      sliceMs: 1000,
      maxWaitMs: 5,
    });
    expect(warmed).toBe(40);
    expect(checks).toBeGreaterThanOrEqual(5); // it waited before its slice
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
