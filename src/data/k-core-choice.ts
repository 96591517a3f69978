/**
 * The k-core that fits the data when the user does not set one.
 *
 * A fixed 5/5 core suits thousands of listeners (HetRec, Last.fm-1K) but deletes everything from a
 * handful of listeners with little overlap (the Kaggle file: 10 people, most tracks heard by one of
 * them), and from a single listener (every item has one listener). So the default scales with the
 * number of listeners L: both thresholds are k = clamp(⌊L / 10⌋, 1, 5) — no filtering below 20
 * listeners, 2/2 from 20, 5/5 from 50. If that core keeps fewer than half of the listeners, k steps
 * down until it keeps at least half (k = 1 keeps everyone). Thresholds the user sets are honoured
 * as given; if they leave nothing, that is an error naming them.
 */
import { UserError } from "../util/errors.js";
import type { Interactions } from "./interactions.js";
import { buildTrainingSet, type TrainingSet } from "./training-set.js";

export interface KCoreRequest {
  /** --min-user-items; undefined = choose from the data. */
  minUserItems?: number;
  /** --min-item-users; undefined = choose from the data. */
  minItemUsers?: number;
}

export interface KCoreChoice {
  minUserItems: number;
  minItemUsers: number;
  /** True when at least one threshold was chosen from the data. */
  auto: boolean;
  /** One line for humans: what was chosen and why. */
  description: string;
}

/** Listeners per step of the default: k = ⌊listeners / LISTENERS_PER_STEP⌋, at most MAX_K. */
const LISTENERS_PER_STEP = 10;
const MAX_K = 5;

/** The default k for a number of listeners (before the keep-half check). */
export function defaultK(listeners: number): number {
  return Math.max(1, Math.min(MAX_K, Math.floor(listeners / LISTENERS_PER_STEP)));
}

/** Builds the training set with the requested or a data-fitted k-core (see the file header). */
export function trainingSetFor(data: Interactions, request: KCoreRequest = {}): { training: TrainingSet; kCore: KCoreChoice } {
  const listeners = countListeners(data);
  let training: TrainingSet | null = null;
  let core = { minUserItems: 1, minItemUsers: 1 };
  for (const candidate of kCoreCandidates(listeners, request)) {
    core = candidate;
    training = buildTrainingSet(data, core);
    if (candidate.last || keptListeners(training) * 2 >= listeners) break;
  }
  if (training == null || training.plays.nnz === 0) throw noInteractionsLeft(core, request);
  return { training, kCore: kCoreChoice(listeners, core, request) };
}

/**
 * The thresholds to try, in order: the given ones alone, else the data-fitted default for
 * `listeners` and then every smaller k. The first candidate that keeps at least half of the
 * listeners, or the last one, is the choice (trainingSetFor; the Parquet export runs the same
 * candidates in SQL).
 */
export function kCoreCandidates(listeners: number, request: KCoreRequest): { minUserItems: number; minItemUsers: number; last: boolean }[] {
  if (request.minUserItems !== undefined && request.minItemUsers !== undefined) {
    return [{ minUserItems: request.minUserItems, minItemUsers: request.minItemUsers, last: true }];
  }
  const first = defaultK(listeners);
  return Array.from({ length: first }, (_, i) => first - i).map((k) => ({
    minUserItems: request.minUserItems ?? k,
    minItemUsers: request.minItemUsers ?? k,
    last: k === 1,
  }));
}

const flags = (core: { minUserItems: number; minItemUsers: number }) => `--min-user-items ${core.minUserItems} --min-item-users ${core.minItemUsers}`;

/** The error when the chosen (or given) core leaves nothing. */
export function noInteractionsLeft(core: { minUserItems: number; minItemUsers: number }, request: KCoreRequest): UserError {
  const given = request.minUserItems !== undefined && request.minItemUsers !== undefined;
  return new UserError(
    `no interactions left after k-core filtering (${flags(core)}); ${given ? "lower them, or leave them out to let musicrec choose" : "lower the threshold you set"}`,
  );
}

/** What was chosen and why, for `listeners` listeners. */
export function kCoreChoice(listeners: number, core: { minUserItems: number; minItemUsers: number }, request: KCoreRequest): KCoreChoice {
  const chosen = { minUserItems: core.minUserItems, minItemUsers: core.minItemUsers };
  if (request.minUserItems !== undefined && request.minItemUsers !== undefined) {
    return { ...chosen, auto: false, description: `k-core ${flags(chosen)} (as given)` };
  }
  const first = defaultK(listeners);
  const relaxed = Math.min(chosen.minUserItems, chosen.minItemUsers) < first ? `, relaxed from ${first} so that at least half of them stay` : "";
  const what = chosen.minUserItems === 1 && chosen.minItemUsers === 1 ? "no filtering" : flags(chosen);
  const description =
    `k-core chosen for ${listeners.toLocaleString("en")} listener${listeners === 1 ? "" : "s"}: ${what}` +
    ` (${LISTENERS_PER_STEP * MAX_K}+ listeners get 5/5${relaxed}; set --min-user-items / --min-item-users to override)`;
  return { ...chosen, auto: true, description };
}

/** Users with at least one play. */
function countListeners(data: Interactions): number {
  const seen = new Uint8Array(data.userNames.length);
  let count = 0;
  for (let e = 0; e < data.userIdx.length; e++) {
    if (data.plays[e] > 0 && !seen[data.userIdx[e]]) {
      seen[data.userIdx[e]] = 1;
      count++;
    }
  }
  return count;
}

function keptListeners(training: TrainingSet): number {
  let count = 0;
  for (let u = 0; u < training.plays.rows; u++) if (training.plays.rowNnz(u) > 0) count++;
  return count;
}
