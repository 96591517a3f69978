/**
 * The CLI (`recommend`, `similar`, `radio`) and the web API answer through the same RecommendationService:
 * the same query gives the same items, scores and reasons in both, including the default model,
 * item names typed as "Artist - Track" and unknown names.
 */
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerRecommend } from "../../src/cli/commands/recommend.js";
import { registerSimilar } from "../../src/cli/commands/similar.js";
import { registerRadio } from "../../src/cli/commands/radio.js";
import { BUNDLE_VERSION, saveBundle } from "../../src/models/bundle.js";
import { resolveParams } from "../../src/models/registry.js";
import { buildServer } from "../../src/serving/server.js";
import { bundleDirFor } from "../../src/util/config.js";
import { buildFixture, FIXTURE_PARAMS, type Fixture } from "./fixture-context.js";
import { fixtureTracks } from "./fixture-data.js";
import { runCommand } from "../run-command.js";

let fixture: Fixture;
let app: FastifyInstance;
let db: string;

beforeAll(async () => {
  fixture = await buildFixture();
  app = await buildServer(fixture.context);
  db = path.join(fixture.dir, "store.duckdb");
  const { training, models, trainedAt } = fixture.context.service.bundle;
  await saveBundle(bundleDirFor(db), { version: BUNDLE_VERSION, trainedAt, training, models, params: resolveParams(FIXTURE_PARAMS), synthetic: false });
}, 60_000);
afterAll(async () => {
  await app?.close();
  fixture?.close();
});

const cli = (...args: string[]) => runCommand(db, [registerRecommend, registerSimilar, registerRadio], args);

const api = async (url: string) => (await app.inject({ method: "GET", url })).json();

interface ApiRecommendation {
  item: { label: string; artist: string; track: string | null };
  score: number;
  because: { label: string }[];
}

describe("CLI and API give the same answer", () => {
  it("recommendations: same model by default, same items, scores and reasons", async () => {
    for (const [flags, query] of [
      [[], ""],
      [["--model", "als", "-k", "7", "--per-artist", "1"], "&model=als&k=7&perArtist=1"],
      [["--model", "content", "--new-artists-only"], "&model=content&newArtistsOnly=true"],
    ] as const) {
      const fromCli = JSON.parse(await cli("recommend", "--user", "listener05", "--json", ...flags));
      const fromApi = await api(`/api/users/listener05/recommendations?${query.slice(1)}`);
      expect(fromCli.model).toBe(fromApi.model);
      expect(fromApi.items.length).toBeGreaterThan(0);
      expect(fromCli.recommendations).toEqual(
        fromApi.items.map((r: ApiRecommendation, rank: number) => ({
          rank: rank + 1,
          item: r.item.label,
          artist: r.item.artist,
          track: r.item.track,
          score: r.score,
          because: r.because.map((b) => b.label),
        })),
      );
    }
  });

  it("similar items: the same item text resolves to the same item, with the same neighbours", async () => {
    const track = fixtureTracks()[2][1];
    const text = `${track.artist.toLowerCase()}  -  ${track.track}`;
    const fromCli = JSON.parse(await cli("similar", "--item", text, "-k", "5", "--json"));
    const fromApi = await api(`/api/items/${encodeURIComponent(text)}/similar?k=5`);
    expect(fromCli.item).toBe(fromApi.item.label);
    expect(fromCli.model).toBe(fromApi.model);
    expect(fromCli.similar).toEqual(fromApi.items.map((s: { item: { label: string }; score: number }, rank: number) => ({ rank: rank + 1, item: s.item.label, score: s.score })));
  });

  it("radio: the same seeds, listener and options give the same mix", async () => {
    const [rock, , jazz] = fixtureTracks();
    for (const [flags, query] of [
      [["--seed", "radiohead"], "seed=radiohead"],
      [["--seed", `${rock[6].artist} - ${rock[6].track}`, "--seed", jazz[1].artist, "--user", "listener05", "--model", "als", "-k", "12", "--per-artist", "2"],
        `seed=${encodeURIComponent(`${rock[6].artist} - ${rock[6].track}`)}&seed=${encodeURIComponent(jazz[1].artist)}&user=listener05&model=als&k=12&perArtist=2`],
    ] as const) {
      const fromCli = JSON.parse(await cli("radio", "--json", ...flags));
      const fromApi = await api(`/api/radio?${query}`);
      expect(fromApi.items.length).toBeGreaterThan(0);
      expect(fromCli).toMatchObject({ model: fromApi.model, user: fromApi.user, k: fromApi.k, perArtist: fromApi.perArtist, seeds: fromApi.seeds.map((s: { label: string }) => s.label) });
      expect(fromCli.radio).toEqual(
        fromApi.items.map((r: ApiRecommendation, rank: number) => ({ rank: rank + 1, item: r.item.label, artist: r.item.artist, track: r.item.track, score: r.score })),
      );
    }
  });

  it("unknown names fail alike", async () => {
    const user = await api("/api/users/listener5/recommendations");
    await expect(cli("recommend", "--user", "listener5")).rejects.toThrow(user.error);
    const item = await api(`/api/items/${encodeURIComponent("Miles Davis - No Such Tune")}/similar`);
    await expect(cli("similar", "--item", "Miles Davis - No Such Tune")).rejects.toThrow(item.error);
    const seed = await api(`/api/radio?seed=${encodeURIComponent("Miles Davis - No Such Tune")}`);
    expect(seed.error).toMatch(/^unknown artist or track "Miles Davis - No Such Tune"; did you mean "Miles Davis"/);
    await expect(cli("radio", "--seed", "Miles Davis - No Such Tune")).rejects.toThrow(seed.error);
  });
});
