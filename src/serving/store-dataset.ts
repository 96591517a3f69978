/**
 * The dataset views of the pages, read from the DuckDB store (src/store/stats.ts) through brief
 * opens (src/store/store-access.ts), mapped to what the pages draw. The server holds no lock:
 * the dataset summary is computed when the server starts and again after each model swap or
 * upload, and listener profiles are cached until the next swap or upload.
 */
import type { Bar } from "../charts/bar-chart.js";
import { importPaths } from "../ingest/import-files.js";
import { artistKey, itemKey } from "../data/item-key.js";
import { LruCache } from "../service/lru-cache.js";
import { computeStats, userProfile, type DatasetStats } from "../store/stats.js";
import type { StoreAccess } from "../store/store-access.js";
import { StoreBusyError } from "../store/store-lock.js";
import type { DatasetSource, HistoryFileOptions } from "./app-context.js";
import { similarPageUrl, userPageUrl } from "./page-urls.js";
import type { InsightsData } from "./pages/insights-page.js";
import type { ListenerProfile } from "./pages/recommendations-page.js";
import { timelineOf } from "./timeline.js";

const TOP = 15;
const PROFILE_TOP = 10;
const PROFILE_CACHE_ENTRIES = 2_000;
/** A page waits this long for a store another process is writing, then shows no profile. */
const PAGE_LOCK_WAIT_MS = 1_000;

export class StoreDataset implements DatasetSource {
  /** The last dataset summary computed; kept while a newer one is computed. */
  private latest: InsightsData | null = null;
  private computing: Promise<InsightsData> | null = null;
  private profiles = new LruCache<ListenerProfile | null>(PROFILE_CACHE_ENTRIES);

  constructor(
    private readonly store: StoreAccess,
    private readonly log: (message: string) => void = () => {},
  ) {}

  insights(): Promise<InsightsData> {
    return this.latest ? Promise.resolve(this.latest) : this.computeInsights();
  }

  /** Forgets the profiles read and computes the summary again in the background (after a swap or an upload). */
  invalidate(): void {
    this.profiles = new LruCache(PROFILE_CACHE_ENTRIES);
    this.computing = null;
    this.computeInsights().catch((error: unknown) =>
      this.log(`dataset summary not refreshed: ${error instanceof Error ? error.message : String(error)}`),
    );
  }

  /** One computation at a time; a failure (the store busy beyond the lock wait) is retried by the next call. */
  private computeInsights(): Promise<InsightsData> {
    if (!this.computing) {
      const computing = this.store.read((store) => computeStats(store, { top: TOP })).then(insightsOf);
      this.computing = computing;
      computing.then(
        (insights) => {
          if (this.computing === computing) this.latest = insights;
        },
        () => {
          if (this.computing === computing) this.computing = null;
        },
      );
    }
    return this.computing;
  }

  async profile(user: string): Promise<ListenerProfile | null> {
    const cached = this.profiles.get(user);
    if (cached !== undefined) return cached;
    const profiles = this.profiles;
    let found;
    try {
      found = await this.store.read((store) => userProfile(store, user, { top: PROFILE_TOP }), { lockWaitMs: PAGE_LOCK_WAIT_MS, onBusy: () => {} });
    } catch (error) {
      // Another process is writing the store (an import, a sync): the page goes without the profile.
      if (error instanceof StoreBusyError) return null;
      throw error;
    }
    const profile = found && profileOf(found);
    profiles.set(user, profile);
    return profile;
  }

  async importHistory(file: string, options: HistoryFileOptions): Promise<string> {
    const summary = await this.store.write((store) => importPaths(store, [file], options));
    this.invalidate();
    return (
      `Added ${summary.imported.toLocaleString("en")} plays to the store (${summary.duplicates.toLocaleString("en")} were already there). ` +
      "They join the models at the next training (`musicrec train`, or the server's scheduled refresh); the server then switches to the new models by itself."
    );
  }
}

function profileOf(profile: NonNullable<Awaited<ReturnType<typeof userProfile>>>): ListenerProfile {
  const timeline = timelineOf(profile.playsPerDay);
  return {
    totalPlays: profile.plays,
    distinctItems: profile.items,
    topArtists: profile.topArtists.map((a) => ({ label: a.artist, value: a.plays })),
    timeline: timeline.columns,
    timelineUnit: timeline.unit,
  };
}

function insightsOf(stats: DatasetStats): InsightsData {
  const timeline = timelineOf(stats.playsPerDay);
  const artistBars: Bar[] = stats.topArtists.map((a) => ({
    label: a.artist,
    value: a.plays,
    // Artists are items only in artist-level data; there they link to their similar artists.
    href: stats.level === "artist" ? similarPageUrl(artistKey(a.artist)) : undefined,
  }));
  return {
    users: stats.users,
    items: stats.items,
    artists: stats.artists,
    events: stats.events,
    plays: stats.plays,
    firstDay: stats.firstPlayed?.slice(0, 10) ?? null,
    lastDay: stats.lastPlayed?.slice(0, 10) ?? null,
    topArtists: artistBars,
    topTracks: stats.topTracks.map((t) => ({ label: `${t.artist} – ${t.track}`, value: t.plays, href: similarPageUrl(itemKey(t.artist, t.track)) })),
    mostActiveUsers: stats.activeUsers.map((u) => ({ label: u.user, value: u.plays, href: userPageUrl(u.user) })),
    timeline: timeline.columns,
    timelineUnit: timeline.unit,
  };
}
