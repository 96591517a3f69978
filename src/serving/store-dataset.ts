/**
 * The dataset views of the pages, backed by the DuckDB store (src/store/stats.ts), mapped to
 * what the pages draw. The dataset summary is computed once and kept until an upload is added
 * to the store. Store work is serialised: one DuckDB connection must not interleave a profile
 * query with an import transaction.
 */
import type { Bar } from "../charts/bar-chart.js";
import { importPaths } from "../ingest/import-files.js";
import { artistKey, itemKey } from "../data/item-key.js";
import { computeStats, userProfile, type DatasetStats } from "../store/stats.js";
import type { Store } from "../store/store.js";
import type { DatasetSource, HistoryFileOptions } from "./app-context.js";
import { similarPageUrl, userPageUrl } from "./page-urls.js";
import type { InsightsData } from "./pages/insights-page.js";
import type { ListenerProfile } from "./pages/recommendations-page.js";
import { timelineOf } from "./timeline.js";

const TOP = 15;
const PROFILE_TOP = 10;

export class StoreDataset implements DatasetSource {
  private cachedInsights: Promise<InsightsData> | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly store: Store) {}

  insights(): Promise<InsightsData> {
    this.cachedInsights ??= this.serial(() => computeStats(this.store, { top: TOP })).then(insightsOf);
    this.cachedInsights.catch(() => (this.cachedInsights = null));
    return this.cachedInsights;
  }

  async profile(user: string): Promise<ListenerProfile | null> {
    const profile = await this.serial(() => userProfile(this.store, user, { top: PROFILE_TOP }));
    if (!profile) return null;
    const timeline = timelineOf(profile.playsPerDay);
    return {
      totalPlays: profile.plays,
      distinctItems: profile.items,
      topArtists: profile.topArtists.map((a) => ({ label: a.artist, value: a.plays })),
      timeline: timeline.columns,
      timelineUnit: timeline.unit,
    };
  }

  async importHistory(file: string, options: HistoryFileOptions): Promise<string> {
    const summary = await this.serial(() => importPaths(this.store, [file], options));
    this.cachedInsights = null;
    return (
      `Added ${summary.imported.toLocaleString("en")} plays to the store (${summary.duplicates.toLocaleString("en")} were already there). ` +
      "Run `musicrec train` and restart the server to include them in the models."
    );
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }
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
