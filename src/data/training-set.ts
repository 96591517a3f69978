/**
 * From aggregated interactions to the matrix models are fitted on, with iterative k-core
 * filtering: drop users with fewer than `minUserItems` distinct items and items with fewer than
 * `minItemUsers` distinct users, repeating until both hold (dropping an item can push a user
 * under the threshold and vice versa).
 *
 * Filtering REMAPS indices: the TrainingSet's users and catalogue contain only the survivors, in
 * their original order, so the matrix columns match the catalogue. With 1/1 (filtering off)
 * nothing is dropped — not even users without plays — and indices equal the input's.
 */
import { alignWithMatrix, CsrMatrix } from "./csr.js";
import type { Interactions, ItemCatalog } from "./interactions.js";
import { UserError } from "../util/errors.js";

/** What a model is fitted on: raw play counts; each model applies its own weighting. */
export interface TrainingSet {
  /** users × items. */
  plays: CsrMatrix;
  catalog: ItemCatalog;
  userNames: string[];
  /**
   * Epoch ms of each pair's last play, aligned with `plays` entries (NaN where unknown); absent
   * when the data has no timestamps. Lets tuning validate chronologically.
   */
  lastPlayed?: Float64Array;
}

export interface TrainingSetOptions {
  minUserItems?: number;
  minItemUsers?: number;
}

export const DEFAULT_MIN_USER_ITEMS = 5;
export const DEFAULT_MIN_ITEM_USERS = 5;

export function buildTrainingSet(data: Interactions, options: TrainingSetOptions = {}): TrainingSet {
  const minUser = options.minUserItems ?? DEFAULT_MIN_USER_ITEMS;
  const minItem = options.minItemUsers ?? DEFAULT_MIN_ITEM_USERS;
  for (const [name, value] of [["minUserItems", minUser], ["minItemUsers", minItem]] as const) {
    if (!Number.isInteger(value) || value < 1) throw new UserError(`${name} must be a positive integer, got ${value}`);
  }
  const users = data.userNames.length;
  const items = data.catalog.keys.length;
  const n = data.userIdx.length;
  if (minUser <= 1 && minItem <= 1) {
    const plays = CsrMatrix.fromCoo(users, items, data.userIdx, data.itemIdx, data.plays);
    return { plays, catalog: data.catalog, userNames: data.userNames, ...lastPlayedOf(plays, data.userIdx, data.itemIdx, data.lastPlayed) };
  }

  const alive = new Uint8Array(n).fill(1);
  const userDegree = new Int32Array(users);
  const itemDegree = new Int32Array(items);
  for (let e = 0; e < n; e++) {
    if (data.plays[e] <= 0) alive[e] = 0;
    else {
      userDegree[data.userIdx[e]]++;
      itemDegree[data.itemIdx[e]]++;
    }
  }
  for (let changed = true; changed; ) {
    changed = false;
    for (let e = 0; e < n; e++) {
      if (!alive[e]) continue;
      const u = data.userIdx[e];
      const i = data.itemIdx[e];
      if (userDegree[u] < minUser || itemDegree[i] < minItem) {
        alive[e] = 0;
        userDegree[u]--;
        itemDegree[i]--;
        changed = true;
      }
    }
  }

  const userMap = denseRemap(userDegree);
  const itemMap = denseRemap(itemDegree);
  const keptUsers = data.userNames.filter((_, u) => userMap[u] >= 0);
  const catalog = subsetCatalog(data.catalog, itemMap);
  let kept = 0;
  for (let e = 0; e < n; e++) kept += alive[e];
  const r = new Int32Array(kept);
  const c = new Int32Array(kept);
  const v = new Float32Array(kept);
  const t = new Float64Array(kept);
  for (let e = 0, out = 0; e < n; e++) {
    if (!alive[e]) continue;
    r[out] = userMap[data.userIdx[e]];
    c[out] = itemMap[data.itemIdx[e]];
    t[out] = data.lastPlayed[e];
    v[out++] = data.plays[e];
  }
  const plays = CsrMatrix.fromCoo(keptUsers.length, catalog.keys.length, r, c, v);
  return { plays, catalog, userNames: keptUsers, ...lastPlayedOf(plays, r, c, t) };
}

/** `{ lastPlayed }` aligned with the matrix entries, or nothing when no pair has a timestamp. */
function lastPlayedOf(plays: CsrMatrix, rows: Int32Array, cols: Int32Array, times: Float64Array): { lastPlayed?: Float64Array } {
  return times.some((time) => !Number.isNaN(time)) ? { lastPlayed: alignWithMatrix(plays, rows, cols, times) } : {};
}

/** New dense index for every entry with a positive degree, −1 for the dropped ones. */
function denseRemap(degree: Int32Array): Int32Array {
  const map = new Int32Array(degree.length);
  let next = 0;
  for (let i = 0; i < degree.length; i++) map[i] = degree[i] > 0 ? next++ : -1;
  return map;
}

function subsetCatalog(catalog: ItemCatalog, itemMap: Int32Array): ItemCatalog {
  const keep: number[] = [];
  for (let i = 0; i < itemMap.length; i++) if (itemMap[i] >= 0) keep.push(i);
  return {
    level: catalog.level,
    keys: keep.map((i) => catalog.keys[i]),
    artists: keep.map((i) => catalog.artists[i]),
    tracks: keep.map((i) => catalog.tracks[i]),
    albums: keep.map((i) => catalog.albums[i]),
    artistIndex: Int32Array.from(keep, (i) => catalog.artistIndex[i]),
    tags: keep.map((i) => catalog.tags[i]),
  };
}
