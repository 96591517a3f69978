import type { Interactions } from "../../src/data/interactions.js";

/** user → item lists; every pair played twice. */
export function interactions(rows: number[][], items: number): Interactions {
  const userIdx: number[] = [];
  const itemIdx: number[] = [];
  rows.forEach((row, u) => row.forEach((i) => (userIdx.push(u), itemIdx.push(i))));
  const n = userIdx.length;
  return {
    userNames: rows.map((_, u) => `u${u}`),
    catalog: {
      level: "artist",
      keys: Array.from({ length: items }, (_, i) => `a${i}`),
      artists: Array.from({ length: items }, (_, i) => `A${i}`),
      tracks: Array.from({ length: items }, () => null),
      albums: Array.from({ length: items }, () => null),
      artistIndex: Int32Array.from({ length: items }, (_, i) => i),
      tags: Array.from({ length: items }, (_, i) => [`tag${i}`]),
    },
    userIdx: Int32Array.from(userIdx),
    itemIdx: Int32Array.from(itemIdx),
    plays: new Float32Array(n).fill(2),
    firstPlayed: new Float64Array(n).fill(NaN),
    lastPlayed: new Float64Array(n).fill(NaN),
  };
}
