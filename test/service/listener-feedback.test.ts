/**
 * "Never suggest this", loved tracks, the familiar ↔ new dial and --not-heard-within end to end
 * over a store on disk: bans made with `musicrec feedback` hold for every model of the bundle
 * (trained, hybrid and imported alike), for playlists and across retraining; ListenBrainz hated
 * recordings act as bans and loved ones as plays.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerFeedback } from "../../src/cli/commands/feedback.js";
import { registerPlaylist } from "../../src/cli/commands/playlist.js";
import { registerRecommend } from "../../src/cli/commands/recommend.js";
import { registerTrain } from "../../src/cli/commands/train.js";
import { importPaths } from "../../src/ingest/import-files.js";
import { ImportedAlsRecommender } from "../../src/models/imported-als.js";
import { attachOpinions, openService, readRecentPlays } from "../../src/service/open-service.js";
import { RecommendationService } from "../../src/service/recommendation-service.js";
import { Store } from "../../src/store/store.js";
import { Random } from "../../src/util/random.js";
import { runCommand } from "../run-command.js";
import { fixtureCsv } from "../serving/fixture-data.js";
import { makeZip } from "../zip-fixture.js";

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "musicrec-feedback-"));
const db = path.join(scratch, "store.duckdb");
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

const run = (...args: string[]) => runCommand(db, [registerTrain, registerRecommend, registerPlaylist, registerFeedback], args);
const train = () => run("train", "--json", "--min-user-items", "1", "--min-item-users", "1", "--factors", "6", "--iterations", "3");

/** ListenBrainz's export of listener01: three listens naming the recordings, and feedback on two of them. */
function listenbrainzExport(): string {
  const listen = (at: number, artist: string, track: string, msid: string) =>
    JSON.stringify({ listened_at: at, track_metadata: { artist_name: artist, track_name: track, additional_info: {}, recording_msid: msid } });
  return makeZip(scratch, "listenbrainz_listener01_1700000000.zip", {
    "user.json": '{"user_id": 7, "username": "listener01"}\n',
    "listens/2021/1.jsonl": `${listen(1612135000, "Miles Davis", "Night Angel", "msid-loved")}\n${listen(1612135400, "Metallica", "Glass Night", "msid-hated")}\n`,
    "feedback.jsonl":
      '{"recording_msid": "msid-loved", "recording_mbid": null, "score": 1, "created": 1612136000}\n' +
      '{"recording_msid": "msid-hated", "recording_mbid": null, "score": -1, "created": 1612136000}\n',
  });
}

/** The bundle's service with an imported (Spark-style) ALS model beside the trained ones. */
async function serviceWithImported(): Promise<RecommendationService> {
  const trained = await openService(db);
  const training = trained.training;
  const rank = 4;
  const random = new Random(3);
  const factors = Float32Array.from({ length: training.plays.cols * rank }, () => random.next() - 0.5);
  const imported = ImportedAlsRecommender.fromFactors(
    "spark-als",
    {
      regularization: 0.1,
      alpha: 2,
      weighting: "none",
      regularizationScaling: "per-rating",
      source: { format: "spark-als", modelDir: "/m", sparkVersion: "3.5.1", uid: "ALS_1", itemsDir: "/e", importedAt: "2026-01-01T00:00:00.000Z" },
    },
    training,
    { factors, rank, sourceIds: Int32Array.from({ length: training.plays.cols }, (_, i) => i) },
  );
  const service = new RecommendationService({ ...trained.bundle, models: new Map([...trained.bundle.models, ["spark-als", imported]]) });
  await attachOpinions(service, db);
  return service;
}

const labelsOf = (service: RecommendationService, user: string, model: string, k = 40) =>
  service.forUser(user, { model, k, perArtist: 0, newArtistsOnly: false }).map((r) => r.item);

beforeAll(async () => {
  const csv = path.join(scratch, "plays.csv");
  fs.writeFileSync(csv, fixtureCsv());
  const store = await Store.open(db);
  try {
    await importPaths(store, [csv], { format: "kaggle" });
    await importPaths(store, [listenbrainzExport()]);
  } finally {
    store.close();
  }
  await train();
}, 120_000);

describe("bans", () => {
  const user = "listener04";
  let bannedTrack: { artist: string; track: string; key: string };
  let bannedArtist: string;

  it("every model — trained, hybrid and imported — leaves out a banned track and every track of a banned artist; so do playlists", async () => {
    const before = await serviceWithImported();
    expect([...before.modelNames].sort()).toEqual(["als", "content", "hybrid", "popularity", "spark-als", "svd"]);
    const top = labelsOf(before, user, "hybrid", 10);
    bannedTrack = { artist: top[0].artist, track: top[0].track!, key: top[0].key };
    bannedArtist = top.find((item) => item.artist !== bannedTrack.artist)!.artist;
    expect(await run("feedback", "--user", user, "--ban-track", `${bannedTrack.artist} - ${bannedTrack.track}`)).toContain(`banned track ${bannedTrack.artist} – ${bannedTrack.track}`);
    await run("feedback", "--user", user, "--ban-artist", bannedArtist.toUpperCase());

    const after = await serviceWithImported();
    for (const model of after.modelNames) {
      const unfiltered = labelsOf(before, user, model);
      expect(unfiltered.some((item) => item.key === bannedTrack.key || item.artist === bannedArtist), `${model} suggested them before`).toBe(true);
      const items = labelsOf(after, user, model);
      expect(items.length, model).toBe(Math.min(40, unfiltered.length));
      expect(items.map((item) => item.key), model).not.toContain(bannedTrack.key);
      expect(items.map((item) => item.artist), model).not.toContain(bannedArtist);
      // Other listeners are untouched.
      expect(labelsOf(after, "listener07", model)).toEqual(labelsOf(before, "listener07", model));
    }
    const playlist = JSON.parse(await run("playlist", "--user", user, "--format", "jspf", "--all-tracks", "-k", "60"));
    const creators = playlist.playlist.track.map((t: { creator: string }) => t.creator);
    expect(creators.length).toBeGreaterThan(10);
    expect(creators).not.toContain(bannedArtist);
    const tracks = playlist.playlist.track.map((t: { creator: string; title: string }) => `${t.creator} – ${t.title}`);
    expect(tracks).not.toContain(`${bannedTrack.artist} – ${bannedTrack.track}`);
    const feedback = after.feedbackOf(user);
    expect(feedback.bannedItems).toHaveLength(1);
    expect(feedback.bannedArtists).toHaveLength(1);
  }, 120_000);

  it("survive retraining (they live in the store, not the bundle), and an unban brings the track back", async () => {
    await train();
    const service = await serviceWithImported();
    for (const model of service.modelNames) {
      expect(labelsOf(service, user, model).map((item) => item.key), model).not.toContain(bannedTrack.key);
      expect(labelsOf(service, user, model).map((item) => item.artist), model).not.toContain(bannedArtist);
    }
    expect(await run("feedback", "--user", user, "--unban-track", `${bannedTrack.artist} - ${bannedTrack.track}`)).toContain("unbanned track");
    const unbanned = await serviceWithImported();
    expect(labelsOf(unbanned, user, "hybrid", 10)[0].key).toBe(bannedTrack.key);
    const listed = JSON.parse(await run("feedback", "--user", user, "--list", "--json"));
    expect(listed.banned).toEqual([expect.objectContaining({ target: "artist", label: bannedArtist, source: "musicrec" })]);
    expect(await run("feedback", "--user", user, "--list")).toContain(`${user} never gets (1):\n  artist  ${bannedArtist}  (musicrec, `);
  }, 120_000);

  it("unknown names fail with one line and the closest known names; nothing is stored", async () => {
    await expect(run("feedback", "--user", "listener4", "--ban-artist", "Radiohead")).rejects.toThrow(/^unknown user "listener4"; did you mean "listener04"/);
    await expect(run("feedback", "--user", user, "--ban-artist", "Radiohed")).rejects.toThrow(/^unknown artist "Radiohed"; did you mean "Radiohead"\?$/);
    await expect(run("feedback", "--user", user, "--ban-track", "Radiohead - Blue Blues")).rejects.toThrow(/^unknown track "Radiohead - Blue Blues"; did you mean "Radiohead - /);
    await expect(run("feedback", "--user", user, "--ban-track", "Radiohead")).rejects.toThrow(/names no track: write it as "Artist - Track"/);
    await expect(run("feedback", "--user", user, "--ban-artist", "Radiohead", "--ban-track", "x - y")).rejects.toThrow(/one of .* at a time/);
    await expect(run("feedback", "--user", user)).rejects.toThrow(/needs --ban-artist/);
    expect(JSON.parse(await run("feedback", "--user", user, "--list", "--json")).banned).toHaveLength(1);
  }, 60_000);
});

describe("ListenBrainz feedback", () => {
  it("a hated recording is a ban and a loved one counts as the listener's most played item", async () => {
    const service = await serviceWithImported();
    const catalog = service.training.catalog;
    const hated = catalog.keys.indexOf("metallica\u001fglass night");
    const loved = catalog.keys.indexOf("miles davis\u001fnight angel");
    expect(hated).toBeGreaterThanOrEqual(0);
    const feedback = service.feedbackOf("listener01");
    expect(Array.from(feedback.bannedItems)).toEqual([hated]);
    expect(Array.from(feedback.lovedItems)).toEqual([loved]);
    const played = service.playedBy("listener01");
    const history = service.historyOf("listener01");
    // Their own row, unchanged, may be scored from what the models learned about them; with a loved track added it may not.
    expect(played.trainingUser).toBe(service.training.userNames.indexOf("listener01"));
    expect(history.trainingUser).toBeUndefined();
    const most = Math.max(...played.plays);
    expect(history.plays[Array.from(history.items).indexOf(loved)]).toBe(Math.max(most, played.plays[Array.from(played.items).indexOf(loved)] || 0));
    for (const model of service.modelNames) {
      const items = service.recommendFor("listener01", { model, k: 60, perArtist: 0, newArtistsOnly: false }).map((r) => r.item);
      expect(items, model).not.toContain(hated);
      expect(items, model).not.toContain(loved); // loved = played
    }
    // Loving a jazz track (played once) pulls jazz up for this metal listener: the best other Miles Davis track ranks higher.
    const gains: number[] = [];
    for (const model of ["svd", "als", "hybrid"]) {
      const rankOfMiles = (items: number[]) => items.findIndex((item) => catalog.artists[item] === "Miles Davis");
      const all = { model, k: catalog.keys.length, perArtist: 0, newArtistsOnly: false };
      const withoutLove = rankOfMiles(service.recommend(played, all).map((r) => r.item).filter((item) => item !== loved));
      const withLove = rankOfMiles(service.recommendFor("listener01", all).map((r) => r.item));
      expect(withLove, model).toBeLessThanOrEqual(withoutLove);
      gains.push(withoutLove - withLove);
    }
    expect(Math.max(...gains)).toBeGreaterThan(0);
  }, 60_000);
});

describe("the dial and --not-heard-within from the CLI", () => {
  it("--discovery 1 equals --new-artists-only, 0 keeps only known artists; out-of-range values fail", async () => {
    const artistsAt = async (...flags: string[]) =>
      JSON.parse(await run("recommend", "--user", "listener10", "-k", "12", "--model", "svd", "--json", ...flags)).recommendations.map((r: { item: string }) => r.item);
    expect(await artistsAt("--discovery", "1")).toEqual(await artistsAt("--new-artists-only"));
    const service = await openService(db);
    const known = new Set(Array.from(service.playedBy("listener10").items, (item) => service.training.catalog.artists[item]));
    const familiar = JSON.parse(await run("recommend", "--user", "listener10", "-k", "12", "--model", "svd", "--json", "--discovery", "0")).recommendations;
    expect(familiar.length).toBeGreaterThan(0);
    for (const r of familiar) expect(known.has(r.artist)).toBe(true);
    await expect(run("recommend", "--user", "listener10", "--discovery", "1.5")).rejects.toThrow(/--discovery must be a number from 0/);
    await expect(run("recommend", "--user", "listener10", "--discovery", "0.5", "--new-artists-only")).rejects.toThrow(/--new-artists-only is --discovery 1/);
  }, 60_000);

  it("--include-played brings played tracks back, and --not-heard-within leaves out those heard within the window", async () => {
    const store = await Store.open(db, { readOnly: true });
    const [{ last }] = await store.all(
      "SELECT epoch_ms(max(played_at)) AS last FROM events e JOIN users u USING (user_id) WHERE u.name = 'listener10'",
    );
    store.close();
    // A window reaching 10 days before the listener's last play.
    const windowDays = Math.ceil((Date.now() - Number(last)) / 86_400_000) + 10;
    const recent = await readRecentPlays(db, "listener10", windowDays * 86_400_000);
    expect(recent.length).toBeGreaterThan(0);
    const service = await openService(db);
    const played = new Set(Array.from(service.playedBy("listener10").items, (item) => service.training.catalog.keys[item]));
    expect(recent.length).toBeLessThan(played.size);
    const keys = async (...flags: string[]) =>
      (JSON.parse(await run("recommend", "--user", "listener10", "-k", "40", "--model", "svd", "--json", ...flags)).recommendations as { item: string }[]).map(
        (r) => r.item,
      );
    const labelKey = (label: string) => {
      const [artist, track] = label.split(" – ");
      return `${artist.toLowerCase()}\u001f${track.toLowerCase()}`;
    };
    const withPlayed = (await keys("--include-played")).map(labelKey);
    expect(withPlayed.some((key) => played.has(key))).toBe(true);
    const notRecent = (await keys("--include-played", "--not-heard-within", `${windowDays}d`)).map(labelKey);
    for (const play of recent) expect(notRecent).not.toContain(play.itemKey);
    expect(notRecent.some((key) => played.has(key))).toBe(true);
    expect((await keys()).map(labelKey).some((key) => played.has(key))).toBe(false);
    await expect(run("recommend", "--user", "listener10", "--not-heard-within", "a month")).rejects.toThrow(/--not-heard-within must be a duration/);
    // Playlists too, one listener or all of them (everyone's recent plays read once).
    const outDir = path.join(scratch, "playlists");
    await run("playlist", "--all-users", "--out-dir", outDir, "--format", "jspf", "--all-tracks", "-k", "40", "--include-played", "--not-heard-within", `${windowDays}d`);
    const written = JSON.parse(fs.readFileSync(path.join(outDir, "listener10.jspf"), "utf8")).playlist.track as { creator: string; title: string }[];
    const writtenKeys = written.map((t) => labelKey(`${t.creator} – ${t.title}`));
    expect(writtenKeys).toHaveLength(40);
    for (const play of recent) expect(writtenKeys).not.toContain(play.itemKey);
    expect(writtenKeys.some((key) => played.has(key))).toBe(true);
  }, 60_000);
});
