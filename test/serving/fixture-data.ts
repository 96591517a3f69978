/**
 * A small deterministic listening history in the Kaggle Last.fm CSV format for the serving
 * tests: three taste communities of five artists with four tracks each, 40 listeners, dated
 * plays — and hostile names (an artist `<script>alert(1)</script>`, a user and a track with
 * markup) that every page must show as text.
 */
import { Random } from "../../src/util/random.js";

export const XSS_ARTIST = "<script>alert(1)</script>";
export const XSS_TRACK = `"><img src=x onerror=alert(2)>`;
export const XSS_USER = "<b>mallory</b>";

const COMMUNITIES = [
  [XSS_ARTIST, "Radiohead", "Portishead", "Massive Attack", "Björk"],
  ["Metallica", "Iron Maiden", "Slayer", "Megadeth", "Judas Priest"],
  ["Miles Davis", "John Coltrane", "Bill Evans", "Chet Baker", "Nina Simone"],
];
const TRACK_WORDS = ["Blue", "Night", "Fire", "Angel", "Train", "River", "Glass", "Echo", "Stone", "Rain", "Smoke", "Gold"];

export interface FixtureTrack {
  artist: string;
  track: string;
  album: string;
}

export function fixtureTracks(): FixtureTrack[][] {
  return COMMUNITIES.map((artists, c) =>
    artists.flatMap((artist, a) =>
      Array.from({ length: 4 }, (_, t) => ({
        artist,
        track: c === 0 && a === 0 && t === 0 ? XSS_TRACK : `${TRACK_WORDS[(a * 4 + t) % TRACK_WORDS.length]} ${TRACK_WORDS[(c + t) % TRACK_WORDS.length]}`,
        album: `${artist.replace(/[<>]/g, "")} Album ${1 + (t % 2)}`,
      })),
    ),
  );
}

export const fixtureUsers = (): string[] => [XSS_USER, ...Array.from({ length: 39 }, (_, i) => `listener${String(i + 1).padStart(2, "0")}`)];

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const csvField = (text: string): string => (/[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);

/** One CSV row per play, users in taste communities (user i belongs to community i mod 3). */
export function fixtureCsv(seed = 7): string {
  const random = new Random(seed);
  const tracks = fixtureTracks();
  const lines = [",Username,Artist,Track,Album,Date,Time"];
  let row = 0;
  fixtureUsers().forEach((user, u) => {
    const own = tracks[u % tracks.length];
    const plays = 25 + random.int(20);
    for (let p = 0; p < plays; p++) {
      const pool = random.next() < 0.9 ? own : tracks[random.int(tracks.length)];
      // Zipf-ish: early tracks of the pool are played more.
      const t = pool[Math.min(pool.length - 1, Math.floor(pool.length * random.next() ** 2))];
      const day = 1 + random.int(28);
      const month = MONTHS[random.int(3)];
      const time = `${String(random.int(24)).padStart(2, "0")}:${String(random.int(60)).padStart(2, "0")}`;
      lines.push([String(row++), user, t.artist, t.track, t.album, `${day} ${month} 2021`, ` ${time}`].map(csvField).join(","));
    }
  });
  return `${lines.join("\n")}\n`;
}

/** A one-person Last.fm export (artist,album,track,date headerless form) of community-2 tracks. */
export function fixtureExportCsv(): string {
  const jazz = fixtureTracks()[2];
  const lines = jazz.slice(0, 8).map((t, i) => [t.artist, t.album, t.track, `0${1 + (i % 9)} Mar 2021 12:0${i % 10}`].map(csvField).join(","));
  return `${lines.join("\n")}\n`;
}
