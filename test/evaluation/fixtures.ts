/** Small in-test data and a minimal model for the evaluation tests. */
import { CsrMatrix } from "../../src/data/csr.js";
import type { ItemCatalog } from "../../src/data/interactions.js";
import type { ModelName, Recommender, UserHistory } from "../../src/models/recommender.js";
import type { TrainingSet } from "../../src/data/training-set.js";
import { Random } from "../../src/util/random.js";

/** Scores every item by the number of train users who played it (a minimal popularity model). */
export class CountModel implements Recommender {
  readonly name: ModelName = "popularity";
  counts = new Float32Array(0);
  fit(train: TrainingSet) {
    this.counts = new Float32Array(train.plays.cols);
    for (const i of train.plays.indices) this.counts[i]++;
  }
  scores(_history: UserHistory) {
    return this.counts;
  }
  recommend(): never {
    throw new Error("not used by the evaluation");
  }
  similarItems(): never {
    throw new Error("not used by the evaluation");
  }
  itemSimilarities(): never {
    throw new Error("not used by the evaluation");
  }
}

export function catalogOf(items: number): ItemCatalog {
  const names = Array.from({ length: items }, (_, i) => `artist ${i}`);
  return { level: "artist", keys: names, artists: names, tracks: names.map(() => null), albums: names.map(() => null), artistIndex: Int32Array.from(names.keys()), tags: names.map(() => []) };
}

/** Users with a skewed taste: low item indices are popular. */
export function skewedPlays(seed: number, users = 60, items = 40, density = 0.6): CsrMatrix {
  const rng = new Random(seed);
  const r: number[] = [];
  const c: number[] = [];
  for (let u = 0; u < users; u++) {
    for (let i = 0; i < items; i++) {
      if (rng.next() < density / (1 + i / 4)) {
        r.push(u);
        c.push(i);
      }
    }
  }
  return CsrMatrix.fromCoo(users, items, r, c, r.map(() => 1));
}

export interface Scrobble {
  user: string;
  artist: string;
  track: string;
  time: number;
}
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** 8 listeners × 25 tracks, 400 scrobbles one minute apart (distinct times), skewed to low track numbers. */
export function scrobbles(): Scrobble[] {
  const rng = new Random(11);
  const start = Date.UTC(2021, 0, 1);
  return Array.from({ length: 400 }, (_, n) => {
    const t = Math.floor(25 * rng.next() ** 2);
    return { user: `listener${rng.int(8)}`, artist: `Band ${t % 7}`, track: `Song ${t}`, time: start + n * 60_000 };
  });
}

/** Scrobbles in the Kaggle Last.fm CSV format. */
export function kaggleCsv(rows: Scrobble[]): string {
  const two = (n: number) => String(n).padStart(2, "0");
  const lines = rows.map((r, n) => {
    const d = new Date(r.time);
    const date = `${two(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
    return `${n},${r.user},${r.artist},${r.track},Album,${date},${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
  });
  return [",Username,Artist,Track,Album,Date,Time", ...lines].join("\n") + "\n";
}
