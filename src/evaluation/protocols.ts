/**
 * The three evaluation protocols over a store, as `SplitSource`s for `evaluateModels`.
 *
 * All of them first load every interaction at the chosen level and apply the k-core
 * (--min-user-items / --min-item-users, or the one chosen from the data: data/k-core-choice.ts)
 * to the whole data, BEFORE splitting; the catalogue ranked in the evaluation is the k-core's.
 *
 * - random: per user, a seeded random `testFraction` of the distinct items (`randomHoldout`).
 * - last:   per user, the `lastN` most recently played distinct items (`lastHoldout`).
 * - time:   the original design: all timestamped events sorted by time, the last `testFraction`
 *           of them (played_at >= `timeCutoff`) are the test period, everything before it train.
 *           Test pairs are restricted to users and items seen in train, and to items the user did
 *           not already play in train (they could not be recommended) unless `includePlayed`.
 *           The split has no randomness. When the protocol was not asked for and the time split
 *           leaves no user with a test item (e.g. a single listener: every new item of the test
 *           period is unknown to train), the random protocol is used instead and the description
 *           says so.
 */
import type { Store } from "../store/store.js";
import { defaultLevel, loadInteractions, timeCutoff } from "../store/load-interactions.js";
import { trainingSetFor, type KCoreRequest } from "../data/k-core-choice.js";
import { CsrMatrix } from "../data/csr.js";
import type { Interactions, ItemLevel } from "../data/interactions.js";
import type { TrainingSet } from "../data/training-set.js";
import { UserError } from "../util/errors.js";
import type { PairTimes, Protocol, SplitSource } from "./evaluate.js";
import { lastHoldout, newItemsOnly, randomHoldout, restrictToTrained } from "../data/split.js";

export interface ProtocolOptions {
  /** Defaults to "time" when the data has play timestamps, else "random". */
  protocol?: Protocol;
  /** Item level; defaults to the store's (`defaultLevel`). */
  level?: ItemLevel;
  /** Share of each user's items (random) or of all events (time) held out. */
  testFraction: number;
  /** Items held out per user by the last protocol. */
  lastN: number;
  /** k-core thresholds; undefined = chosen from the data. */
  minUserItems?: number;
  minItemUsers?: number;
  /**
   * Time protocol: keep test items the user already played in train (re-listens). Only meaningful
   * when the evaluation ranks played items too (`EvaluateOptions.includePlayed`).
   */
  includePlayed?: boolean;
}

/**
 * Whether at least half of the listeners have a dated play: the time protocol's default. Where
 * dated scrobbles are a minority (HetRec's counts plus someone's export) a time split would test
 * only those few listeners, so such data is split at random.
 */
function mostListenersDated(all: Interactions): boolean {
  const dated = new Uint8Array(all.userNames.length);
  for (let p = 0; p < all.userIdx.length; p++) if (!Number.isNaN(all.lastPlayed[p])) dated[all.userIdx[p]] = 1;
  let count = 0;
  for (const d of dated) count += d;
  return 2 * count >= all.userNames.length && count > 0;
}

export async function splitSource(store: Store, options: ProtocolOptions): Promise<SplitSource> {
  const level = options.level ?? (await defaultLevel(store));
  const all = await loadInteractions(store, { level });
  if (all.userIdx.length === 0) throw new UserError(`store ${store.path} has no listening data at ${level} level: import some first`);
  const request: KCoreRequest = { minUserItems: options.minUserItems, minItemUsers: options.minItemUsers };
  const { training: core, kCore } = trainingSetFor(all, request);
  const timed = all.lastPlayed.some((t) => !Number.isNaN(t));
  const protocol = options.protocol ?? (mostListenersDated(all) ? "time" : "random");
  if (protocol !== "random" && !timed) throw noTimestamps(store, protocol);
  // The time protocol takes its train times from the train period alone (below).
  const allTimes = timed && protocol !== "time" ? pairTimes(all, coreIndex(all, core)) : undefined;
  const base = { catalog: core.catalog, userNames: core.userNames, protocol, kCore };
  const percent = `${+(options.testFraction * 100).toFixed(2)}%`;

  switch (protocol) {
    case "random":
      return {
        ...base,
        description: `per user, a random ${percent} of the distinct ${level}s held out (round(n × ${options.testFraction}), at least one kept in train)`,
        split: (seed) => randomHoldout(core.plays, options.testFraction, seed),
        trainTimes: allTimes,
      };
    case "last": {
      const split = lastHoldout(core.plays, core.lastPlayed!, options.lastN);
      return {
        ...base,
        description: `per user, the ${options.lastN} most recently played distinct ${level}s held out (at least one kept in train)`,
        split: () => split,
        trainTimes: allTimes,
      };
    }
    case "time": {
      const cutoff = await timeCutoff(store, options.testFraction);
      const before = await loadInteractions(store, { level, to: cutoff });
      const after = await loadInteractions(store, { level, from: cutoff });
      const beforeToCore = coreIndex(before, core);
      const trained = restrictToTrained({ train: inCore(before, core, beforeToCore), test: inCore(after, core) });
      const split = options.includePlayed ? trained : newItemsOnly(trained);
      if (options.protocol === undefined && !hasTestUser(split)) {
        const random = await splitSource(store, { ...options, level, protocol: "random" });
        return { ...random, description: `the time split left no user with a test item, so random: ${random.description}` };
      }
      // Train-period times only: the last plays of `all` may fall in the test period.
      const trainTimes = pairTimes(before, beforeToCore);
      return {
        ...base,
        description: `events sorted by time: the last ${percent} (played at or after ${cutoff.toISOString()}) are the test period, earlier events train; test restricted to users and ${level}s seen in train${options.includePlayed ? " (re-listened items included)" : ", minus items the user already played"}`,
        split: () => split,
        trainTimes,
        cutoff,
      };
    }
  }
}

function hasTestUser(split: { train: CsrMatrix; test: CsrMatrix }): boolean {
  for (let u = 0; u < split.test.rows; u++) if (split.test.rowNnz(u) > 0 && split.train.rowNnz(u) > 0) return true;
  return false;
}

/** Last-played times of the loaded pairs, in the k-core's index spaces (−1 where dropped). */
function pairTimes(data: Interactions, toCore: { users: Int32Array; items: Int32Array }): PairTimes {
  return { rows: remap(data.userIdx, toCore.users), cols: remap(data.itemIdx, toCore.items), lastPlayed: data.lastPlayed };
}

function noTimestamps(store: Store, protocol: Protocol): UserError {
  return new UserError(`--protocol ${protocol} needs play timestamps, and store ${store.path} has none (e.g. HetRec): use --protocol random`);
}

/** Index of each loaded user / item in the k-core training set, −1 when the k-core dropped it. */
function coreIndex(all: Interactions, core: TrainingSet): { users: Int32Array; items: Int32Array } {
  const userAt = new Map(core.userNames.map((name, u) => [name, u]));
  const itemAt = new Map(core.catalog.keys.map((key, i) => [key, i]));
  return {
    users: Int32Array.from(all.userNames, (name) => userAt.get(name) ?? -1),
    items: Int32Array.from(all.catalog.keys, (key) => itemAt.get(key) ?? -1),
  };
}

function remap(indices: Int32Array, map: Int32Array): Int32Array {
  return Int32Array.from(indices, (i) => map[i]);
}

/** The pairs of `data` whose user and item survived the k-core, as a matrix over the core's index spaces. */
function inCore(data: Interactions, core: TrainingSet, toCore = coreIndex(data, core)): CsrMatrix {
  const r: number[] = [];
  const c: number[] = [];
  const v: number[] = [];
  for (let e = 0; e < data.userIdx.length; e++) {
    const u = toCore.users[data.userIdx[e]];
    const i = toCore.items[data.itemIdx[e]];
    if (u < 0 || i < 0 || !(data.plays[e] > 0)) continue;
    r.push(u);
    c.push(i);
    v.push(data.plays[e]);
  }
  return CsrMatrix.fromCoo(core.plays.rows, core.plays.cols, r, c, v);
}
