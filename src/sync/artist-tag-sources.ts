import { normalizeName } from "../data/item-key.js";
import { UserError } from "../util/errors.js";
import { checkApiUrl } from "./api-url.js";
import type { HttpTiming } from "./http-timing.js";
import { LASTFM_API_URL, LastfmClient } from "./lastfm-client.js";
import { MUSICBRAINZ_API_URL, MusicBrainzClient, type ArtistMatch } from "./musicbrainz-client.js";

export const TAG_SOURCES = ["musicbrainz", "lastfm"] as const;
export type TagSourceName = (typeof TAG_SOURCES)[number];

export interface Tag {
  name: string;
  weight: number;
}

/** Where `musicrec enrich tags` gets an artist's tags: null when the source does not know the artist. */
export interface TagSource {
  name: TagSourceName;
  tagsOf(artist: string): Promise<Tag[] | null>;
}

/** The most-voted tags, enough to describe an artist; the long tail is mostly noise ("seen live"). */
export const MAX_TAGS = 15;
/** Last.fm's top-tag counts are relative to the top tag (100); below this they are mostly noise. */
const LASTFM_MIN_COUNT = 10;
/** MusicBrainz search scores an exact name 100; below this the hit is another artist. */
const MIN_SCORE = 90;

/** Lower-cased, merged by name (highest count), most counted first, positive counts only, at most MAX_TAGS. */
export function topTags(counted: { name: string; count: number }[], minCount = 1): Tag[] {
  const best = new Map<string, number>();
  for (const { name, count } of counted) {
    const tag = name.trim().toLowerCase();
    if (tag !== "" && count >= minCount && count > (best.get(tag) ?? 0)) best.set(tag, count);
  }
  return [...best].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, MAX_TAGS).map(([name, weight]) => ({ name, weight }));
}

/** The search hit that is this artist: a high score and the same name (or sort name, or alias) as the store's. */
export function bestMatch(artist: string, matches: ArtistMatch[]): ArtistMatch | null {
  const key = normalizeName(artist);
  return (
    matches.find(
      (match) =>
        match.score >= MIN_SCORE &&
        [match.name, match.sortName, ...match.aliases].some((name) => name != null && normalizeName(name) === key),
    ) ?? null
  );
}

/** MusicBrainz: search the artist by name, then look up its genres and tags (two requests). */
export function musicBrainzTags(client: MusicBrainzClient): TagSource {
  return {
    name: "musicbrainz",
    async tagsOf(artist) {
      const match = bestMatch(artist, await client.searchArtist(artist));
      if (match == null) return null;
      const found = await client.artistTags(match.id);
      return found == null ? null : topTags([...found.genres, ...found.tags]);
    },
  };
}

/** Last.fm artist.getTopTags (one request; needs an API key). */
export function lastfmTags(client: LastfmClient): TagSource {
  return {
    name: "lastfm",
    async tagsOf(artist) {
      const tags = await client.artistTopTags(artist);
      return tags == null ? null : topTags(tags, LASTFM_MIN_COUNT);
    },
  };
}

export interface TagSourceOptions {
  /** Default: lastfm when an API key is given, else musicbrainz (keyless). */
  source?: TagSourceName;
  apiKey?: string;
  apiUrl?: string;
  timing: HttpTiming;
  signal?: AbortSignal;
  onWait?: (message: string) => void;
}

export function createTagSource(options: TagSourceOptions): TagSource {
  const apiKey = options.apiKey?.trim() || undefined;
  const name = options.source ?? (apiKey != null ? "lastfm" : "musicbrainz");
  const client = { timing: options.timing, signal: options.signal, onWait: options.onWait };
  if (name === "musicbrainz") return musicBrainzTags(new MusicBrainzClient({ ...client, apiUrl: checkApiUrl(options.apiUrl ?? MUSICBRAINZ_API_URL) }));
  if (apiKey == null) throw new UserError("Last.fm tags need an API key: --api-key KEY or LASTFM_API_KEY (or --source musicbrainz, keyless)");
  return lastfmTags(new LastfmClient({ ...client, apiUrl: checkApiUrl(options.apiUrl ?? LASTFM_API_URL), apiKey, service: "Last.fm" }));
}
