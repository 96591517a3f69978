import type { ItemLevel } from "../data/interactions.js";
import { defaultLevel } from "./load-interactions.js";
import type { Store } from "./store.js";

export interface ArtistCount {
  artist: string;
  plays: number;
  listeners: number;
}
export interface TrackCount extends ArtistCount {
  track: string;
}
export interface ActiveUser {
  user: string;
  plays: number;
  items: number;
  firstPlayed: string | null;
  lastPlayed: string | null;
}
export interface DayCount {
  day: string;
  plays: number;
}

/** The exploratory summary of the store (plain JSON): what `musicrec stats` prints and the web app charts. */
export interface DatasetStats {
  synthetic: boolean;
  level: ItemLevel;
  users: number;
  artists: number;
  /** Track-level items (0 for play-count data such as HetRec). */
  tracks: number;
  items: number;
  /** Stored events (a scrobble, or a user–artist play count). */
  events: number;
  /** Sum of play counts (= events for scrobbles). */
  plays: number;
  timestampedEvents: number;
  /** Plays of tracks without a date (scrobbles exported with timestamp 0). */
  undatedPlays: number;
  taggedArtists: number;
  firstPlayed: string | null;
  lastPlayed: string | null;
  topArtists: ArtistCount[];
  topTracks: TrackCount[];
  activeUsers: ActiveUser[];
  /** Timestamped plays per UTC day, in day order (empty without timestamps). */
  playsPerDay: DayCount[];
  imports: { source: string; format: string; synthetic: boolean; importedAt: string; added: number }[];
}

export interface UserProfile {
  user: string;
  plays: number;
  items: number;
  artists: number;
  firstPlayed: string | null;
  lastPlayed: string | null;
  topArtists: { artist: string; plays: number }[];
  topTracks: { artist: string; track: string; plays: number }[];
  playsPerDay: DayCount[];
  /** ISO weeks, labelled by their Monday. */
  playsPerWeek: { week: string; plays: number }[];
}

const iso = (value: unknown): string | null => (value == null ? null : new Date(Number(value)).toISOString());

export async function computeStats(store: Store, options: { top?: number } = {}): Promise<DatasetStats> {
  const top = options.top ?? 10;
  const [counts] = await store.all(`
    SELECT (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM artists) AS artists,
      (SELECT count(*) FILTER (WHERE track IS NOT NULL) FROM items) AS tracks, (SELECT count(*) FROM items) AS items,
      (SELECT count(DISTINCT artist_id) FROM artist_tags) AS tagged,
      count(*) AS events, coalesce(sum(plays), 0) AS plays, count(played_at) AS timestamped,
      (SELECT coalesce(sum(e.plays), 0) FROM events e JOIN items i USING (item_id) WHERE e.played_at IS NULL AND i.track IS NOT NULL) AS undated,
      epoch_ms(min(played_at)) AS first_played, epoch_ms(max(played_at)) AS last_played
    FROM events`);
  const topArtists = await store.all(
    `SELECT a.name AS artist, sum(e.plays) AS plays, count(DISTINCT e.user_id) AS listeners
     FROM events e JOIN items i USING (item_id) JOIN artists a USING (artist_id)
     GROUP BY a.artist_id, a.name ORDER BY plays DESC, artist LIMIT ${top}`,
  );
  const topTracks = await store.all(
    `SELECT a.name AS artist, i.track, sum(e.plays) AS plays, count(DISTINCT e.user_id) AS listeners
     FROM events e JOIN items i USING (item_id) JOIN artists a USING (artist_id)
     WHERE i.track IS NOT NULL GROUP BY i.item_id, a.name, i.track ORDER BY plays DESC, artist, track LIMIT ${top}`,
  );
  const activeUsers = await store.all(
    `SELECT u.name AS user, sum(e.plays) AS plays, count(DISTINCT e.item_id) AS items,
       epoch_ms(min(e.played_at)) AS first_played, epoch_ms(max(e.played_at)) AS last_played
     FROM events e JOIN users u USING (user_id) GROUP BY u.user_id, u.name ORDER BY plays DESC, user LIMIT ${top}`,
  );
  const perDay = await store.all(
    `SELECT strftime(played_at, '%Y-%m-%d') AS day, sum(plays) AS plays FROM events
     WHERE played_at IS NOT NULL GROUP BY day ORDER BY day`,
  );
  const imports = await store.all(
    `SELECT source, format, synthetic, epoch_ms(imported_at) AS imported_at, events_added FROM imports ORDER BY import_id`,
  );
  return {
    synthetic: await store.isSynthetic(),
    level: await defaultLevel(store),
    users: Number(counts.users),
    artists: Number(counts.artists),
    tracks: Number(counts.tracks),
    items: Number(counts.items),
    events: Number(counts.events),
    plays: Number(counts.plays),
    timestampedEvents: Number(counts.timestamped),
    undatedPlays: Number(counts.undated),
    taggedArtists: Number(counts.tagged),
    firstPlayed: iso(counts.first_played),
    lastPlayed: iso(counts.last_played),
    topArtists: topArtists.map((row) => ({ artist: String(row.artist), plays: Number(row.plays), listeners: Number(row.listeners) })),
    topTracks: topTracks.map((row) => ({
      artist: String(row.artist),
      track: String(row.track),
      plays: Number(row.plays),
      listeners: Number(row.listeners),
    })),
    activeUsers: activeUsers.map((row) => ({
      user: String(row.user),
      plays: Number(row.plays),
      items: Number(row.items),
      firstPlayed: iso(row.first_played),
      lastPlayed: iso(row.last_played),
    })),
    playsPerDay: perDay.map((row) => ({ day: String(row.day), plays: Number(row.plays) })),
    imports: imports.map((row) => ({
      source: String(row.source),
      format: String(row.format),
      synthetic: row.synthetic === true,
      importedAt: iso(row.imported_at)!,
      added: Number(row.events_added),
    })),
  };
}

/** One listener's profile: top artists and tracks, plays per day and per week; null for an unknown user. */
export async function userProfile(store: Store, user: string, options: { top?: number } = {}): Promise<UserProfile | null> {
  const top = options.top ?? 10;
  const found = await store.all("SELECT user_id FROM users WHERE name = $user", { user });
  if (found.length === 0) return null;
  const id = { id: Number(found[0].user_id) };
  const [summary] = await store.all(
    `SELECT coalesce(sum(e.plays), 0) AS plays, count(DISTINCT e.item_id) AS items, count(DISTINCT i.artist_id) AS artists,
       epoch_ms(min(e.played_at)) AS first_played, epoch_ms(max(e.played_at)) AS last_played
     FROM events e JOIN items i USING (item_id) WHERE e.user_id = $id`,
    id,
  );
  const topArtists = await store.all(
    `SELECT a.name AS artist, sum(e.plays) AS plays FROM events e JOIN items i USING (item_id) JOIN artists a USING (artist_id)
     WHERE e.user_id = $id GROUP BY a.artist_id, a.name ORDER BY plays DESC, artist LIMIT ${top}`,
    id,
  );
  const topTracks = await store.all(
    `SELECT a.name AS artist, i.track, sum(e.plays) AS plays FROM events e JOIN items i USING (item_id) JOIN artists a USING (artist_id)
     WHERE e.user_id = $id AND i.track IS NOT NULL GROUP BY i.item_id, a.name, i.track ORDER BY plays DESC, artist, track LIMIT ${top}`,
    id,
  );
  const perDay = await store.all(
    `SELECT strftime(played_at, '%Y-%m-%d') AS day, sum(plays) AS plays FROM events
     WHERE user_id = $id AND played_at IS NOT NULL GROUP BY day ORDER BY day`,
    id,
  );
  const perWeek = await store.all(
    `SELECT strftime(date_trunc('week', played_at), '%Y-%m-%d') AS week, sum(plays) AS plays FROM events
     WHERE user_id = $id AND played_at IS NOT NULL GROUP BY week ORDER BY week`,
    id,
  );
  return {
    user,
    plays: Number(summary.plays),
    items: Number(summary.items),
    artists: Number(summary.artists),
    firstPlayed: iso(summary.first_played),
    lastPlayed: iso(summary.last_played),
    topArtists: topArtists.map((row) => ({ artist: String(row.artist), plays: Number(row.plays) })),
    topTracks: topTracks.map((row) => ({ artist: String(row.artist), track: String(row.track), plays: Number(row.plays) })),
    playsPerDay: perDay.map((row) => ({ day: String(row.day), plays: Number(row.plays) })),
    playsPerWeek: perWeek.map((row) => ({ week: String(row.week), plays: Number(row.plays) })),
  };
}
