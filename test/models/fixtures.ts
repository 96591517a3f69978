/**
 * A hand-made listening history with two obvious taste clusters, for model tests:
 * items 0–2 are rock (artists Alpha, Alpha, Beta), 3–5 jazz (Gamma, Gamma, Delta), item 6 a pop
 * hit everybody plays. Users 0–2 play rock, users 3–5 jazz.
 */
import { CsrMatrix } from "../../src/data/csr.js";
import type { ItemCatalog } from "../../src/data/interactions.js";
import type { UserHistory } from "../../src/models/recommender.js";
import type { TrainingSet } from "../../src/data/training-set.js";
import { Random } from "../../src/util/random.js";

export const ROCK = [0, 1, 2];
export const JAZZ = [3, 4, 5];
export const POP = 6;

export function clusterCatalog(): ItemCatalog {
  const artists = ["Alpha", "Alpha", "Beta", "Gamma", "Gamma", "Delta", "Epsilon"];
  const tracks = ["Rock One", "Rock Two", "Stone Song", "Jazz One", "Jazz Two", "Blue Note", "Pop Hit"];
  const rock = ["rock", "guitar"];
  const jazz = ["jazz", "saxophone"];
  return {
    level: "track",
    keys: artists.map((a, i) => `${a.toLowerCase()}\u001f${tracks[i].toLowerCase()}`),
    artists,
    tracks,
    albums: [null, null, null, null, null, null, null],
    artistIndex: Int32Array.from([0, 0, 1, 2, 2, 3, 4]),
    tags: [rock, rock, rock, jazz, jazz, jazz, ["pop"]],
  };
}

/** user → [item, plays] pairs. */
const PLAYS: [number, number][][] = [
  [[0, 10], [1, 4], [2, 6], [6, 2]],
  [[0, 3], [1, 8], [2, 5], [6, 1]],
  [[0, 7], [2, 2], [6, 3]],
  [[3, 9], [4, 4], [5, 6], [6, 2]],
  [[3, 2], [4, 5], [5, 3]],
  [[3, 6], [5, 4], [6, 5]],
];

export function clusterTraining(): TrainingSet {
  const r: number[] = [];
  const c: number[] = [];
  const v: number[] = [];
  PLAYS.forEach((row, user) => row.forEach(([item, plays]) => (r.push(user), c.push(item), v.push(plays))));
  const catalog = clusterCatalog();
  return {
    plays: CsrMatrix.fromCoo(PLAYS.length, catalog.keys.length, r, c, v),
    catalog,
    userNames: ["ann", "bob", "cat", "dan", "eve", "fay"],
  };
}

export function history(items: number[], plays: number[]): UserHistory {
  return { items: Int32Array.from(items), plays: Float32Array.from(plays) };
}

export function rowHistory(training: TrainingSet, user: number): UserHistory {
  return { items: training.plays.rowIndices(user), plays: training.plays.rowData(user) };
}

/**
 * A larger seeded data set with `clusters` taste groups: each user plays mostly items of their
 * own group, sometimes others; item popularity decays within a group.
 */
export function syntheticTraining(users = 120, itemsPerCluster = 15, clusters = 4, seed = 1): TrainingSet {
  const random = new Random(seed);
  const items = itemsPerCluster * clusters;
  const r: number[] = [];
  const c: number[] = [];
  const v: number[] = [];
  for (let u = 0; u < users; u++) {
    const home = u % clusters;
    const seen = new Set<number>();
    const n = 4 + random.int(8);
    while (seen.size < n) {
      const cluster = random.next() < 0.85 ? home : random.int(clusters);
      const rank = Math.floor(itemsPerCluster * random.next() ** 2);
      seen.add(cluster * itemsPerCluster + rank);
    }
    for (const item of seen) (r.push(u), c.push(item), v.push(1 + random.int(50)));
  }
  const genres = ["rock", "jazz", "techno", "folk", "metal", "soul"];
  const catalog: ItemCatalog = {
    level: "artist",
    keys: Array.from({ length: items }, (_, i) => `artist ${i}`),
    artists: Array.from({ length: items }, (_, i) => `Artist ${i}`),
    tracks: Array.from({ length: items }, () => null),
    albums: Array.from({ length: items }, () => null),
    artistIndex: Int32Array.from({ length: items }, (_, i) => i),
    tags: Array.from({ length: items }, (_, i) => [genres[Math.floor(i / itemsPerCluster) % genres.length], `mood${i % 3}`]),
  };
  return {
    plays: CsrMatrix.fromCoo(users, items, r, c, v),
    catalog,
    userNames: Array.from({ length: users }, (_, u) => `user${u}`),
  };
}
