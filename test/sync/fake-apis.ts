/** Handlers for FakeServer that implement the documented behaviour of each API. */
import type http from "node:http";
import { json, type Reply } from "./fake-server.js";
import { listenOf, recentTrackOf, type Play } from "./history.js";

/**
 * ListenBrainz `GET /1/user/{user}/listens` (listenbrainz-server's api.get_listens): `count`
 * (default 25, at most 1000), `max_ts` XOR `min_ts` (both exclusive), newest first; with min_ts the
 * oldest `count` listens after it. Every response carries the X-RateLimit headers.
 */
export function listenBrainzApi(users: Map<string, Play[]>, rateLimit = { limit: 30, remaining: 29, resetIn: 10 }) {
  return (url: URL): Reply => {
    const headers = {
      "X-RateLimit-Limit": String(rateLimit.limit),
      "X-RateLimit-Remaining": String(rateLimit.remaining),
      "X-RateLimit-Reset-In": String(rateLimit.resetIn),
    };
    const match = /^\/1\/user\/([^/]+)\/listens$/.exec(url.pathname);
    if (match == null) return json({ code: 404, error: "Not found" }, 404, headers);
    const user = decodeURIComponent(match[1]);
    const plays = users.get(user);
    if (plays == null) return json({ code: 404, error: `Cannot find user: ${user}` }, 404, headers);
    const maxTs = url.searchParams.get("max_ts");
    const minTs = url.searchParams.get("min_ts");
    if (maxTs != null && minTs != null) return json({ code: 400, error: "You may only specify max_ts or min_ts, not both." }, 400, headers);
    const count = Math.min(Number(url.searchParams.get("count") ?? 25), 1000);
    const sorted = [...plays].sort((a, b) => b.at - a.at);
    let selected: Play[];
    if (minTs != null) selected = sorted.filter((play) => play.at > Number(minTs)).slice(-count);
    else selected = sorted.filter((play) => maxTs == null || play.at < Number(maxTs)).slice(0, count);
    return json(
      {
        payload: {
          count: selected.length,
          latest_listen_ts: sorted[0]?.at ?? 0,
          listens: selected.map((play) => listenOf(play, user)),
          oldest_listen_ts: sorted.at(-1)?.at ?? 0,
          user_id: user,
        },
      },
      200,
      headers,
    );
  };
}

export interface LastfmUser {
  plays: Play[];
  nowPlaying?: Play;
  private?: boolean;
}

const lastfmError = (code: number, message: string, status: number) => json({ error: code, message }, status);

/**
 * Last.fm web service 2.0 with `format=json` (also Libre.fm's): user.getRecentTracks (`limit`,
 * `page`, `from` inclusive, `to` exclusive, newest first, the now-playing entry first on page 1, a
 * one-track page's `track` as an object) and artist.getTopTags; error bodies `{"error", "message"}`.
 */
export function lastfmApi(users: Map<string, LastfmUser>, options: { keys?: string[]; tags?: Map<string, { name: string; count: number }[]> } = {}) {
  return (url: URL): Reply => {
    const params = url.searchParams;
    if (params.get("format") !== "json") return { status: 400, body: "<lfm status=\"failed\"/>" };
    if (options.keys != null && !options.keys.includes(params.get("api_key") ?? "")) {
      return lastfmError(10, "Invalid API key - You must be granted a valid key by last.fm", 403);
    }
    const method = (params.get("method") ?? "").toLowerCase();
    if (method === "artist.gettoptags") {
      const artist = params.get("artist") ?? "";
      const tags = options.tags?.get(artist.toLowerCase());
      if (tags == null) return json({ error: 6, message: "The artist you supplied could not be found", links: [] });
      return json({ toptags: { tag: tags.map((tag) => ({ ...tag, url: `https://www.last.fm/tag/${encodeURIComponent(tag.name)}` })), "@attr": { artist } } });
    }
    if (method !== "user.getrecenttracks") return lastfmError(3, "Invalid Method - No method with that name in this package", 400);
    const name = params.get("user") ?? "";
    const user = users.get(name);
    if (user == null) return lastfmError(6, "User not found", 404);
    if (user.private) return lastfmError(17, "Login: User required to be logged in", 403);
    const limit = Math.min(Number(params.get("limit") ?? 50), 1000);
    const page = Number(params.get("page") ?? 1);
    const from = params.has("from") ? Number(params.get("from")) : -Infinity;
    const to = params.has("to") ? Number(params.get("to")) : Infinity;
    const inRange = [...user.plays].sort((a, b) => b.at - a.at).filter((play) => play.at >= from && play.at < to);
    const totalPages = Math.ceil(inRange.length / limit);
    const tracks = inRange.slice((page - 1) * limit, page * limit).map((play) => recentTrackOf(play));
    if (page === 1 && user.nowPlaying != null) tracks.unshift(recentTrackOf(user.nowPlaying, true));
    return json({
      recenttracks: {
        track: tracks.length === 1 ? tracks[0] : tracks,
        "@attr": { user: name, totalPages: String(totalPages), page: String(page), perPage: String(limit), total: String(inRange.length) },
      },
    });
  };
}

export interface MusicBrainzArtist {
  id: string;
  name: string;
  genres: { name: string; count: number }[];
  tags: { name: string; count: number }[];
}

/**
 * MusicBrainz web service 2 (`fmt=json`): artist search `/ws/2/artist?query=artist:"…"` (scored
 * results, no genres) and artist lookup `/ws/2/artist/{mbid}?inc=genres+tags`. Requests without a
 * User-Agent are refused (403), as MusicBrainz does.
 */
export function musicBrainzApi(artists: MusicBrainzArtist[]) {
  return (url: URL, headers: http.IncomingHttpHeaders): Reply => {
    if (!headers["user-agent"]) return { status: 403, body: "Please provide a meaningful User-Agent" };
    if (url.pathname === "/ws/2/artist" || url.pathname === "/ws/2/artist/") {
      const query = url.searchParams.get("query") ?? "";
      const name = /artist:"((?:[^"\\]|\\.)*)"/.exec(query)?.[1]?.replace(/\\(.)/g, "$1") ?? query;
      const exact = artists.filter((artist) => artist.name.toLowerCase() === name.toLowerCase());
      const similar = artists.filter((artist) => !exact.includes(artist) && artist.name.toLowerCase().includes(name.toLowerCase().split(" ")[0]));
      const results = [
        ...exact.map((artist) => ({ artist, score: 100 })),
        ...similar.map((artist) => ({ artist, score: 62 })),
      ];
      return json({
        created: "2026-01-01T00:00:00.000Z",
        count: results.length,
        offset: 0,
        artists: results.map(({ artist, score }) => ({
          id: artist.id,
          type: "Group",
          score,
          name: artist.name,
          "sort-name": artist.name,
          tags: artist.tags,
        })),
      });
    }
    const lookup = /^\/ws\/2\/artist\/([0-9a-f-]{36})$/.exec(url.pathname);
    const artist = lookup == null ? null : artists.find((candidate) => candidate.id === lookup[1]);
    if (artist == null) return json({ error: "Not Found", help: "For usage, please see: https://musicbrainz.org/development/mmd" }, 404);
    return json({
      id: artist.id,
      name: artist.name,
      "sort-name": artist.name,
      type: "Group",
      disambiguation: "",
      genres: url.searchParams.get("inc")?.includes("genres") ? artist.genres.map((genre) => ({ ...genre, id: "00000000-0000-4000-8000-000000000000", disambiguation: "" })) : undefined,
      tags: url.searchParams.get("inc")?.includes("tags") ? artist.tags : undefined,
    });
  };
}
