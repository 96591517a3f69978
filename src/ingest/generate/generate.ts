import fs from "node:fs";
import path from "node:path";
import { silentProgress, type Progress } from "../../util/progress.js";
import { UserError } from "../../util/errors.js";
import { writeFileAtomic } from "../../util/atomic-write.js";
import { Random } from "../../util/random.js";
import { markerPathOf } from "../synthetic-marker.js";
import { buildCatalog } from "./catalog.js";
import { lineFormat, type GeneratedFormat } from "./line-formats.js";
import { listen, planListeners } from "./listeners.js";

export interface GenerateOptions {
  output: string;
  format: GeneratedFormat;
  users: number;
  scrobbles: number;
  seed: number;
  /** Default: grows with the square root of the scrobble count (Last.fm-1K size: ~13k artists). */
  artists?: number;
  communities?: number;
  /** The newest scrobble falls within a day before this date. */
  end?: Date;
  progress?: Progress;
}

export interface GeneratedDataset {
  output: string;
  marker: string;
  format: GeneratedFormat;
  users: number;
  scrobbles: number;
  artists: number;
  tracks: number;
  bytes: number;
}

export const DEFAULT_END = new Date("2021-02-01T00:00:00Z");
const FLUSH_BYTES = 1 << 20;

export const defaultArtistCount = (scrobbles: number): number => Math.max(50, Math.round(3 * Math.sqrt(scrobbles)));

/**
 * Writes a synthetic, seed-deterministic listening dataset in the kaggle or lfm1k format, one
 * listener at a time (only one listener's scrobbles are ever in memory), to a temp file renamed
 * into place at the end; plus the `<file>.synthetic.json` marker that makes imports of it synthetic.
 */
export async function generateDataset(options: GenerateOptions): Promise<GeneratedDataset> {
  const { users, scrobbles, seed } = options;
  if (!Number.isInteger(users) || users < 1) throw new UserError(`--users must be a positive integer, got ${users}`);
  if (!Number.isInteger(scrobbles) || scrobbles < users) throw new UserError(`--scrobbles must be an integer >= --users (${users}), got ${scrobbles}`);
  const artists = options.artists ?? defaultArtistCount(scrobbles);
  const communities = options.communities ?? Math.max(3, Math.min(24, Math.round(artists / 40)));
  const progress = options.progress ?? silentProgress;
  const rng = new Random(seed);
  const catalog = buildCatalog(rng, artists, communities);
  const listeners = planListeners(rng, users, scrobbles, communities, seed);
  const format = lineFormat(options.format, catalog);
  const endMs = (options.end ?? DEFAULT_END).getTime();

  const output = path.resolve(options.output);
  fs.mkdirSync(path.dirname(output), { recursive: true });
  const temp = path.join(path.dirname(output), `.${path.basename(output)}.${process.pid}.tmp`);
  let fd: number | null = fs.openSync(temp, "w");
  let bytes = 0;
  try {
    let buffer = format.header;
    const flush = () => {
      bytes += fs.writeSync(fd!, buffer);
      buffer = "";
    };
    const most = listeners.reduce((max, listener) => Math.max(max, listener.scrobbles), 0);
    const tracks = new Int32Array(most);
    const times = new Float64Array(most);
    progress.start(`generating ${options.format} ${output}`, scrobbles);
    let written = 0;
    for (const listener of listeners) {
      listen(catalog, listener, endMs, tracks, times);
      // Newest first, like Last.fm exports.
      for (let k = listener.scrobbles - 1; k >= 0; k--) {
        buffer += format.line(listener.name, tracks[k], times[k]);
        if (buffer.length >= FLUSH_BYTES) flush();
      }
      written += listener.scrobbles;
      progress.update(written);
    }
    flush();
    fs.closeSync(fd);
    fd = null;
    fs.renameSync(temp, output);
  } catch (error) {
    if (fd != null) fs.closeSync(fd);
    fs.rmSync(temp, { force: true });
    throw error;
  }
  const marker = markerPathOf(output);
  await writeFileAtomic(
    marker,
    `${JSON.stringify(
      { synthetic: true, generator: "musicrec generate", format: options.format, seed, users, scrobbles, artists, communities, tracks: catalog.trackTitles.length },
      null,
      2,
    )}\n`,
  );
  progress.done(`${scrobbles.toLocaleString("en")} synthetic scrobbles, ${(bytes / 1e6).toFixed(1)} MB`);
  return { output, marker, format: options.format, users, scrobbles, artists, tracks: catalog.trackTitles.length, bytes };
}
