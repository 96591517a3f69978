/**
 * `musicrec library scan DIR`: incremental. Files whose path, size and modification time are
 * unchanged since the last scan are not read again; new and changed files are read (a few at a
 * time); files that are gone are removed. Then every file of the library is matched against the
 * catalogue again (cheap, and an import since the last scan may have added what a file has), and
 * all of it is written in one transaction. An unreadable file is stored with the reason and
 * reported with its path, never fatal.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { UserError } from "../util/errors.js";
import type { Progress } from "../util/progress.js";
import { silentProgress } from "../util/progress.js";
import type { Store } from "../store/store.js";
import { findAudioFiles } from "./audio-files.js";
import { loadLibraryFiles, loadMatchCatalogue, saveLibraryChanges, type LibraryFile } from "./library-store.js";
import { MATCHED_BY, matchLibrary } from "./match.js";
import { readTags } from "./read-tags.js";

/** Files read at once: tag reading waits on the disk more than on the CPU. */
const READ_CONCURRENCY = 4;

export interface MatchSummary {
  /** Files with usable tags (an artist, and a title for a track-level catalogue). */
  tagged: number;
  matched: number;
  byMbid: number;
  byName: number;
  /** matched / tagged (0 when nothing is tagged). */
  rate: number;
}

export interface ScanResult {
  root: string;
  found: number;
  added: number;
  changed: number;
  unchanged: number;
  removed: number;
  /** Files that could not be read (this scan or, unchanged since, an earlier one). */
  unreadable: { path: string; error: string }[];
  /** Folders or entries the walk could not read. */
  walkProblems: { path: string; error: string }[];
  /** Over the whole library (every scanned folder). */
  library: { files: number; match: MatchSummary };
}

const reason = (error: unknown) => (error instanceof Error ? error.message.split("\n")[0] : String(error));

export async function scanLibrary(store: Store, dir: string, progress: Progress = silentProgress): Promise<ScanResult> {
  const root = path.resolve(dir);
  // A missing folder (an unmounted drive) must not read as "every file was deleted".
  const stat = await fs.stat(root).catch(() => null);
  if (!stat?.isDirectory()) throw new UserError(`library scan: ${root} is not a folder`);
  progress.start(`finding audio files in ${root}`);
  const walk = await findAudioFiles(root, (count) => progress.update(count));
  progress.done(`${walk.files.length.toLocaleString("en")} audio files`);

  const known = new Map((await loadLibraryFiles(store, root.endsWith(path.sep) ? root : root + path.sep)).map((f) => [f.path, f]));
  const toRead = walk.files.filter((f) => {
    const before = known.get(f.path);
    return !before || before.size !== f.size || before.mtimeMs !== f.mtimeMs;
  });
  const present = new Set(walk.files.map((f) => f.path));
  const removed = [...known.keys()].filter((p) => !present.has(p));

  progress.start("reading tags", toRead.length);
  const upserts: LibraryFile[] = new Array(toRead.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < toRead.length) {
      const i = next++;
      const file = toRead[i];
      const base = { path: file.path, size: file.size, mtimeMs: file.mtimeMs, itemKey: null, matchedBy: "none" as const };
      try {
        upserts[i] = { ...base, ...(await readTags(file.path)), error: null };
      } catch (error) {
        upserts[i] = { ...base, artist: null, title: null, album: null, durationMs: null, recordingMbid: null, artistMbid: null, error: reason(error) };
      }
      progress.update(++done);
    }
  };
  await Promise.all(Array.from({ length: READ_CONCURRENCY }, worker));
  progress.done(`${toRead.length.toLocaleString("en")} read, ${(walk.files.length - toRead.length).toLocaleString("en")} unchanged`);

  // The whole library after this scan: other folders' files, this folder's unchanged and new rows.
  const changedPaths = new Set([...upserts.map((f) => f.path), ...removed]);
  const library = [...(await loadLibraryFiles(store)).filter((f) => !changedPaths.has(f.path)), ...upserts];
  progress.start("matching to the catalogue", library.length);
  const { catalog, itemsByMbid } = await loadMatchCatalogue(store, library);
  const match = matchLibrary(catalog, library, itemsByMbid);
  const matches = library.map((file, f) => ({
    path: file.path,
    itemKey: match.itemOfFile[f] >= 0 ? catalog.keys[match.itemOfFile[f]] : null,
    matchedBy: MATCHED_BY[match.matchedBy[f]],
  }));
  await saveLibraryChanges(store, { upserts, removed, matches });
  const summary = summarizeMatches(library.map((file, f) => ({ ...file, matchedBy: matches[f].matchedBy })), catalog.level === "artist");
  progress.done(`${summary.matched.toLocaleString("en")} of ${summary.tagged.toLocaleString("en")} tagged files match`);

  const unreadable = (await loadLibraryFiles(store, root.endsWith(path.sep) ? root : root + path.sep))
    .filter((f) => f.error != null)
    .map((f) => ({ path: f.path, error: f.error as string }));
  return {
    root,
    found: walk.files.length,
    added: toRead.filter((f) => !known.has(f.path)).length,
    changed: toRead.filter((f) => known.has(f.path)).length,
    unchanged: walk.files.length - toRead.length,
    removed: removed.length,
    unreadable,
    walkProblems: walk.problems,
    library: { files: library.length, match: summary },
  };
}

/** Match counts of library rows (as stored, or just computed). */
export function summarizeMatches(files: readonly Pick<LibraryFile, "artist" | "title" | "matchedBy">[], artistLevel: boolean): MatchSummary {
  const tagged = files.filter((f) => f.artist && (artistLevel || f.title)).length;
  const byMbid = files.filter((f) => f.matchedBy === "mbid").length;
  const byName = files.filter((f) => f.matchedBy === "name").length;
  const matched = byMbid + byName;
  return { tagged, matched, byMbid, byName, rate: tagged > 0 ? matched / tagged : 0 };
}
