/**
 * Scoring threads answer with the bytes the main thread would build, for a listener's own row
 * and for any other history with bans; they let jobs in flight finish when closed, refuse a
 * bundle version that is not there, and a thread that dies hands scoring back to the main thread.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUNDLE_VERSION, loadBundle, saveBundle, type ModelBundle } from "../../src/models/bundle.js";
import { fitModels } from "../../src/models/fit-models.js";
import { resolveParams } from "../../src/models/registry.js";
import { RecommendationService, type RecommendQuery } from "../../src/service/recommendation-service.js";
import { ScoringThreads } from "../../src/service/scoring-threads.js";
import { serveModels, userRecommendationsJson } from "../../src/serving/served-models.js";
import { syntheticTraining } from "../models/fixtures.js";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "musicrec-scoring-threads-"));
const PARAMS = { als: { factors: 8, iterations: 3 }, svd: { factors: 8 }, hybrid: { validationUsers: 40 } };
let bundle: ModelBundle;
let service: RecommendationService;
let threads: ScoringThreads;

beforeAll(async () => {
  const training = syntheticTraining(80, 10, 3);
  const { models } = await fitModels(["popularity", "content", "svd", "als", "hybrid"], training, { params: PARAMS });
  await saveBundle(dir, { version: BUNDLE_VERSION, trainedAt: new Date().toISOString(), training, models, params: resolveParams(PARAMS), synthetic: false });
  bundle = await loadBundle(dir);
  service = new RecommendationService(bundle, 0);
  threads = await ScoringThreads.start({ bundleDir: dir, version: bundle.id! }, 2);
}, 60_000);
afterAll(async () => {
  await threads?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const query = (model: string, extra: Partial<RecommendQuery> = {}): RecommendQuery => ({ model, k: 10, perArtist: 0, newArtistsOnly: false, ...extra });

describe("ScoringThreads", () => {
  it("build the main thread's response bytes for every model and option, a listener's own row and any other history with bans", async () => {
    const users = bundle.training.userNames.slice(0, 12);
    const queries = [query("hybrid"), query("als"), query("svd"), query("content"), query("popularity"), query("hybrid", { perArtist: 1, discovery: 0.5, k: 7 })];
    const jobs: Promise<void>[] = [];
    for (const user of users) {
      for (const q of queries) {
        const { history, ranking } = service.scoringInput(user, q);
        expect(history.trainingUser).toBeDefined();
        jobs.push(threads.userJson(user, q, history, ranking).then((json) => expect(json.toString()).toBe(service.forUserJson(user, q).toString())));
      }
    }
    // A history that is not a training row (loved items added, a copy) and bans travel with the job.
    const row = service.playedBy(users[0]);
    const other = { items: row.items.slice(), plays: Float32Array.from(row.plays, (p) => p * 2) };
    const ranking = { excludedItems: Int32Array.of(1, 4, 9), excludedArtists: Int32Array.of(2) };
    for (const q of queries) {
      jobs.push(threads.userJson(users[0], q, other, ranking).then((json) => expect(json.toString()).toBe(service.userResponseJson(users[0], q, other, ranking))));
    }
    await Promise.all(jobs);
    expect(threads.busy).toBe(0);
  });

  it("leave a query no model can answer to the main thread's 400, and a libraryOnly one to the main thread", async () => {
    const served = serveModels(bundle, 100);
    served.threads = threads;
    const user = bundle.training.userNames[2];
    expect(() => userRecommendationsJson(served, user, query("hybrid", { discovery: 2 }))).toThrow(/invalid parameter discovery/);
    expect(() => userRecommendationsJson(served, user, query("nope"))).toThrow(/invalid parameter model/);
    expect(() => userRecommendationsJson(served, user, query("hybrid", { libraryOnly: true }))).toThrow(/invalid parameter libraryOnly: the local library is empty/);
    expect(threads.busy).toBe(0);
    const json = await userRecommendationsJson(served, user, query("svd"));
    expect(json.toString()).toBe(service.forUserJson(user, query("svd")).toString());
    // Kept in the served models' response cache as if built on the main thread.
    expect(served.service.cachedUserJson(user, query("svd"))).toBe(json);
  });

  it("refuses a bundle version that is not there, saying which", async () => {
    await expect(ScoringThreads.start({ bundleDir: dir, version: "v-none" }, 1)).rejects.toThrow(/scoring thread 0 could not load the bundle: .*v-none/);
  });

  it("finish the jobs in flight when closed, then take no more", async () => {
    const own = await ScoringThreads.start({ bundleDir: dir, version: bundle.id! }, 1);
    const user = bundle.training.userNames[3];
    const q = query("hybrid");
    const { history, ranking } = service.scoringInput(user, q);
    const inFlight = Array.from({ length: 20 }, () => own.userJson(user, q, history, ranking));
    const closed = own.close();
    expect(own.usable).toBe(false);
    const answers = await Promise.all(inFlight);
    await closed;
    for (const json of answers) expect(json.toString()).toBe(service.forUserJson(user, q).toString());
    await expect(own.userJson(user, q, history, ranking)).rejects.toThrow(/closing/);
  });

  it("a thread that dies fails its jobs, and the served models score on the main thread from then on", async () => {
    const served = serveModels(bundle, 0);
    served.threads = await ScoringThreads.start({ bundleDir: dir, version: bundle.id! }, 1);
    const user = bundle.training.userNames[5];
    const q = query("hybrid");
    const { history, ranking } = served.service.scoringInput(user, q);
    const pending = served.threads.userJson(user, q, history, ranking);
    await (served.threads as unknown as { workers: { terminate(): Promise<number> }[] }).workers[0].terminate();
    await pending.then(
      (json) => expect(json.toString()).toBe(service.forUserJson(user, q).toString()),
      (error: Error) => expect(error.message).toMatch(/scoring thread 0 exited unexpectedly/),
    );
    expect(served.threads.usable).toBe(false);
    expect((await userRecommendationsJson(served, user, q)).toString()).toBe(service.forUserJson(user, q).toString());
  });
});
