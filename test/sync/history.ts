/**
 * A realistic listening history for the fake servers: real artists, albums and track titles,
 * listening sessions of consecutive album tracks a few minutes apart, days apart from each
 * other, newest first. Artist MBIDs are the real ones; recording / release MBIDs and MSIDs are
 * generated (deterministic, well-formed UUIDs).
 */
import { Random } from "../../src/util/random.js";

interface Album {
  artist: string;
  artistMbid: string;
  album: string;
  tracks: string[];
}

export const CATALOG: Album[] = [
  { artist: "Radiohead", artistMbid: "a74b1b7f-71a5-4011-9441-d0b5e4122711", album: "OK Computer", tracks: ["Airbag", "Paranoid Android", "Subterranean Homesick Alien", "Exit Music (For a Film)", "Let Down", "Karma Police", "No Surprises", "Lucky"] },
  { artist: "Radiohead", artistMbid: "a74b1b7f-71a5-4011-9441-d0b5e4122711", album: "In Rainbows", tracks: ["15 Step", "Bodysnatchers", "Nude", "Weird Fishes/Arpeggi", "All I Need", "Reckoner", "House of Cards", "Videotape"] },
  { artist: "Portishead", artistMbid: "8f6bd1e4-fbe1-45d6-8f00-f9f14d7b5e34", album: "Dummy", tracks: ["Mysterons", "Sour Times", "Strangers", "Wandering Star", "Roads", "Glory Box"] },
  { artist: "Massive Attack", artistMbid: "10adbe5e-a2c0-4bf3-8249-2b4cbf6e6ca8", album: "Mezzanine", tracks: ["Angel", "Risingson", "Teardrop", "Inertia Creeps", "Exchange", "Dissolved Girl"] },
  { artist: "Björk", artistMbid: "87c5dedd-371d-4a53-9f7f-80522fb7f3cb", album: "Homogenic", tracks: ["Hunter", "Jóga", "Unravel", "Bachelorette", "All Neon Like", "Pluto", "All Is Full of Love"] },
  { artist: "Sigur Rós", artistMbid: "f6f2326f-6b25-4170-b89d-e235b25508e8", album: "Takk...", tracks: ["Glósóli", "Hoppípolla", "Með blóðnasir", "Sé lest", "Sæglópur", "Gong"] },
  { artist: "Tame Impala", artistMbid: "63aa26c3-d59b-4da4-84ac-716b54f1ef4d", album: "Lonerism", tracks: ["Be Above It", "Endors Toi", "Apocalypse Dreams", "Mind Mischief", "Feels Like We Only Go Backwards", "Elephant"] },
  { artist: "Daft Punk", artistMbid: "056e4f3e-d505-4dad-8ec1-d04f521cbb56", album: "Discovery", tracks: ["One More Time", "Aerodynamic", "Digital Love", "Harder, Better, Faster, Stronger", "Something About Us", "Face to Face"] },
  { artist: "Aphex Twin", artistMbid: "f22942a1-6f70-4f48-866e-238cb2308fbd", album: "Selected Ambient Works 85-92", tracks: ["Xtal", "Tha", "Pulsewidth", "Ageispolis", "i", "Heliosphan"] },
  { artist: "Boards of Canada", artistMbid: "69158f97-4c07-4c4e-baf8-4e4ab1ed666e", album: "Music Has the Right to Children", tracks: ["Wildlife Analysis", "An Eagle in Your Mind", "Telephasic Workshop", "Roygbiv", "Aquarius", "Olson"] },
  { artist: "Nirvana", artistMbid: "5b11f4ce-a62d-471e-81fc-a69a8278c7da", album: "Nevermind", tracks: ["Smells Like Teen Spirit", "In Bloom", "Come as You Are", "Breed", "Lithium", "Polly"] },
  { artist: "Pink Floyd", artistMbid: "83d91898-7763-47d7-b03b-b92132375c47", album: "The Dark Side of the Moon", tracks: ["Speak to Me", "Breathe (In the Air)", "On the Run", "Time", "The Great Gig in the Sky", "Money"] },
  { artist: "The Beatles", artistMbid: "b10bbbfc-cf9e-42e0-be17-e2c3e1d2600d", album: "Abbey Road", tracks: ["Come Together", "Something", "Maxwell's Silver Hammer", "Oh! Darling", "Octopus's Garden", "Here Comes the Sun"] },
  { artist: "Queen", artistMbid: "0383dadf-2a4e-4d10-a46a-e9e041da8eb3", album: "A Night at the Opera", tracks: ["Death on Two Legs (Dedicated to…)", "Lazing on a Sunday Afternoon", "I'm in Love With My Car", "You're My Best Friend", "Love of My Life", "Bohemian Rhapsody"] },
  { artist: "Arcade Fire", artistMbid: "52074ba6-e495-4ef3-9bb4-0703888a9f68", album: "Funeral", tracks: ["Neighborhood #1 (Tunnels)", "Neighborhood #2 (Laïka)", "Une année sans lumière", "Crown of Love", "Wake Up", "Rebellion (Lies)"] },
  { artist: "Metallica", artistMbid: "65f4f0c5-ef9e-490c-aee3-909e7ae6b2ab", album: "Master of Puppets", tracks: ["Battery", "Master of Puppets", "The Thing That Should Not Be", "Welcome Home (Sanitarium)", "Disposable Heroes", "Orion"] },
  { artist: "Nils Frahm", artistMbid: "3eb201cb-dbc5-4bd1-b5a3-4ba6cfc5da65", album: "Spaces", tracks: ["An Aborted Beginning", "Says", "Hammers", "Improvisation for Coughs and a Cell Phone", "Over There, It's Raining", "For Peter - Toilet Brushes - More"] },
  { artist: "Beach House", artistMbid: "d5cc67b8-1cc4-453b-96e8-44487acdebea", album: "Teen Dream", tracks: ["Zebra", "Silver Soul", "Norway", "Walk in the Park", "Used to Be", "Take Care"] },
  { artist: "Kendrick Lamar", artistMbid: "381086ea-f511-4aba-bdf9-71c753dc5077", album: "To Pimp a Butterfly", tracks: ["Wesley's Theory", "King Kunta", "Alright", "u", "The Blacker the Berry", "i"] },
  { artist: "Fleetwood Mac", artistMbid: "bd13909f-1c29-4c27-a874-d4aaf27c5b1a", album: "Rumours", tracks: ["Second Hand News", "Dreams", "Never Going Back Again", "Don't Stop", "Go Your Own Way", "The Chain"] },
];

/** A deterministic, well-formed (version 4 shaped) UUID. */
export function uuid(random: Random): string {
  const hex = Array.from({ length: 32 }, () => random.int(16).toString(16)).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${"89ab"[random.int(4)]}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export interface Play {
  artist: string;
  artistMbid: string;
  album: string;
  track: string;
  recordingMbid: string;
  releaseMbid: string;
  msid: string;
  /** Unix seconds. */
  at: number;
  durationMs: number;
}

/**
 * `count` plays ending at `newest` (Unix seconds), newest first: sessions of 3–12 consecutive album
 * tracks 3–6 minutes apart, 2 hours to 3 days between sessions.
 */
export function listeningHistory(count: number, seed: number, newest = 1_717_000_000): Play[] {
  const random = new Random(seed);
  const releases = new Map<string, string>();
  const recordings = new Map<string, string>();
  const idOf = (ids: Map<string, string>, key: string) => {
    if (!ids.has(key)) ids.set(key, uuid(random));
    return ids.get(key) as string;
  };
  const plays: Play[] = [];
  let at = newest;
  while (plays.length < count) {
    const album = CATALOG[random.int(CATALOG.length)];
    const length = 3 + random.int(10);
    let position = random.int(album.tracks.length);
    for (let i = 0; i < length && plays.length < count; i++) {
      const track = album.tracks[position % album.tracks.length];
      const durationMs = (180 + random.int(180)) * 1000;
      const releaseMbid = idOf(releases, `${album.artist}\u0000${album.album}`);
      const recordingMbid = idOf(recordings, `${album.artist}\u0000${track}`);
      plays.push({ artist: album.artist, artistMbid: album.artistMbid, album: album.album, track, recordingMbid, releaseMbid, msid: uuid(random), at, durationMs });
      at -= Math.round(durationMs / 1000) + random.int(20);
      position++;
    }
    at -= 7200 + random.int(3 * 86400);
  }
  return plays;
}

/** A listen as ListenBrainz's `GET /1/user/{user}/listens` returns it (keys sorted, as Flask's jsonify does). */
export function listenOf(play: Play, user: string): Record<string, unknown> {
  return {
    inserted_at: play.at + 30,
    listened_at: play.at,
    recording_msid: play.msid,
    track_metadata: {
      additional_info: {
        artist_mbids: [play.artistMbid],
        duration_ms: play.durationMs,
        media_player: "Strawberry",
        recording_mbid: play.recordingMbid,
        release_mbid: play.releaseMbid,
        submission_client: "Strawberry",
        submission_client_version: "1.0.21",
      },
      artist_name: play.artist,
      mbid_mapping: {
        artist_mbids: [play.artistMbid],
        artists: [{ artist_credit_name: play.artist, artist_mbid: play.artistMbid, join_phrase: "" }],
        caa_id: null,
        caa_release_mbid: null,
        recording_mbid: play.recordingMbid,
        recording_name: play.track,
        release_mbid: play.releaseMbid,
      },
      release_name: play.album,
      track_name: play.track,
    },
    user_name: user,
  };
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "20 Oct 2020, 09:40", Last.fm's `date.#text` (UTC). */
export function lastfmDateText(seconds: number): string {
  const d = new Date(seconds * 1000);
  const pad = (value: number) => String(value).padStart(2, "0");
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}, ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** A track of Last.fm's user.getRecentTracks (`format=json`, not extended); `nowPlaying` drops the date. */
export function recentTrackOf(play: Play, nowPlaying = false): Record<string, unknown> {
  const image = (size: string, px: string) => ({ size, "#text": `https://lastfm.freetls.fastly.net/i/u/${px}/${play.releaseMbid.replace(/-/g, "")}.jpg` });
  const track: Record<string, unknown> = {
    artist: { mbid: play.artistMbid, "#text": play.artist },
    streamable: "0",
    image: [image("small", "34s"), image("medium", "64s"), image("large", "174s"), image("extralarge", "300x300")],
    mbid: play.recordingMbid,
    album: { mbid: play.releaseMbid, "#text": play.album },
    name: play.track,
    url: `https://www.last.fm/music/${encodeURIComponent(play.artist).replace(/%20/g, "+")}/_/${encodeURIComponent(play.track).replace(/%20/g, "+")}`,
  };
  if (nowPlaying) track["@attr"] = { nowplaying: "true" };
  else track.date = { uts: String(play.at), "#text": lastfmDateText(play.at) };
  return track;
}
