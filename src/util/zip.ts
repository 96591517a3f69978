/**
 * Reading zip archives (a ListenBrainz account export, a downloaded public dataset) with `yauzl`,
 * which streams entries from the central directory and never holds the archive in memory.
 *
 * Entry names are checked before anything is written: an absolute name or one that climbs out of
 * the destination with `..` ("zip slip") makes the whole archive invalid.
 */
import fs from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import yauzl from "yauzl";
import { UserError } from "./errors.js";

export interface ZipEntry {
  /** The entry's path inside the archive, always with "/" separators. */
  name: string;
  /** Uncompressed size in bytes. */
  size: number;
}

type ZipFile = yauzl.ZipFile;

function open(file: string): Promise<ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true, autoClose: false, validateEntrySizes: true }, (error, zip) => {
      if (error || !zip) reject(new UserError(`${file}: not a readable zip archive (${error?.message ?? "no entries"})`));
      else resolve(zip);
    });
  });
}

function safeName(file: string, name: string): string {
  const normal = path.posix.normalize(name);
  if (path.posix.isAbsolute(normal) || normal === ".." || normal.startsWith("../") || /^[a-zA-Z]:/.test(normal)) {
    throw new UserError(`${file}: archive entry "${name}" points outside the archive's folder`);
  }
  return normal;
}

/** Visits every entry in archive order; `visit` may read the entry through `openStream`. */
export async function forEachZipEntry(
  file: string,
  visit: (entry: ZipEntry, openStream: () => Promise<NodeJS.ReadableStream>) => Promise<void>,
): Promise<void> {
  const zip = await open(file);
  try {
    await new Promise<void>((resolve, reject) => {
      const fail = (error: Error) => {
        if (error instanceof UserError) reject(error);
        // yauzl validates names itself before we see the entry
        else if (/invalid (relative|absolute) path/.test(error.message)) reject(new UserError(`${file}: archive entry "${error.message.replace(/^invalid \w+ path: /, "")}" points outside the archive's folder`));
        else reject(new UserError(`${file}: damaged zip archive (${error.message})`));
      };
      zip.on("error", fail);
      zip.on("end", () => resolve());
      zip.on("entry", (raw: yauzl.Entry) => {
        const run = async () => {
          const entry = { name: safeName(file, raw.fileName), size: raw.uncompressedSize };
          const openStream = () =>
            new Promise<NodeJS.ReadableStream>((ok, ko) =>
              zip.openReadStream(raw, (error, stream) => (error || !stream ? ko(error ?? new Error("no stream")) : ok(stream))),
            );
          await visit(entry, openStream);
        };
        run().then(() => zip.readEntry(), fail);
      });
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
}

/** The archive's entries (folders included, their names end with "/"). */
export async function listZip(file: string): Promise<ZipEntry[]> {
  const entries: ZipEntry[] = [];
  await forEachZipEntry(file, async (entry) => {
    entries.push(entry);
  });
  return entries;
}

/**
 * Extracts the file entries that `keep` accepts (default: all) below `destination`, creating folders
 * as needed, and returns their archive names. The caller owns `destination` (a fresh temporary
 * folder): on a damaged archive the error is thrown after a partial extraction.
 */
export async function extractZip(file: string, destination: string, keep: (name: string) => boolean = () => true): Promise<string[]> {
  const written: string[] = [];
  await forEachZipEntry(file, async (entry, openStream) => {
    if (entry.name.endsWith("/") || !keep(entry.name)) return;
    const target = path.join(destination, ...entry.name.split("/"));
    await fs.promises.mkdir(path.dirname(target), { recursive: true });
    await pipeline(await openStream(), fs.createWriteStream(target));
    written.push(entry.name);
  });
  return written;
}
