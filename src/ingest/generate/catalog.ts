import type { Random } from "../../util/random.js";
import { artistKey, normalizeName } from "../../data/item-key.js";
import { artistName, title } from "./names.js";

/**
 * A synthetic music catalogue: artists in taste communities with Zipf popularity inside each
 * community, each with a few albums of ordered tracks and plausible durations. Flat typed arrays.
 */
export interface SyntheticCatalog {
  communityCount: number;
  artistNames: string[];
  artistFirstAlbum: Int32Array;
  artistAlbumCount: Int32Array;
  albumTitles: string[];
  albumFirstTrack: Int32Array;
  albumTrackCount: Int32Array;
  trackTitles: string[];
  trackArtist: Int32Array;
  trackAlbum: Int32Array;
  trackSeconds: Int32Array;
  /** Per community: its artists, most popular first, and the cumulative Zipf weights over them. */
  communityArtists: Int32Array[];
  communityCumulative: Float64Array[];
}

const ZIPF_EXPONENT = 1.05;

/** Cumulative weights of ranks 1..n under Zipf(s), normalised to end at 1. */
export function zipfCumulative(n: number, exponent = ZIPF_EXPONENT): Float64Array {
  const cumulative = new Float64Array(n);
  let total = 0;
  for (let rank = 0; rank < n; rank++) {
    total += 1 / Math.pow(rank + 1, exponent);
    cumulative[rank] = total;
  }
  for (let rank = 0; rank < n; rank++) cumulative[rank] /= total;
  return cumulative;
}

/** Index drawn from a cumulative distribution (binary search). */
export function sampleCumulative(cumulative: Float64Array, rng: Random): number {
  const u = rng.next();
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cumulative[mid] < u) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function buildCatalog(rng: Random, artistCount: number, communityCount: number): SyntheticCatalog {
  const artistNames: string[] = [];
  const seenArtists = new Set<string>();
  while (artistNames.length < artistCount) {
    const name = artistName(rng);
    if (seenArtists.has(artistKey(name))) continue; // distinct names, so the store sees distinct artists
    seenArtists.add(artistKey(name));
    artistNames.push(name);
  }
  const artistFirstAlbum = new Int32Array(artistCount);
  const artistAlbumCount = new Int32Array(artistCount);
  const albumTitles: string[] = [];
  const albumFirstTrack: number[] = [];
  const albumTrackCount: number[] = [];
  const trackTitles: string[] = [];
  const trackArtist: number[] = [];
  const trackAlbum: number[] = [];
  const trackSeconds: number[] = [];
  for (let artist = 0; artist < artistCount; artist++) {
    artistFirstAlbum[artist] = albumTitles.length;
    artistAlbumCount[artist] = 1 + rng.int(4);
    const titlesOfArtist = new Set<string>();
    for (let a = 0; a < artistAlbumCount[artist]; a++) {
      const album = albumTitles.length;
      albumTitles.push(title(rng));
      albumFirstTrack.push(trackTitles.length);
      const tracks = rng.next() < 0.15 ? 1 + rng.int(2) : 6 + rng.int(9);
      albumTrackCount.push(tracks);
      for (let t = 0; t < tracks; t++) {
        let name = title(rng, artistNames[rng.int(artistCount)]);
        while (titlesOfArtist.has(normalizeName(name))) name = `${name} II`;
        titlesOfArtist.add(normalizeName(name));
        trackTitles.push(name);
        trackArtist.push(artist);
        trackAlbum.push(album);
        trackSeconds.push(150 + rng.int(210));
      }
    }
  }
  const order = rng.shuffle(Int32Array.from({ length: artistCount }, (_, i) => i));
  const communityArtists = Array.from({ length: communityCount }, (_, c) => order.filter((_, i) => i % communityCount === c));
  return {
    communityCount,
    artistNames,
    artistFirstAlbum,
    artistAlbumCount,
    albumTitles,
    albumFirstTrack: Int32Array.from(albumFirstTrack),
    albumTrackCount: Int32Array.from(albumTrackCount),
    trackTitles,
    trackArtist: Int32Array.from(trackArtist),
    trackAlbum: Int32Array.from(trackAlbum),
    trackSeconds: Int32Array.from(trackSeconds),
    communityArtists,
    communityCumulative: communityArtists.map((artists) => zipfCumulative(artists.length)),
  };
}
