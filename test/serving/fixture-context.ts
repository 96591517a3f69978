/**
 * Builds a real AppContext for the serving tests: the fixture CSV imported into an in-memory
 * store, a k-core-free training set and every model fitted with small factor counts.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildTrainingSet } from "../../src/data/training-set.js";
import { importPaths } from "../../src/ingest/import-files.js";
import { readHistoryFile } from "../../src/ingest/read-history.js";
import { fitModels } from "../../src/models/fit-models.js";
import { MODEL_NAMES } from "../../src/models/recommender.js";
import { createAppContext, type AppContext } from "../../src/serving/app-context.js";
import { StoreDataset } from "../../src/serving/store-dataset.js";
import { ListenerStore } from "../../src/serving/listener-store.js";
import { loadInteractions } from "../../src/store/load-interactions.js";
import { Store } from "../../src/store/store.js";
import { openStoreAccess } from "../../src/store/store-access.js";
import { fixtureCsv } from "./fixture-data.js";
import { resolveParams } from "../../src/models/registry.js";
import { trainBundle } from "../../src/models/train-bundle.js";
import { silentProgress } from "../../src/util/progress.js";

export const FIXTURE_PARAMS = { svd: { factors: 8 }, als: { factors: 8, iterations: 8 } };

/** A store file at `db` with the fixture's plays imported (the CSV is written beside it). */
export async function fixtureStoreFile(db: string): Promise<void> {
  const csv = path.join(path.dirname(db), "Last.fm_data.csv");
  fs.writeFileSync(csv, fixtureCsv());
  const store = await Store.open(db);
  try {
    await importPaths(store, [csv], { format: "kaggle" });
  } finally {
    store.close();
  }
}

/** Trains and saves the small bundle (svd and popularity) the tests on a store file serve. */
export const trainFixtureBundle = (db: string) =>
  trainBundle(db, { models: ["svd", "popularity"], params: resolveParams(FIXTURE_PARAMS), minUserItems: 1, minItemUsers: 1 }, silentProgress);

export interface Fixture {
  context: AppContext;
  store: Store;
  dir: string;
  close(): void;
}

export async function buildFixture(): Promise<Fixture> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "musicrec-serving-test-"));
  const csv = path.join(dir, "Last.fm_data.csv");
  fs.writeFileSync(csv, fixtureCsv());
  const store = await Store.open(":memory:");
  await importPaths(store, [csv], { format: "kaggle" });
  const training = buildTrainingSet(await loadInteractions(store), { minUserItems: 1, minItemUsers: 1 });
  const { models } = await fitModels(MODEL_NAMES, training, { params: FIXTURE_PARAMS });
  const bundle = { training, models, synthetic: false, trainedAt: "2026-01-01T00:00:00.000Z" };
  const access = openStoreAccess(store);
  const listeners = new ListenerStore(access);
  const context = createAppContext(bundle, new StoreDataset(access), readHistoryFile, { listeners });
  await listeners.opinions.reload();
  return {
    context,
    store,
    dir,
    close() {
      store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
