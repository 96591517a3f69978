import { Random } from "../../util/random.js";
import { sampleCumulative, zipfCumulative, type SyntheticCatalog } from "./catalog.js";

/** One synthetic listener: favourite communities, a heavy-rotation artist list, an amount of listening. */
export interface Listener {
  name: string;
  seed: number;
  communities: Int32Array;
  communityCumulative: Float64Array;
  scrobbles: number;
  /** Days between the first and the last scrobble. */
  spanDays: number;
}

const DAY_MS = 86_400_000;
const FAVOURITES = 25;

/**
 * Listeners with 1–3 taste communities and lognormal activity, scaled so the scrobble counts add
 * up to `totalScrobbles` exactly (each listener gets at least a few).
 */
export function planListeners(rng: Random, userCount: number, totalScrobbles: number, communityCount: number, seed: number): Listener[] {
  const activity = Float64Array.from({ length: userCount }, () => Math.exp(1.1 * rng.normal()));
  const sum = activity.reduce((a, b) => a + b, 0);
  const minimum = Math.min(10, Math.floor(totalScrobbles / userCount));
  const spare = totalScrobbles - minimum * userCount;
  const counts = Int32Array.from(activity, (weight) => minimum + Math.floor((spare * weight) / sum));
  let missing = totalScrobbles - counts.reduce((a, b) => a + b, 0);
  for (let u = 0; missing > 0; u = (u + 1) % userCount, missing--) counts[u]++;
  const width = Math.max(4, String(userCount).length);
  return Array.from({ length: userCount }, (_, u) => {
    const tasteCount = 1 + rng.int(3);
    const communities = Int32Array.from({ length: tasteCount }, () => rng.int(communityCount));
    const weights = Float64Array.from(communities, () => 0.2 + rng.next());
    const total = weights.reduce((a, b) => a + b, 0);
    let running = 0;
    return {
      name: `synth_user_${String(u + 1).padStart(width, "0")}`,
      seed: seed * 1_000_003 + u,
      communities,
      communityCumulative: Float64Array.from(weights, (w) => (running += w / total)),
      scrobbles: counts[u],
      spanDays: 30 + rng.int(1500),
    };
  });
}

/**
 * A listener's scrobbles in time order: sessions of album runs (consecutive tracks of one album)
 * and singles, artists drawn by Zipf popularity from the listener's communities or heavy rotation,
 * tracks back to back by duration, sessions mostly in waking hours, the last one before `endMs`.
 */
export function listen(catalog: SyntheticCatalog, listener: Listener, endMs: number, tracks: Int32Array, times: Float64Array): void {
  const rng = new Random(listener.seed);
  const n = listener.scrobbles;
  const pickCommunity = () =>
    rng.next() < 0.9 ? listener.communities[sampleCumulative(listener.communityCumulative, rng)] : rng.int(catalog.communityCount);
  const popularArtist = (community: number) =>
    catalog.communityArtists[community][sampleCumulative(catalog.communityCumulative[community], rng)];
  const favourites = Int32Array.from({ length: FAVOURITES }, () => popularArtist(pickCommunity()));
  const favouriteCumulative = zipfCumulative(FAVOURITES, 0.8);

  const meanSession = 9;
  const meanGapMs = (listener.spanDays * DAY_MS) / Math.max(1, n / meanSession);
  let clock = 0;
  let i = 0;
  while (i < n) {
    let sessionLeft = 2 + Math.round(-Math.log(1 - rng.next()) * (meanSession - 2));
    const community = pickCommunity();
    while (sessionLeft > 0 && i < n) {
      const artist = rng.next() < 0.45 ? favourites[sampleCumulative(favouriteCumulative, rng)] : popularArtist(community);
      const albumRank = Math.min(catalog.artistAlbumCount[artist] - 1, Math.floor(-Math.log(1 - rng.next()) * 0.9));
      const album = catalog.artistFirstAlbum[artist] + albumRank;
      const first = catalog.albumFirstTrack[album];
      const length = catalog.albumTrackCount[album];
      const albumRun = rng.next() < 0.6;
      const start = albumRun && rng.next() < 0.6 ? 0 : rng.int(length);
      const run = albumRun ? Math.min(length - start, sessionLeft, 1 + rng.int(length)) : 1;
      for (let t = 0; t < run && i < n; t++, i++, sessionLeft--) {
        const track = first + start + t;
        tracks[i] = track;
        times[i] = clock;
        clock += catalog.trackSeconds[track] * 1000 + rng.int(20_000);
      }
    }
    clock += -Math.log(1 - rng.next()) * meanGapMs;
    clock = intoWakingHours(clock, rng);
  }
  // Anchor the history to end within a day before endMs; whole days keep the hours of day.
  const shift = Math.floor((endMs - times[n - 1]) / DAY_MS) * DAY_MS;
  for (let k = 0; k < n; k++) times[k] = Math.floor((times[k] + shift) / 1000) * 1000;
}

/** Moves a session start that falls between 2:00 and 8:00 to the morning, most of the time. */
function intoWakingHours(ms: number, rng: Random): number {
  const hour = Math.floor(ms / 3_600_000) % 24;
  if (hour >= 2 && hour < 8 && rng.next() < 0.85) return ms + (8 - hour) * 3_600_000 + rng.int(3_600_000);
  return ms;
}
