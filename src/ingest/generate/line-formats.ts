import type { SyntheticCatalog } from "./catalog.js";

/** The two formats `musicrec generate` writes (both are importable formats). */
export type GeneratedFormat = "kaggle" | "lfm1k";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/** RFC 4180 field: quoted when it holds a comma, quote or line break. */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A MusicBrainz-style id, deterministic per entity; `missingShare` of entities have none (like the real data). */
function fakeMbid(kind: number, id: number, missingShare: number): string {
  let h = (Math.imul(id + 1, 0x9e3779b1) ^ Math.imul(kind + 7, 0x85ebca6b)) >>> 0;
  if ((h % 1000) / 1000 < missingShare) return "";
  let hex = "";
  for (let i = 0; i < 32; i++) {
    h = (Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) + 0x6b43a9b5) >>> 0;
    hex += (h >>> 28).toString(16);
  }
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Writes lines of one format; per-track text is precomputed once, each line only adds user and time. */
export interface LineFormat {
  header: string;
  line(user: string, track: number, epochMs: number): string;
}

export function lineFormat(format: GeneratedFormat, catalog: SyntheticCatalog): LineFormat {
  if (format === "lfm1k") {
    const suffix = catalog.trackTitles.map((title, track) => {
      const artist = catalog.trackArtist[track];
      return `\t${fakeMbid(0, artist, 0.1)}\t${catalog.artistNames[artist]}\t${fakeMbid(1, track, 0.15)}\t${title}\n`;
    });
    return {
      header: "",
      line: (user, track, epochMs) => `${user}\t${new Date(epochMs).toISOString().slice(0, 19)}Z${suffix[track]}`,
    };
  }
  const middle = catalog.trackTitles.map((title, track) => {
    const artist = csvField(catalog.artistNames[catalog.trackArtist[track]]);
    return `,${artist},${csvField(title)},${csvField(catalog.albumTitles[catalog.trackAlbum[track]])},`;
  });
  let index = 0;
  return {
    header: ",Username,Artist,Track,Album,Date,Time\n",
    line: (user, track, epochMs) => {
      const date = new Date(epochMs);
      const when = `${pad2(date.getUTCDate())} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}, ${pad2(date.getUTCHours())}:${pad2(date.getUTCMinutes())}`;
      return `${index++},${csvField(user)}${middle[track]}${when}\n`;
    },
  };
}
