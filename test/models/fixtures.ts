/**
 * A hand-made listening history with two obvious taste clusters, for model tests:
 * items 0–2 are rock (artists Alpha, Alpha, Beta), 3–5 jazz (Gamma, Gamma, Delta), item 6 a pop
 * hit everybody plays. Users 0–2 play rock, users 3–5 jazz.
 */
import { CsrMatrix } from "../../src/data/csr.js";
import type { ItemCatalog } from "../../src/data/interactions.js";
import { itemKey } from "../../src/data/item-key.js";
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
  const catalog = artistCatalog(items, (i) => [genres[Math.floor(i / itemsPerCluster) % genres.length], `mood${i % 3}`]);
  return {
    plays: CsrMatrix.fromCoo(users, items, r, c, v),
    catalog,
    userNames: Array.from({ length: users }, (_, u) => `user${u}`),
  };
}

/**
 * Two independent signals, each seen by one kind of model only: items sit in a grid of listener
 * communities (visible only in who plays what together) × genres (visible only in the item tags).
 * Every user belongs to one community and one genre and mostly plays that cell, plus some items of
 * their community in other genres and of their genre in other communities. With as many factors as
 * communities, CF finds the community but not the cell; content finds the genre but not the cell;
 * only their fusion ranks the cell first. The held-out test part is cell items only.
 */
export function twoSignalSplit(seed = 5): { train: TrainingSet; test: CsrMatrix } {
  const communities = 4;
  const genres = 4;
  const perCell = 8;
  const users = 320;
  const items = communities * genres * perCell;
  const cellOf = (community: number, genre: number) => (community * genres + genre) * perCell;
  const random = new Random(seed);
  const pick = (from: number[], n: number, taken: Set<number>) => {
    const out: number[] = [];
    while (out.length < n) {
      const item = from[random.int(from.length)];
      if (!taken.has(item)) (taken.add(item), out.push(item));
    }
    return out;
  };
  const range = (start: number, n: number) => Array.from({ length: n }, (_, i) => start + i);
  const train: [number[], number[], number[]] = [[], [], []];
  const test: [number[], number[], number[]] = [[], [], []];
  for (let u = 0; u < users; u++) {
    const community = u % communities;
    const genre = Math.floor(u / communities) % genres;
    const taken = new Set<number>();
    const cell = pick(range(cellOf(community, genre), perCell), 6, taken);
    const sameCommunity = range(0, genres).filter((g) => g !== genre).flatMap((g) => range(cellOf(community, g), perCell));
    const sameGenre = range(0, communities).filter((c) => c !== community).flatMap((c) => range(cellOf(c, genre), perCell));
    const played = [...cell.slice(0, 3), ...pick(sameCommunity, 4, taken), ...pick(sameGenre, 4, taken)];
    for (const item of played) (train[0].push(u), train[1].push(item), train[2].push(1 + random.int(20)));
    for (const item of cell.slice(3)) (test[0].push(u), test[1].push(item), test[2].push(1));
  }
  const genreNames = ["rock", "jazz", "techno", "folk"];
  const catalog = artistCatalog(items, (i) => [genreNames[Math.floor(i / perCell) % genres]]);
  return {
    train: { plays: CsrMatrix.fromCoo(users, items, ...train), catalog, userNames: Array.from({ length: users }, (_, u) => `user${u}`) },
    test: CsrMatrix.fromCoo(users, items, ...test),
  };
}

/** An artist-level catalogue of `items` artists named "Artist i", tagged by `tagsOf`. */
function artistCatalog(items: number, tagsOf: (item: number) => string[]): ItemCatalog {
  return {
    level: "artist",
    keys: Array.from({ length: items }, (_, i) => `artist ${i}`),
    artists: Array.from({ length: items }, (_, i) => `Artist ${i}`),
    tracks: Array.from({ length: items }, () => null),
    albums: Array.from({ length: items }, () => null),
    artistIndex: Int32Array.from({ length: items }, (_, i) => i),
    tags: Array.from({ length: items }, (_, i) => tagsOf(i)),
  };
}

/** A catalogue of [artist, track | null] items (all null: artist-level); artists indexed by spelling. */
export function namedCatalog(items: [string, string | null][]): ItemCatalog {
  const artistIds = new Map<string, number>();
  for (const [artist] of items) if (!artistIds.has(artist)) artistIds.set(artist, artistIds.size);
  return {
    level: items[0][1] === null ? "artist" : "track",
    keys: items.map(([artist, track]) => itemKey(artist, track)),
    artists: items.map(([artist]) => artist),
    tracks: items.map(([, track]) => track),
    albums: items.map(() => null),
    artistIndex: Int32Array.from(items, ([artist]) => artistIds.get(artist)!),
    tags: items.map(() => []),
  };
}
