/**
 * Bans through the server: the JSON API (token-guarded writes, listing, 404 with close names),
 * the web app's "not for me" and undo forms (CSRF, same-origin, the token asked for on a
 * confirmation page), answers that honour a ban at once, a ban made elsewhere picked up by the
 * short re-read, and the dial / includePlayed / notHeardWithin query parameters.
 */
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LiveOpinions } from "../../src/service/live-opinions.js";
import { createAppContext } from "../../src/serving/app-context.js";
import { buildServer } from "../../src/serving/server.js";
import { WriteAccess } from "../../src/serving/write-access.js";
import { recordOpinion } from "../../src/store/feedback.js";
import { escapeHtml } from "../../src/util/html.js";
import { openStoreAccess } from "../../src/store/store-access.js";
import { buildFixture, type Fixture } from "./fixture-context.js";

const TOKEN = "s3cret-token-for-tests-0123456789";
const USER = "listener05";
let fixture: Fixture;
const servers: FastifyInstance[] = [];

beforeAll(async () => {
  fixture = await buildFixture();
}, 60_000);
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  fixture?.close();
});

/** A server over the fixture's models, store and bans, with the given write access. */
async function serverWith(writes: WriteAccess): Promise<FastifyInstance> {
  const { context: base } = fixture;
  const context = createAppContext(base.service.bundle, base.dataset, base.readHistory, { writes, listeners: base.listeners ?? undefined });
  const app = await buildServer(context);
  servers.push(app);
  return app;
}

interface Rec {
  item: { key: string; artist: string; track: string | null; label: string };
}
const recommendations = async (app: FastifyInstance, query = "", k = 30) =>
  ((await app.inject({ method: "GET", url: `/api/users/${USER}/recommendations?k=${k}${query}` })).json().items as Rec[]).map((r) => r.item);
const bearer = { authorization: `Bearer ${TOKEN}` };

describe("the bans API", () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await serverWith(new WriteAccess({ token: TOKEN, host: "0.0.0.0" }));
  });

  it("needs the token to ban: 401 without, 403 with a wrong one; a server without a token takes none", async () => {
    const missing = await app.inject({ method: "POST", url: `/api/users/${USER}/bans`, payload: { artist: "Radiohead" } });
    expect(missing.statusCode).toBe(401);
    expect(missing.headers["www-authenticate"]).toBe('Bearer realm="musicrec"');
    const wrong = await app.inject({ method: "POST", url: `/api/users/${USER}/bans`, payload: { artist: "Radiohead" }, headers: { authorization: `Bearer ${TOKEN}x` } });
    expect(wrong.statusCode).toBe(403);
    expect((await app.inject({ method: "DELETE", url: `/api/users/${USER}/bans?artist=Radiohead` })).statusCode).toBe(401);
    const tokenless = await serverWith(new WriteAccess({ host: "127.0.0.1" }));
    const refused = await tokenless.inject({ method: "POST", url: `/api/users/${USER}/bans`, payload: { artist: "Radiohead" } });
    expect(refused.statusCode).toBe(403);
    expect((await app.inject({ method: "GET", url: `/api/users/${USER}/feedback` })).json()).toEqual({ user: USER, banned: [], loved: [] });
  });

  it("a ban shows in the very next answer (cached ones included), for that listener only; an unban undoes it", async () => {
    const before = await recommendations(app);
    const other = await recommendations(app, "&model=svd");
    const artist = before[0].artist;
    const track = before.find((item) => item.artist !== artist)!;
    const banned = await app.inject({ method: "POST", url: `/api/users/${USER}/bans`, payload: { artist }, headers: bearer });
    expect(banned.statusCode).toBe(200);
    expect(banned.json()).toEqual({ user: USER, action: "banned", target: "artist", key: artist.toLowerCase(), label: artist });
    const byKey = await app.inject({ method: "POST", url: `/api/users/${USER}/bans`, payload: { item: track.key }, headers: bearer });
    expect(byKey.json()).toMatchObject({ action: "banned", target: "track", label: track.label });

    const after = await recommendations(app);
    expect(after).toHaveLength(30);
    expect(after.map((item) => item.artist)).not.toContain(artist);
    expect(after.map((item) => item.key)).not.toContain(track.key);
    expect((await recommendations(app, "&model=svd")).map((item) => item.artist)).not.toContain(artist);
    expect(other.map((item) => item.artist)).toContain(artist);
    const otherListener = (await app.inject({ method: "GET", url: "/api/users/listener08/recommendations?k=30" })).json().items as Rec[];
    expect(otherListener.length).toBe(30);
    const playlist = await app.inject({ method: "GET", url: `/api/users/${USER}/playlist?format=xspf&k=40` });
    expect(playlist.body).not.toContain(`<creator>${artist}</creator>`);

    const listed = (await app.inject({ method: "GET", url: `/api/users/${USER}/feedback` })).json();
    expect(listed.banned.map((b: { label: string }) => b.label).sort()).toEqual([artist, track.label].sort());
    const unban = await app.inject({ method: "DELETE", url: `/api/users/${USER}/bans?artist=${encodeURIComponent(artist)}`, headers: bearer });
    expect(unban.json()).toMatchObject({ action: "unbanned", target: "artist" });
    expect((await recommendations(app))[0].artist).toBe(artist);
    await app.inject({ method: "DELETE", url: `/api/users/${USER}/bans?item=${encodeURIComponent(track.key)}`, headers: bearer });
    expect(await recommendations(app)).toEqual(before);
  });

  it("unknown names are a 404 with the closest known ones; a request must name exactly one thing", async () => {
    const artist = await app.inject({ method: "POST", url: `/api/users/${USER}/bans`, payload: { artist: "Radiohed" }, headers: bearer });
    expect(artist.statusCode).toBe(404);
    expect(artist.json().error).toBe('unknown artist "Radiohed"; did you mean "Radiohead"?');
    const user = await app.inject({ method: "POST", url: "/api/users/listener5/bans", payload: { artist: "Radiohead" }, headers: bearer });
    expect(user.statusCode).toBe(404);
    expect(user.json().error).toMatch(/^unknown user "listener5"; did you mean "listener05"/);
    const two = await app.inject({ method: "POST", url: `/api/users/${USER}/bans`, payload: { artist: "Radiohead", track: "Radiohead - x" }, headers: bearer });
    expect(two.statusCode).toBe(400);
    expect(two.json().error).toMatch(/exactly one of artist, track/);
    expect((await app.inject({ method: "GET", url: "/api/users/nobody-at-all/feedback" })).statusCode).toBe(404);
  });

  it("is described in the OpenAPI document, writes marked as needing the token", async () => {
    const spec = (await app.inject({ method: "GET", url: "/docs/json" })).json();
    const bans = spec.paths["/api/users/{user}/bans"];
    expect(Object.keys(bans).sort()).toEqual(["delete", "post"]);
    expect(bans.post.security).toEqual([{ bearerAuth: [] }]);
    expect(spec.paths["/api/users/{user}/feedback"].get.responses["200"]).toBeDefined();
    const parameters = spec.paths["/api/users/{user}/recommendations"].get.parameters.map((p: { name: string }) => p.name);
    expect(parameters).toEqual(expect.arrayContaining(["discovery", "includePlayed", "notHeardWithin"]));
  });
});

describe("the dial and played items in the API", () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await serverWith(new WriteAccess({ host: "127.0.0.1" }));
  });

  it("discovery=1 is newArtistsOnly; discovery=0 keeps to known artists; out of range is a 400 naming it", async () => {
    expect(await recommendations(app, "&discovery=1")).toEqual(await recommendations(app, "&newArtistsOnly=true"));
    const known = new Set(Array.from(fixture.context.service.playedBy(USER).items, (item) => fixture.context.service.training.catalog.artists[item]));
    const familiar = await recommendations(app, "&discovery=0", 5);
    expect(familiar.length).toBeGreaterThan(0);
    for (const item of familiar) expect(known.has(item.artist)).toBe(true);
    const shares = await Promise.all([0, 0.3, 0.6, 1].map(async (x) => (await recommendations(app, `&discovery=${x}`, 10)).filter((i) => known.has(i.artist)).length));
    for (let i = 1; i < shares.length; i++) expect(shares[i]).toBeLessThanOrEqual(shares[i - 1]);
    expect(shares[0]).toBeGreaterThan(shares[3]);
    const bad = await app.inject({ method: "GET", url: `/api/users/${USER}/recommendations?discovery=2` });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().parameter).toBe("discovery");
  });

  it("includePlayed brings played items back; notHeardWithin leaves out the ones heard in the window (by the store's dates)", async () => {
    const playedKeys = new Set(Array.from(fixture.context.service.playedBy(USER).items, (item) => fixture.context.service.training.catalog.keys[item]));
    const withPlayed = await recommendations(app, "&includePlayed=true");
    expect(withPlayed.filter((item) => playedKeys.has(item.key)).length).toBeGreaterThan(0);
    // The fixture's plays are from 2021: a window reaching back before them leaves every played item out.
    const sinceFixture = Math.ceil((Date.now() - Date.UTC(2020, 11, 1)) / 86_400_000);
    const recent = await recommendations(app, `&includePlayed=true&notHeardWithin=${sinceFixture}d`);
    expect(recent.filter((item) => playedKeys.has(item.key))).toEqual([]);
    // A window that ends after the fixture's last play leaves everything in.
    expect(await recommendations(app, "&includePlayed=true&notHeardWithin=1h")).toEqual(withPlayed);
    const bad = await app.inject({ method: "GET", url: `/api/users/${USER}/recommendations?notHeardWithin=a%20month` });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().parameter).toBe("notHeardWithin");
  });
});

describe("the web app's not-for-me buttons", () => {
  const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
  const post = (app: FastifyInstance, url: string, fields: Record<string, string>, headers: Record<string, string> = { "sec-fetch-site": "same-origin" }) =>
    app.inject({ method: "POST", url, payload: form(fields), headers: { "content-type": "application/x-www-form-urlencoded", host: "localhost", ...headers } });

  it("each recommendation carries a CSRF-protected form; a ban redirects back to a page without it, with an undo", async () => {
    const app = await serverWith(new WriteAccess({ host: "127.0.0.1" }));
    const page = (await app.inject({ method: "GET", url: `/recommendations?user=${USER}&k=5`, headers: { host: "localhost" } })).body;
    const forms = page.match(/<form class="rec-actions" method="post" action="\/feedback\/ban">/g) ?? [];
    expect(forms.length).toBe(5 * 4);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1];
    const key = /name="item" value="([^"]+)"/.exec(page)![1].replace(/&amp;/g, "&");
    const item = fixture.context.service.itemView(key);
    const fields = { _csrf: csrf, user: USER, item: item.key, scope: "item", back: `/recommendations?user=${USER}&k=5` };

    expect((await post(app, "/feedback/ban", { ...fields, _csrf: "" })).statusCode).toBe(403);
    expect((await post(app, "/feedback/ban", fields, { "sec-fetch-site": "cross-site" })).statusCode).toBe(403);
    expect((await post(app, "/feedback/ban", { ...fields, back: "https://evil.example/" })).headers.location).toBe("/");
    const done = await post(app, "/feedback/ban", fields);
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe(`/recommendations?user=${USER}&k=5`);
    const after = (await app.inject({ method: "GET", url: done.headers.location as string, headers: { host: "localhost" } })).body;
    const banButton = (html: string) => html.includes(`name="item" value="${escapeHtml(item.key)}"><button class="link" name="scope"`);
    expect(banButton(page)).toBe(true);
    expect(banButton(after)).toBe(false);
    expect(after).toContain(`Never suggested to ${USER} (1)`);
    const unbanForm = /<form class="rec-actions inline" method="post" action="\/feedback\/unban">(.*?)<\/form>/.exec(after)![1];
    const unbanFields = Object.fromEntries([...unbanForm.matchAll(/name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1], m[2].replace(/&amp;/g, "&")]));
    expect((await post(app, "/feedback/unban", unbanFields)).statusCode).toBe(303);
    expect((await app.inject({ method: "GET", url: `/recommendations?user=${USER}&k=5`, headers: { host: "localhost" } })).body).not.toContain("Never suggested to");
  });

  it("with a server token, the form asks for it on a confirmation page before banning", async () => {
    const app = await serverWith(new WriteAccess({ token: TOKEN, host: "0.0.0.0" }));
    const page = (await app.inject({ method: "GET", url: `/recommendations?user=${USER}&k=3` })).body;
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1];
    const artist = fixture.context.service.forUser(USER, { model: "hybrid", k: 1, perArtist: 0, newArtistsOnly: false })[0].item;
    const fields = { _csrf: csrf, user: USER, item: artist.key, scope: "artist", back: `/recommendations?user=${USER}&k=3` };
    const ask = await post(app, "/feedback/ban", fields, { "sec-fetch-site": "same-origin", host: "music.example" });
    expect(ask.statusCode).toBe(401);
    expect(ask.body).toContain('name="token" type="password"');
    expect(ask.body).toContain('name="scope" value="artist"');
    const wrong = await post(app, "/feedback/ban", { ...fields, token: "nope" }, { "sec-fetch-site": "same-origin", host: "music.example" });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.body).toContain("Wrong write token");
    const done = await post(app, "/feedback/ban", { ...fields, token: TOKEN }, { "sec-fetch-site": "same-origin", host: "music.example" });
    expect(done.statusCode).toBe(303);
    expect((await recommendations(app)).map((item) => item.artist)).not.toContain(artist.artist);
    await app.inject({ method: "DELETE", url: `/api/users/${USER}/bans?artist=${encodeURIComponent(artist.artist)}`, headers: bearer });
  });

  it("the listener page has the familiar ↔ new slider and the played choices, and the playlist links follow them", async () => {
    const app = await serverWith(new WriteAccess({ host: "127.0.0.1" }));
    const page = (await app.inject({ method: "GET", url: `/recommendations?user=${USER}&dial=on&discovery=0.7&played=30d` })).body;
    expect(page).toMatch(/type="range" name="discovery" min="0" max="1" step="0.1" value="0.7"/);
    expect(page).toContain('<option value="30d" selected>');
    expect(page).toContain("discovery=0.7&amp;notHeardWithin=30d");
    const off = (await app.inject({ method: "GET", url: `/recommendations?user=${USER}` })).body;
    expect(off).toMatch(/name="discovery" [^>]*disabled/);
  });
});

describe("a ban made elsewhere (the CLI) reaches a running server", () => {
  it("is re-read once the copy is older than its maximum age, without holding up requests", async () => {
    let now = 0;
    const opinions = new LiveOpinions(openStoreAccess(fixture.store), { maxAgeMs: 5_000, now: () => now });
    await opinions.reload();
    expect(opinions.current().stamp("listener09")).toBe("");
    await recordOpinion(fixture.store, { user: "listener09", target: "artist", key: "radiohead", artistKey: "radiohead", score: -1 });
    now = 4_000;
    expect(opinions.current().stamp("listener09")).toBe("");
    now = 6_000;
    const stale = opinions.current();
    expect(stale.stamp("listener09")).toBe("");
    const fresh = await opinions.reload();
    expect(fresh.of("listener09")).toEqual([expect.objectContaining({ target: "artist", key: "radiohead", score: -1, source: "musicrec" })]);
    expect(opinions.current()).toBe(fresh);
    // A listener's answers wait for the re-read (fresh()), so the first one after the maximum age honours the change.
    await recordOpinion(fixture.store, { user: "listener09", target: "artist", key: "radiohead", artistKey: "radiohead", score: 0 });
    now = 8_000;
    expect((await opinions.fresh()).of("listener09")).toEqual(fresh.of("listener09"));
    now = 12_000;
    expect((await opinions.fresh()).of("listener09")).toEqual([]);
  });
});
